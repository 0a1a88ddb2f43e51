docker compose -f compose.yaml -f mcp-servers.yaml up --detach --wait 2> compose-up.log \
  || { cat compose-up.log; false; }
docker compose -f compose.yaml -f mcp-servers.yaml ps --format '{{.Service}} {{.Health}}'
