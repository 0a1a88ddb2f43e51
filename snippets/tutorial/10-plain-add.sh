pflow mcp add ./plain.json
pflow mcp sync plain
