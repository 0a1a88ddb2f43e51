for path in /v1 /mcp; do
  curl -s -o /dev/null -w "POST $path: HTTP %{http_code}\n" -X POST "$CONTEXTFORGE_URL$path" \
    -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' -d '{"jsonrpc": "2.0", "id": 1, "method": "tools/list"}'
done
