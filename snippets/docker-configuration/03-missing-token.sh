(unset MCP_GATEWAY_AUTH_TOKEN; pflow mcp sync docker)
