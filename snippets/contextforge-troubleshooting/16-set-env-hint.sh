pflow settings set-env CONTEXTFORGE_TOKEN="$SAVED_TOKEN"
