kill "$(cat ~/translate.pid)"
