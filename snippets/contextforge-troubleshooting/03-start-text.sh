python -m gatewaylab.backends text --port "$TEXT_TOOLS_PORT" > text-tools.log 2>&1 &
echo $! > text-tools.pid
until curl -sf "http://127.0.0.1:$TEXT_TOOLS_PORT/health" >/dev/null; do sleep 0.2; done
echo "text-tools is up"
