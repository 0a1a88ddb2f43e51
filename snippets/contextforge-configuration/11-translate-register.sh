curl --fail-with-body -sS -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d "{\"name\": \"everything\", \"url\": \"http://127.0.0.1:${TRANSLATE_PORT:-9000}/mcp\", \"transport\": \"STREAMABLEHTTP\"}" \
  | jq -c 'if .id then {name, url, transport} else . end'
pflow mcp sync gateway | grep everything
