curl -s -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d "{\"name\": \"stdio-math\", \"url\": \"http://127.0.0.1:${TRANSLATE_PORT:-9000}/mcp\", \"transport\": \"STREAMABLEHTTP\"}" \
  | jq -c '{name, url, transport}'
pflow mcp sync gateway | grep stdio-math
pflow probe mcp-gateway-stdio-math-square x=12
