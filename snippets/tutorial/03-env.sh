eval "$(lab env)"
curl -s "$CONTEXTFORGE_URL/health"
