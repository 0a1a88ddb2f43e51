python -m gatewaylab.backends text --port "$TEXT_TOOLS_PORT" > text-tools.log 2>&1 &
echo $! > text-tools.pid
until [ "$(reachable)" = True ]; do sleep 1; done
echo "text-tools reachable: $(reachable)"
# For up to 10 s more the gateway may still answer "Unknown tool" (it caches misses).
until answer=$(pflow -p -o loud ./shout.pflow.md text="still there?" </dev/null 2>&1); do sleep 1; done
echo "$answer"
