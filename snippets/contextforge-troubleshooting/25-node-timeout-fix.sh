pflow -p -o said ./nap-patient.pflow.md seconds=5 </dev/null
