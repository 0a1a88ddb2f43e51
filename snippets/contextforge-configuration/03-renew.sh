export CONTEXTFORGE_TOKEN=$(~/contextforge/bin/python -m mcpgateway.utils.create_jwt_token \
  --username admin@example.com --exp 10080 --secret="$JWT_SECRET_KEY" 2>/dev/null)
pflow mcp sync gateway | sed -n 1,2p
