pflow probe mcp-second-text-tools-shout text="first call of this tool" > /dev/null
redis-cli -p "${REDIS_PORT:-6379}" exists gateway_service_leader
redis-cli -p "${REDIS_PORT:-6379}" --scan --pattern 'mcpgw:tool_lookup:v3:*' | sort
