pflow-gateway setup generic text --url 'http://127.0.0.1:${TEXT_TOOLS_PORT:-8101}/mcp'
