curl -s -w '\nHTTP %{http_code}\n' --cacert "$SECURE_CA" -X POST "$SECURE_URL/v1/gateways" \
  -H "Authorization: Bearer $SECURE_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"math-tools\", \"url\": \"http://127.0.0.1:$MATH_TOOLS_PORT/mcp\", \"transport\": \"STREAMABLEHTTP\"}"
