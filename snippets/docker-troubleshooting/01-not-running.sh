# Nothing listens on port 9, and with no connection the token's value does not matter.
DOCKER_MCP_PORT=9 MCP_GATEWAY_AUTH_TOKEN=unused pflow mcp sync docker
