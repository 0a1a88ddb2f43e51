pflow mcp add '{"gateway": {"type": "http", "url": "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/mcp",
  "auth": {"type": "bearer", "token": "${CONTEXTFORGE_TOKEN}"}, "sse_timeout": 2}}' >/dev/null
pflow -p -o said ./nap-patient.pflow.md seconds=5 </dev/null
