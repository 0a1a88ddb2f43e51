CONTEXTFORGE_PORT=$DOWN_PORT pflow -p -o first ./visits.pflow.md </dev/null
