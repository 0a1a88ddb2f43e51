export CONTEXTFORGE_TOKEN=$(docker compose exec contextforge \
  python -m mcpgateway.utils.create_jwt_token --username admin@example.com --exp 60 2>/dev/null)
curl -s -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" "http://127.0.0.1:${CONTEXTFORGE_PORT:-4444}/version" \
  | jq -c '{version: .app.version, cache: .settings.cache_type, redis: .redis.reachable}'
