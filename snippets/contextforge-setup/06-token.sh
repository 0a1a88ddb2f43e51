export CONTEXTFORGE_TOKEN=$(~/contextforge/bin/python -m mcpgateway.utils.create_jwt_token \
  --username admin@example.com --exp 60 --secret="$JWT_SECRET_KEY" 2>/dev/null)
curl -s -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" \
  "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/v1/gateways"
