minute_ago=$(( $(date +%s) - 60 ))
OLD_TOKEN=$("$CONTEXTFORGE_VENV/bin/python" -m mcpgateway.utils.create_jwt_token \
  --data "{\"sub\": \"admin@example.com\", \"exp\": $minute_ago}" --exp 0 \
  --secret="$JWT_SECRET_KEY" 2>/dev/null)
curl -s -w '\nHTTP %{http_code}\n' "$CONTEXTFORGE_URL/v1/tools" -H "Authorization: Bearer $OLD_TOKEN"
CONTEXTFORGE_TOKEN=$OLD_TOKEN pflow mcp sync gateway
