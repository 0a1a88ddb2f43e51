pflow-gateway setup contextforge gateway --url 'http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}'
