tools=$(curl --fail-with-body -sS "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/tools" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | jq -c '[.[] | select(.name == "text-tools-word-count" or .name == "math-tools-multiply") | .id]')
export WORDS_SERVER_ID=$(curl --fail-with-body -sS -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/servers" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d "{\"server\": {\"name\": \"word-pricing\", \"associated_tools\": $tools}}" | jq -r '.id // error(tostring)')
echo "$WORDS_SERVER_ID" | grep -Ec '^[0-9a-f]{32}$'
