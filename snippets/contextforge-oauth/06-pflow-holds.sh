jq .mcpServers.gateway.auth ~/.pflow/mcp-servers.json
grep -rqF "$GATEWAY_CLIENT_SECRET" ~/.pflow && echo "the client secret is in ~/.pflow" || echo "no client secret in ~/.pflow"
