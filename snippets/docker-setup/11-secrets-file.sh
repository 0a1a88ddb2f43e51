umask 077
printf 'text-tools.api_token=%s\n' "$TEXT_TOOLS_API_TOKEN" > ~/.docker/mcp/secrets.env
docker mcp gateway run --transport streaming --host 127.0.0.1 --port 8811 \
  --catalog secured.yaml --servers text-tools --secrets ~/.docker/mcp/secrets.env
