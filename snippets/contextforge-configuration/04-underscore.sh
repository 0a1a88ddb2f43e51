curl --fail-with-body -sS -X POST "http://127.0.0.1:${UNDERSCORE_PORT}/v1/gateways" \
  -H "Authorization: Bearer $UNDERSCORE_TOKEN" -H "Content-Type: application/json" \
  -d "{\"name\": \"text-tools\", \"url\": \"http://127.0.0.1:${TEXT_TOOLS_PORT:-8101}/mcp\", \"transport\": \"STREAMABLEHTTP\"}" \
  | jq -c 'if .id then {name, status} else . end'
curl --fail-with-body -sS "http://127.0.0.1:${UNDERSCORE_PORT}/v1/tools" -H "Authorization: Bearer $UNDERSCORE_TOKEN" \
  | jq -r '.[].name' | sort
