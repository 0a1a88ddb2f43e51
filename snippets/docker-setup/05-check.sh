export DOCKER_MCP_HOST="${DOCKER_MCP_HOST:-127.0.0.1}" DOCKER_MCP_PORT="${DOCKER_MCP_PORT:-8811}"
curl -s -o /dev/null -w 'health: %{http_code}\n' "http://$DOCKER_MCP_HOST:$DOCKER_MCP_PORT/health"
curl -s -o /dev/null -w 'mcp, no token: %{http_code}\n' "http://$DOCKER_MCP_HOST:$DOCKER_MCP_PORT/mcp"
