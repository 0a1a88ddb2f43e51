~/contextforge/bin/python -m mcpgateway.utils.create_jwt_token --decode "$CONTEXTFORGE_TOKEN" 2>/dev/null
