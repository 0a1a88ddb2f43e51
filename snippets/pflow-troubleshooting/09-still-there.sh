pflow mcp list
pflow -p -o result ./restock.pflow.md shelf=b2 items=5 </dev/null
