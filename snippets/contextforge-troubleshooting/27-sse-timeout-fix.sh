pflow mcp add ./gateway.json >/dev/null
pflow -p -o said ./nap-patient.pflow.md seconds=5 </dev/null
