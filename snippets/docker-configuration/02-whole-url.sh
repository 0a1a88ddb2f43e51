cat > whole-url.json <<'JSON'
{"mcpServers": {"docker": {"type": "http", "url": "${DOCKER_MCP_URL:-http://127.0.0.1:8811/mcp}"}}}
JSON
pflow mcp add ./whole-url.json
