curl -s -w '\nHTTP %{http_code}\n' -X POST "$CONTEXTFORGE_URL/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"inventory\", \"url\": \"http://127.0.0.1:$INVENTORY_PORT/mcp\", \"transport\": \"STREAMABLEHTTP\"}"
