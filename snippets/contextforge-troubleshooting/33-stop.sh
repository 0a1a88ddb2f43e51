kill "$(cat text-tools.pid)" && echo "text-tools stopped"
