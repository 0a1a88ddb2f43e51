npm install --prefix ~/mcp-servers --no-audit --no-fund --update-notifier=false --loglevel=error \
  "@modelcontextprotocol/server-everything@2026.8.31"
npm ls --prefix ~/mcp-servers
