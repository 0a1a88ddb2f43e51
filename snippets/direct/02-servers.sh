pflow mcp servers
