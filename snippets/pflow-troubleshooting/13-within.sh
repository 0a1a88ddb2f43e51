pflow -p -o said ./long-nap.pflow.md seconds=2 </dev/null
