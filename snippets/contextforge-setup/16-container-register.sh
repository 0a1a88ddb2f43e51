for server in text-tools:${TEXT_TOOLS_PORT:-8101} math-tools:${MATH_TOOLS_PORT:-8102}; do
  curl --fail-with-body -sS -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways" \
    -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
    -d "{\"name\": \"${server%%:*}\", \"url\": \"http://127.0.0.1:${server##*:}/mcp\", \"transport\": \"STREAMABLEHTTP\"}" \
    | jq -c '{name, status}'
done
