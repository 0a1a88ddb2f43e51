pflow probe mcp-gateway-everything-get-env | grep -o '${result[.A-Za-z_]*}'
