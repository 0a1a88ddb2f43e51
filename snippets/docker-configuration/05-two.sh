pflow mcp add ./two-gateways.json
pflow mcp servers
