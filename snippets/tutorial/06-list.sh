pflow mcp list
