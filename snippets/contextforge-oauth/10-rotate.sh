kill "$(cat authorization-server.pid)"
GATEWAY_CLIENT_SECRET="$ROTATED_CLIENT_SECRET" AUTH_TOKEN_TTL=10 \
  node "$AUTH_SERVER_SCRIPT" --port "$AUTH_SERVER_PORT" >> authorization-server.log 2>&1 &
echo $! > authorization-server.pid
until curl -sf "http://127.0.0.1:$AUTH_SERVER_PORT/.well-known/openid-configuration" >/dev/null; do sleep 0.2; done
pflow probe mcp-gateway-notes-whoami
