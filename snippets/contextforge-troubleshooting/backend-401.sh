curl -s -X POST "$CONTEXTFORGE_URL/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"billing\", \"url\": \"http://127.0.0.1:${BILLING_PORT:-8106}/mcp\", \"transport\": \"STREAMABLEHTTP\"}"
