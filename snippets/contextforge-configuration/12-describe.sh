pflow mcp describe mcp-gateway-everything-get-structured-content
