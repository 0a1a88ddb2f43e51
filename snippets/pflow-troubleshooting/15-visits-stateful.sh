pflow mcp add ./stateful.json >/dev/null
pflow mcp sync stateful >/dev/null
for run in 1 2; do
  pflow -p --output-format json ./visits-stateful.pflow.md </dev/null | jq -r '.result.first, .result.second'
done
