# Terminal 2, where you run pflow: the same token, from the file terminal 1 wrote.
export MCP_GATEWAY_AUTH_TOKEN="$(cat ~/.docker/mcp/gateway.token)"
