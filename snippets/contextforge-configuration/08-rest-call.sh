pflow mcp sync gateway | grep convert
pflow probe mcp-gateway-convert-temperature celsius=21.5
