pflow-gateway setup contextforge typo --url 'http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/mcp'
