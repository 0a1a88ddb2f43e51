pflow mcp add ./docker-gateway.json > /dev/null
