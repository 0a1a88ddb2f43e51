curl -s -X POST "$CONTEXTFORGE_URL/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"secure-tools\", \"url\": \"https://localhost:${SECURE_TOOLS_PORT:-8105}/mcp\", \"transport\": \"STREAMABLEHTTP\"}"
