MCP_GATEWAY_AUTH_TOKEN=not-the-token pflow mcp sync docker
