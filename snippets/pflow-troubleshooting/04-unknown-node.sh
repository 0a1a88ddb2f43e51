pflow mcp sync gateway >/dev/null
pflow probe mcp-gateway-inventory-restock shelf=a1 items=3
