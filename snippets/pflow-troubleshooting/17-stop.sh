pid=$(cat inventory.pid)
kill "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done  # gone, not still shutting down
echo "inventory stopped"
