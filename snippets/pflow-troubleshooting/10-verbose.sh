CONTEXTFORGE_PORT=$DOWN_PORT pflow mcp sync gateway --verbose
