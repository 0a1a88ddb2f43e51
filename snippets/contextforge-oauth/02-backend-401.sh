curl -s -o /dev/null -D - -X POST "$NOTES_URL" | grep -i '^www-authenticate'
curl -s "http://127.0.0.1:$NOTES_PORT/.well-known/oauth-protected-resource/mcp" | jq .
