mkdir -p ~/.config/contextforge
umask 077
~/contextforge/bin/python -m mcpgateway.scripts.init_secrets --stdout > ~/.config/contextforge/secrets.env
cut -d= -f1 ~/.config/contextforge/secrets.env
