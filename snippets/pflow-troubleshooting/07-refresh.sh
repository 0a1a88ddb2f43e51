export INVENTORY_ID=$(curl -s "$CONTEXTFORGE_URL/v1/gateways" -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys
print(next(g["id"] for g in json.load(sys.stdin) if g["name"] == "inventory"))')
curl -s --fail-with-body -X POST "$CONTEXTFORGE_URL/v1/gateways/$INVENTORY_ID/tools/refresh" \
  -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  | python -c 'import json, sys; r = json.load(sys.stdin); print("toolsAdded:", r["toolsAdded"])'
pflow mcp sync gateway
pflow -p -o result ./restock.pflow.md shelf=a1 items=3 </dev/null
