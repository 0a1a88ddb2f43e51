# Spans leave in batches: ask until both spans of the call are there, for at most 30 s.
call_spans='any(.[]; .name == "tool.lookup") and any(.[]; .name | startswith("MCP send tools/call"))'
for attempt in $(seq 30); do
  spans=$(curl -s "http://127.0.0.1:${OTLP_PORT:-4318}/spans")
  echo "$spans" | jq -e "$call_spans" > /dev/null && break
  [ "$attempt" = 30 ] && echo "The call's spans did not all arrive within 30 s."
  sleep 1
done
echo "$spans" | jq -c '.[] | select(.name == "tool.lookup" or (.name | startswith("MCP send tools/call")))
  | {service, name, tool: (.attributes["tool.name"] // .attributes["mcp.method.name"])}' | sort
