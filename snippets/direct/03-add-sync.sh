pflow mcp add ./servers.json
pflow mcp sync text-tools
pflow mcp sync math-tools
