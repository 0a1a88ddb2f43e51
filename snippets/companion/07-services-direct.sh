pflow-gateway services text --json
