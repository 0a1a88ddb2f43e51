kill "$(cat inventory.pid)"
while curl -sf "http://127.0.0.1:$INVENTORY_PORT/health" >/dev/null; do sleep 0.2; done
python -m gatewaylab.slow_backend inventory-v2 --port "$INVENTORY_PORT" > inventory.log 2>&1 &
echo $! > inventory.pid
until curl -sf "http://127.0.0.1:$INVENTORY_PORT/health" >/dev/null; do sleep 0.2; done
echo "inventory release 2 is up"
