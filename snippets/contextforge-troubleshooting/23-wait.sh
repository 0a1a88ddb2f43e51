sleep 60
pflow -p -o squared ./square.pflow.md x=12 </dev/null
