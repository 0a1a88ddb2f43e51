pflow mcp add ./gateway.json
pflow mcp sync gateway
pflow -p -o cents ./quote.pflow.md text="the quick brown fox" rate=12
