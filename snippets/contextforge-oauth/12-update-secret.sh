GATEWAY_ID=$(curl -s "$CONTEXTFORGE_URL/v1/gateways" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | jq -r '.[] | select(.name == "notes") | .id')
export GATEWAY_ID
curl -s -o /dev/null -w 'HTTP %{http_code}\n' -X PUT "$CONTEXTFORGE_URL/v1/gateways/$GATEWAY_ID" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" -d @- <<JSON
{
  "auth_type": "oauth",
  "oauth_config": {
    "grant_type": "client_credentials",
    "client_id": "$GATEWAY_CLIENT_ID",
    "client_secret": "$ROTATED_CLIENT_SECRET",
    "token_url": "http://127.0.0.1:$AUTH_SERVER_PORT/token",
    "scopes": ["notes:read"],
    "audience": "$NOTES_URL"
  }
}
JSON
pflow probe mcp-gateway-notes-whoami | grep "result.token_id}"
