curl -s -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d "{\"name\": \"far\", \"url\": \"http://127.0.0.1:${FAR_PORT:-4445}/mcp\", \"transport\": \"STREAMABLEHTTP\",
       \"auth_type\": \"bearer\", \"auth_token\": \"$FAR_TOKEN\"}" \
  | jq -c '{name, url, transport, authType}'
