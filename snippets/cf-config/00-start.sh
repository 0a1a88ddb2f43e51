lab up contextforge-config
eval "$(lab env)"
[ -e ~/contextforge ] || ln -s "$CONTEXTFORGE_VENV" ~/contextforge
