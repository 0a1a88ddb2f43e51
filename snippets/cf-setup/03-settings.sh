cat > ~/.config/contextforge/settings.env <<'SETTINGS'
--8<-- "snippets/cf-setup/settings.env"
SETTINGS
grep -v '^#' ~/.config/contextforge/settings.env
