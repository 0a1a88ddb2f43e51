pflow probe mcp-docker-word_count text="one gateway two servers"
pflow probe mcp-docker-math__multiply a=6 b=7
