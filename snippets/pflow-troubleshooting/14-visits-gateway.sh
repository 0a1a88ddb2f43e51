pflow -p --output-format json ./visits.pflow.md </dev/null | jq -r '.result.first, .result.second'
