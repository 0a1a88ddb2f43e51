pflow probe mcp-gateway-text-tools-word-count text="the quick brown fox"
