pflow mcp add ./gateway.json
