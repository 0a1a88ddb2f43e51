curl -s "$CONTEXTFORGE_URL/v1/tools?limit=0" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys; print(len(json.load(sys.stdin)), "tools on the gateway")'
curl -s -X POST "$CONTEXTFORGE_URL/mcp" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  -d '{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}' \
  | python -c 'import json, sys; page = json.load(sys.stdin)["result"]
print(len(page["tools"]), "tools on page one; nextCursor:", "set" if page.get("nextCursor") else "none")'
