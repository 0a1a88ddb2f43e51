curl -s -w '\nHTTP %{http_code}\n' -X POST "$CONTEXTFORGE_URL/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"text-tools\", \"url\": \"http://127.0.0.1:$TEXT_TOOLS_PORT/mcp\", \"transport\": \"STREAMABLEHTTP\"}"
