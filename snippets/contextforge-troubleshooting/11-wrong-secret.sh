OTHER_TOKEN=$("$CONTEXTFORGE_VENV/bin/python" -m mcpgateway.utils.create_jwt_token \
  --username admin@example.com --exp 60 --secret="$(openssl rand -hex 32)" 2>/dev/null)
curl -s -w '\nHTTP %{http_code}\n' "$CONTEXTFORGE_URL/v1/tools" -H "Authorization: Bearer $OTHER_TOKEN"
CONTEXTFORGE_TOKEN=$OTHER_TOKEN pflow mcp sync gateway
