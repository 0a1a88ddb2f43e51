export CONTEXTFORGE_TOKEN=$(docker compose exec contextforge-1 \
  python -m mcpgateway.utils.create_jwt_token --username admin@example.com --exp 60 2>/dev/null)
for server in text-tools:8101 math-tools:8102; do
  curl --fail-with-body -sS -X POST "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways" \
    -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
    -d "{\"name\": \"${server%%:*}\", \"url\": \"http://${server}/mcp\", \"transport\": \"STREAMABLEHTTP\"}" \
    | jq -c '{name, status}'
done
pflow mcp add ./gateway.json > /dev/null
pflow mcp sync gateway > /dev/null
