umask 077
docker run --rm "${CONTEXTFORGE_IMAGE:-ghcr.io/ibm/mcp-context-forge:1.1.0}" \
  python -m mcpgateway.scripts.init_secrets --stdout > ~/.config/contextforge/container.env
cut -d= -f1 ~/.config/contextforge/container.env
