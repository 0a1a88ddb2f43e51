export COMPOSE_FILE=compose.yaml:mcp-servers.yaml
docker compose --env-file ~/.config/contextforge/container.env up --detach --wait 2> compose-up.log \
  || { cat compose-up.log; false; }
docker compose ps --format '{{.Service}} {{.State}} {{.Health}}'
