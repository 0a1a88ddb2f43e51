pflow mcp add ./gateway.json
pflow mcp sync gateway
