curl -s --retry 60 --retry-connrefused --retry-delay 1 "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/ready"
echo
