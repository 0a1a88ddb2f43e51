pflow mcp sync docker
