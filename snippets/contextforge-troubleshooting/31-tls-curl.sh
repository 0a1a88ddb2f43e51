curl -sS "$SECURE_URL/health"
