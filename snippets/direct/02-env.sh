eval "$(lab env)"
curl -s "http://127.0.0.1:$TEXT_TOOLS_PORT/health"
