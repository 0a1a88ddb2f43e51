curl -s -w ' HTTP %{http_code}\n' -X PUT "$CONTEXTFORGE_URL/v1/gateways/$GATEWAY_ID" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" -d @- <<JSON
{
  "auth_type": "oauth",
  "oauth_config": {
    "grant_type": "client_credentials",
    "client_id": "$GATEWAY_CLIENT_ID",
    "client_secret": "$ROTATED_CLIENT_SECRET",
    "token_url": "http://127.0.0.1:$AUTH_SERVER_PORT/token",
    "scopes": ["notes:write"],
    "audience": "$NOTES_URL"
  }
}
JSON
grep 'scope "notes:write"' authorization-server.log | tail -n 1
