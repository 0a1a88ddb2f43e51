pflow-gateway services gateway
