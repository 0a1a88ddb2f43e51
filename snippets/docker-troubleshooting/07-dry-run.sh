DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS=1 docker mcp gateway run --dry-run --verbose \
  --catalog gatewaylab.yaml --servers text-tools,math-tools
