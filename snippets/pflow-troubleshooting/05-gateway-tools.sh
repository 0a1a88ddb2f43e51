curl -s "$CONTEXTFORGE_URL/v1/tools?limit=0" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys
print([t["name"] for t in json.load(sys.stdin) if t["name"].startswith("inventory-")])'
