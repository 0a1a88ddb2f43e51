pflow probe mcp-second-text-tools-word-count text="fresh entries" > /dev/null
redis-cli -p "${REDIS_PORT:-6379}" exists gateway_service_leader
redis-cli -p "${REDIS_PORT:-6379}" --scan --pattern 'mcpgw:*' | cut -d: -f1-3 | sort -u
