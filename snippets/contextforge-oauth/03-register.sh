curl -s -X POST "$CONTEXTFORGE_URL/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H "Content-Type: application/json" \
  -d @- <<JSON | jq '{name, url, reachable}'
{
  "name": "notes",
  "url": "$NOTES_URL",
  "transport": "STREAMABLEHTTP",
  "auth_type": "oauth",
  "oauth_config": {
    "grant_type": "client_credentials",
    "client_id": "$GATEWAY_CLIENT_ID",
    "client_secret": "$GATEWAY_CLIENT_SECRET",
    "token_url": "http://127.0.0.1:$AUTH_SERVER_PORT/token",
    "scopes": ["notes:read"],
    "audience": "$NOTES_URL"
  }
}
JSON
grep -m 1 "issued access token" authorization-server.log
