tail -n 3 authorization-server.log
