pflow-gateway health gateway
