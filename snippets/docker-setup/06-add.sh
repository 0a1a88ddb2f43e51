pflow mcp add ./docker-gateway.json
