python -m gatewaylab.slow_backend inventory --port "$INVENTORY_PORT" > inventory.log 2>&1 &
echo $! > inventory.pid
until curl -sf "http://127.0.0.1:$INVENTORY_PORT/health" >/dev/null; do sleep 0.2; done
curl -s --fail-with-body -o /dev/null -w 'register inventory: HTTP %{http_code}\n' \
  -X POST "$CONTEXTFORGE_URL/v1/gateways" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"name\": \"inventory\", \"url\": \"http://127.0.0.1:$INVENTORY_PORT/mcp\", \"transport\": \"STREAMABLEHTTP\"}"
pflow mcp sync gateway
