curl -sS "http://127.0.0.1:$AUTH_SERVER_PORT/token" \
  -d grant_type=client_credentials -d client_id="$GATEWAY_CLIENT_ID" \
  --data-urlencode client_secret="$GATEWAY_CLIENT_SECRET" || echo "curl exit status $?"
