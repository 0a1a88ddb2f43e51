pflow mcp add ./servers.json
pflow mcp sync --all
