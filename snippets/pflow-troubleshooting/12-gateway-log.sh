LOG="$(lab status --json | jq -r .state_dir)/logs/contextforge.log"
grep -o 'MCP tool call failed: sleep' "$LOG" | tail -1
grep -o '"error_type": "TimeoutError", "error_message": ""' "$LOG" | tail -1
