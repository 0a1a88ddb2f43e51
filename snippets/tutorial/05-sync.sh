pflow mcp sync gateway
