for rate in 4 5 6; do
  pflow -p -o cents ./quote.pflow.md text="the quick brown fox" rate="$rate"
done > runs.txt 2>&1 &
docker compose stop contextforge-2 2> compose-stop.log || { cat compose-stop.log; false; }
wait $! && echo "pflow: every run succeeded"
cat runs.txt
docker compose logs load-balancer | grep -o 'connect() failed ([^)]*) while connecting to upstream' | sort -u
