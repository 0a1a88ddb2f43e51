pflow mcp add "{\"sessions\": {\"type\": \"http\", \"url\": \"http://127.0.0.1:$SESSION_TOOLS_PORT/mcp\"}}" >/dev/null
pflow mcp sync sessions >/dev/null
pflow -p --output-format json ./visits-direct.pflow.md </dev/null | jq -r '.result.first, .result.second'
