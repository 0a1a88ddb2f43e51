curl -s -o /dev/null -w 'health: %{http_code}\n' "http://${DOCKER_MCP_HOST:-127.0.0.1}:${DOCKER_MCP_PORT:-8811}/health"
pflow mcp sync docker
