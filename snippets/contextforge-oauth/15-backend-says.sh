ACCESS_TOKEN=$(curl -s "http://127.0.0.1:$AUTH_SERVER_PORT/token" \
  -d grant_type=client_credentials -d client_id="$GATEWAY_CLIENT_ID" \
  --data-urlencode client_secret="$ROTATED_CLIENT_SECRET" \
  -d scope=notes:write -d audience="$NOTES_URL" | jq -r .access_token)
curl -s -o /dev/null -D - -X POST "$NOTES_URL" -H "Authorization: Bearer $ACCESS_TOKEN" | grep -i '^www-authenticate'
pflow probe mcp-gateway-notes-whoami | grep "result.scopes}"
