pflow mcp describe mcp-gateway-text-tools-word-count
