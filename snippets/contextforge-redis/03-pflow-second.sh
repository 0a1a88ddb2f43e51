pflow mcp add ./second.json > /dev/null
pflow mcp sync second | grep word-count
pflow probe mcp-second-text-tools-word-count text="one database two doors" | grep 'result.result'
