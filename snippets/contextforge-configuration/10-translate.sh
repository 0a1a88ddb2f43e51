~/contextforge/bin/python -m mcpgateway.translate \
  --stdio "env -i PATH=$PATH $HOME/mcp-servers/node_modules/.bin/mcp-server-everything stdio" \
  --expose-streamable-http --port "${TRANSLATE_PORT:-9000}" > ~/translate.log 2>&1 &
echo $! > ~/translate.pid
curl -s --retry 30 --retry-connrefused --retry-delay 1 "http://127.0.0.1:${TRANSLATE_PORT:-9000}/healthz"
