for attempt in $(seq 10); do   # spans arrive in batches: ask until the call's are there
  spans=$(curl -s "http://127.0.0.1:${OTLP_PORT:-4318}/spans")
  echo "$spans" | jq -e 'any(.[]; .name == "tool.lookup")' > /dev/null && break
  sleep 1
done
echo "$spans" | jq -c '.[] | select(.name == "tool.lookup" or (.name | startswith("MCP send tools/call")))
  | {service, name, tool: (.attributes["tool.name"] // .attributes["mcp.method.name"])}' | sort
