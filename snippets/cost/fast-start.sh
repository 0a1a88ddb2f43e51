set -a
source ~/.config/contextforge/secrets.env
source ~/.config/contextforge/settings.env
source ~/.config/contextforge/fast.env
set +a
export DATABASE_URL="sqlite:///$HOME/.config/contextforge/mcp.db"
~/contextforge/bin/mcpgateway --host 127.0.0.1 --port "${CONTEXTFORGE_PORT:-4444}" > ~/contextforge.log 2>&1 &
echo $! > ~/contextforge.pid
