reachable() {
  curl -s "$CONTEXTFORGE_URL/v1/gateways" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
    | python -c 'import json, sys
print(next(g["reachable"] for g in json.load(sys.stdin) if g["name"] == "text-tools"))'
}
until [ "$(reachable)" = False ]; do sleep 1; done
echo "text-tools reachable: $(reachable)"
pflow -p -o loud ./shout.pflow.md text="still there?" </dev/null
