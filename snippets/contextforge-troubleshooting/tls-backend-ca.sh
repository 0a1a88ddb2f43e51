jq -n --rawfile ca "${SECURE_TOOLS_CA:-company-ca.pem}" --arg url "https://localhost:${SECURE_TOOLS_PORT:-8105}/mcp" \
    '{name: "secure-tools", url: $url, transport: "STREAMABLEHTTP", ca_certificate: $ca}' |
  curl -s -o /dev/null -w 'HTTP %{http_code}\n' -X POST "$CONTEXTFORGE_URL/v1/gateways" \
    -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' -d @-
pflow mcp sync gateway | grep secure-tools
