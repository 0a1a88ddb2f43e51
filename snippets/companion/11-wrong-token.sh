CONTEXTFORGE_TOKEN=not-a-token pflow-gateway test gateway
