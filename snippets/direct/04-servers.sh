pflow mcp servers --json | jq '{"text-tools", "math-tools"}'
