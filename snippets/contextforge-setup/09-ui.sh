pid=$(cat ~/contextforge.pid)
kill "$pid"
tail --pid="$pid" -f /dev/null   # returns once it has exited
export MCPGATEWAY_UI_ENABLED=true MCPGATEWAY_ADMIN_API_ENABLED=true
~/contextforge/bin/mcpgateway --host 127.0.0.1 --port "${CONTEXTFORGE_PORT:-4444}" > ~/contextforge.log 2>&1 &
echo $! > ~/contextforge.pid
curl -s -o /dev/null --retry 60 --retry-connrefused --retry-delay 1 "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/ready"
# What a browser gets: a redirect to the sign-in page, which loads.
curl -s -o /dev/null -H "Accept: text/html" -w '%{http_code} %{redirect_url}\n' "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/admin/"
curl -s -o /dev/null -w '%{http_code} %{content_type}\n' "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/admin/login"
