pflow mcp add '{"secure": {"type": "http", "url": "${SECURE_URL}/mcp",
  "auth": {"type": "bearer", "token": "${SECURE_TOKEN}"}}}' >/dev/null
pflow mcp sync secure
