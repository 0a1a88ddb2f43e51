pflow -p -o said ./nap.pflow.md seconds=5 </dev/null
