pflow probe mcp-math-tools-add a=2 b=3
