# A port where nothing listens: what pflow meets when the gateway is down.
export DOWN_PORT=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CONTEXTFORGE_PORT=$DOWN_PORT pflow mcp sync gateway
