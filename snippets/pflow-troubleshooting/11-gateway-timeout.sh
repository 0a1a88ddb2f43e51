pflow -p -o said ./long-nap.pflow.md seconds=8 </dev/null
