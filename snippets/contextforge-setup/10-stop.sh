pid=$(cat ~/contextforge.pid)
kill "$pid"
tail --pid="$pid" -f /dev/null   # returns once it has exited
