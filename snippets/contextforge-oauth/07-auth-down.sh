kill "$(cat authorization-server.pid)"
pflow probe mcp-gateway-notes-whoami
