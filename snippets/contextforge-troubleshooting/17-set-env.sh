pflow settings set-env CONTEXTFORGE_TOKEN "$SAVED_TOKEN"
pflow mcp sync gateway | sed -n 1,2p
pflow settings unset-env CONTEXTFORGE_TOKEN
export CONTEXTFORGE_TOKEN=$SAVED_TOKEN
