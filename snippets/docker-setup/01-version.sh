docker mcp version
