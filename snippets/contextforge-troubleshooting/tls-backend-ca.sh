jq -n --rawfile ca company-ca.pem '{name: "secure-tools", url: "https://localhost:8105/mcp",
    transport: "STREAMABLEHTTP", ca_certificate: $ca}' |
  curl -s -o /dev/null -w 'HTTP %{http_code}\n' -X POST "$CONTEXTFORGE_URL/v1/gateways" \
    -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' -d @-
pflow mcp sync gateway | grep secure-tools
