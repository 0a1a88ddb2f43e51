auth="Authorization: Bearer $CONTEXTFORGE_TOKEN"
curl -s -o /dev/null -w '%{content_type}\n' "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/metrics" -H "$auth"
curl -s "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/metrics" -H "$auth" | jq -c 'keys'
curl -s -o /dev/null -w '%{content_type}\n' "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/metrics/prometheus" -H "$auth"
