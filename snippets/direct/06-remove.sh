pflow mcp remove -f text-tools
pflow mcp servers --json | jq 'has("text-tools"), has("math-tools")'
