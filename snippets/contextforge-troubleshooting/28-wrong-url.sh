pflow mcp add '{"research-note": {"type": "http", "url": "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1",
  "auth": {"type": "bearer", "token": "${CONTEXTFORGE_TOKEN}"}}}' >/dev/null
pflow mcp sync research-note
