mcp_posts() {
  curl -s "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/metrics/prometheus" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
    | grep '^http_requests_total{handler="/mcp",method="POST",status="200"}'
}
mcp_posts
pflow probe mcp-gateway-text-tools-word-count text="count these four words" > /dev/null
mcp_posts
