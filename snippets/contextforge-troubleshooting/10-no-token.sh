curl -s -w '\nHTTP %{http_code}\n' -X POST "$CONTEXTFORGE_URL/mcp" -H 'Content-Type: application/json' \
  -d '{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}'
pflow mcp add '{"anonymous": {"type": "http", "url": "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/mcp"}}' >/dev/null
pflow mcp sync anonymous
