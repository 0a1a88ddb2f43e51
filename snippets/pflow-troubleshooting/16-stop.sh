kill "$(cat inventory.pid)"
echo "inventory stopped"
