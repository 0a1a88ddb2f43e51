pflow mcp add ./docker-gateway.json
pflow mcp servers
