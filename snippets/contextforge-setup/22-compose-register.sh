for server in text-tools:8101 math-tools:8102; do
  curl --fail-with-body -sS -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways" \
    -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
    -d "{\"name\": \"${server%%:*}\", \"url\": \"http://${server}/mcp\", \"transport\": \"STREAMABLEHTTP\"}" \
    | jq -c '{name, status, url}'
done
