curl -s -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d "{\"name\": \"text-tools\", \"url\": \"http://127.0.0.1:${TEXT_TOOLS_PORT:-8101}/mcp\", \"transport\": \"STREAMABLEHTTP\"}" \
  | jq -c '{name, status}'
