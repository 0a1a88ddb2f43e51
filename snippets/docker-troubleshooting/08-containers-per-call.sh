since=$(date +%s)
pflow -p -o words ./shout-count.pflow.md text="one run two calls"
echo "containers started: $(docker events --since "$since" --until "$(date +%s)" \
  --filter label=docker-mcp-name=text-tools --filter event=start --format '{{.ID}}' | wc -l)"
echo "containers running: $(docker ps --quiet --filter label=docker-mcp-name=text-tools | wc -l)"
