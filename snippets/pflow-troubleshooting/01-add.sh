pflow mcp add ./gateway.json >/dev/null
pflow mcp sync gateway
