pflow mcp add '{"limited": {"type": "http", "url": "${RATELIMITED_URL}/mcp",
  "auth": {"type": "bearer", "token": "${RATELIMITED_TOKEN}"}}}' >/dev/null
pflow mcp sync limited | sed -n 1,2p
for x in 1 2 3 4 5 6 7 8 9 10; do
  pflow -p -o squared ./square.pflow.md x=$x </dev/null || break
done
