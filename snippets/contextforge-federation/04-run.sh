pflow -p -o cents ./federated.pflow.md text="one hop further"
