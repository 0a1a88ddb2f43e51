docker compose -f compose.yaml -f mcp-servers.yaml down --volumes 2> compose-down.log \
  || { cat compose-down.log; false; }
grep -E '(Network|Volume) .* Removed$' compose-down.log | awk '{print $1, $2}' | sort
docker compose -f compose.yaml -f mcp-servers.yaml ps --all --quiet | wc -l
