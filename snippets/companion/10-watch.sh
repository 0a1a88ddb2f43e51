pflow-gateway health gateway --every 1 --count 3
