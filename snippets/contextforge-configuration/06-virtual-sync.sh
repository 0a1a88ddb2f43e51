pflow mcp add ./pricing.json
pflow mcp sync pricing
