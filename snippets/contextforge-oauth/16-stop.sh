kill "$(cat authorization-server.pid)" && echo "authorization server stopped"
