lab up contextforge-configuration
eval "$(lab env)"
[ -e ~/contextforge ] || ln -s "$CONTEXTFORGE_VENV" ~/contextforge
