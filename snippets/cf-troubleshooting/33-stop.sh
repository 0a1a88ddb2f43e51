kill "$(cat text-tools.pid)"
