curl -s -X POST "$CONTEXTFORGE_URL/v1/gateways/$INVENTORY_ID/tools/refresh" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys; r = json.load(sys.stdin)
print("success:", r["success"], "| toolsAdded:", r["toolsAdded"], "| toolsRemoved:", r["toolsRemoved"])
print("error:", r["error"])'
