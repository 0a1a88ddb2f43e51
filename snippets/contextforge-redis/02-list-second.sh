curl -s "http://127.0.0.1:${SECOND_PORT:-4446}/v1/tools" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" | jq -r '.[].name' | sort
