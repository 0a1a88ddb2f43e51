curl -s -w '%{http_code}\n' -H "Authorization: Bearer $MCP_GATEWAY_AUTH_TOKEN" \
  -H "Origin: https://example.com" \
  "http://${DOCKER_MCP_HOST:-127.0.0.1}:${DOCKER_MCP_PORT:-8811}/mcp"
