curl -s "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/tools" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" | jq -r '.[].name' | sort
echo "--- far:"
curl -s "http://127.0.0.1:${FAR_PORT:-4445}/v1/tools" -H "Authorization: Bearer $FAR_TOKEN" | jq -r '.[].name' | sort
