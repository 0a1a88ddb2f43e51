pflow probe mcp-plain-initials text="the quick brown fox"
