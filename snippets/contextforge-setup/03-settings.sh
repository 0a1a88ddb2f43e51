cat > ~/.config/contextforge/settings.env <<'SETTINGS'
--8<-- "snippets/contextforge-setup/settings.env"
SETTINGS
grep -v '^#' ~/.config/contextforge/settings.env
