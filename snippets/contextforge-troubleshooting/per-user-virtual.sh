SERVER_ID=$(curl -s "$CONTEXTFORGE_URL/v1/servers" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys; print(next(s["id"] for s in json.load(sys.stdin) if s["name"] == "everyday"))')
pflow mcp add "{\"everyday-billing\": {\"type\": \"http\",
  \"url\": \"http://127.0.0.1:\${CONTEXTFORGE_PORT:-4444}/servers/$SERVER_ID/mcp\",
  \"auth\": {\"type\": \"bearer\", \"token\": \"\${CONTEXTFORGE_TOKEN}\"},
  \"headers\": {\"X-Upstream-Authorization\": \"Bearer \${BILLING_USER_TOKEN}\"}}}" >/dev/null
pflow mcp sync everyday-billing >/dev/null
BILLING_USER_TOKEN=not-a-token pflow probe mcp-everyday-billing-billing-shout text="who pays?" | grep Error
pflow probe mcp-everyday-billing-billing-shout text="who pays?" | grep 'result.result'
