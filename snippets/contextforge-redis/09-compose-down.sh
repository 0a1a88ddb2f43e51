docker compose down --volumes 2> compose-down.log || { cat compose-down.log; false; }
docker compose ps --all --quiet | wc -l
