docker run --detach --name contextforge --network host \
  --env-file ~/.config/contextforge/container.env \
  --env-file ~/.config/contextforge/settings.env \
  --env HOST=127.0.0.1 --env PORT="${CONTEXTFORGE_PORT:-4444}" \
  --env DATABASE_URL=sqlite:////data/mcp.db \
  --volume contextforge-data:/data \
  "${CONTEXTFORGE_IMAGE:-ghcr.io/ibm/mcp-context-forge:1.1.0}" > /dev/null
docker ps --filter name=contextforge --format '{{.Names}} {{.Status}}'
