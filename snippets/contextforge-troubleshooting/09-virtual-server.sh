ids=$(curl -s "$CONTEXTFORGE_URL/v1/tools?limit=0" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys
print(json.dumps([t["id"] for t in json.load(sys.stdin) if t["gatewaySlug"] != "wide-tools"]))')
SERVER_ID=$(curl -s -X POST "$CONTEXTFORGE_URL/v1/servers" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"server\": {\"name\": \"everyday\", \"associated_tools\": $ids}}" \
  | python -c 'import json, sys; print(json.load(sys.stdin)["id"])')
pflow mcp add "{\"everyday\": {\"type\": \"http\",
  \"url\": \"http://127.0.0.1:\${CONTEXTFORGE_PORT:-4444}/servers/$SERVER_ID/mcp\",
  \"auth\": {\"type\": \"bearer\", \"token\": \"\${CONTEXTFORGE_TOKEN}\"}}}" >/dev/null
pflow mcp sync everyday
wide_id=$(curl -s "$CONTEXTFORGE_URL/v1/gateways" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys; print(next(g["id"] for g in json.load(sys.stdin) if g["name"] == "wide-tools"))')
curl -s -o /dev/null -w 'DELETE wide-tools: HTTP %{http_code}\n' -X DELETE \
  "$CONTEXTFORGE_URL/v1/gateways/$wide_id" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN"
