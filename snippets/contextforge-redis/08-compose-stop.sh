rm -f stopped
( until [ -e stopped ]; do pflow -p -o cents ./quote.pflow.md text="the quick brown fox" rate=4 || exit 1; done
  for _ in 1 2; do pflow -p -o cents ./quote.pflow.md text="the quick brown fox" rate=4 || exit 1; done
) > runs.txt 2>&1 &
docker compose stop contextforge-2 2> compose-stop.log || { cat compose-stop.log; false; }
touch stopped
wait $! && echo "pflow: $(wc -l < runs.txt) runs, every one succeeded: $(sort -u runs.txt)"
docker compose logs load-balancer | grep -oE '\([0-9]+: [^)]*\) while connecting to upstream' | sort -u
