"$CONTEXTFORGE_VENV/bin/python" -m mcpgateway.utils.create_jwt_token \
  --username admin@example.com --exp 60 --secret "$JWT_SECRET_KEY"
