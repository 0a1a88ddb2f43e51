curl -s -w '\nHTTP %{http_code}\n' "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/metrics/prometheus"
