pflow probe mcp-gateway-everything-get-structured-content location=Chicago
