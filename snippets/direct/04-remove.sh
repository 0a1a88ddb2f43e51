pflow mcp remove -f text
pflow mcp list
