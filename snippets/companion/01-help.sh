pflow-gateway --help
