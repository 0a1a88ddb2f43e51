# Terminal 1: make a token once, keep it readable by you only, then start the gateway.
umask 077
openssl rand -hex 32 > ~/.docker/mcp/gateway.token
export MCP_GATEWAY_AUTH_TOKEN="$(cat ~/.docker/mcp/gateway.token)"
export DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS=1   # our servers are plain http on loopback
docker mcp gateway run --transport streaming --host 127.0.0.1 --port 8811 \
  --catalog gatewaylab.yaml --servers text-tools,math-tools
