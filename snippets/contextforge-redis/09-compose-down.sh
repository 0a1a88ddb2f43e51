docker compose -f compose.yaml -f mcp-servers.yaml down --volumes 2> compose-down.log \
  || { cat compose-down.log; false; }
docker compose -f compose.yaml -f mcp-servers.yaml ps --all --quiet | wc -l
