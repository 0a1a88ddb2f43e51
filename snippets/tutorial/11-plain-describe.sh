pflow mcp describe mcp-plain-initials
