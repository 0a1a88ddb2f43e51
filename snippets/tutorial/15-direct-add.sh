pflow mcp add ./direct.json
pflow mcp sync --all
