env -u CONTEXTFORGE_TOKEN pflow-gateway test gateway
