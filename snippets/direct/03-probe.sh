pflow probe mcp-math-add a=2 b=3
