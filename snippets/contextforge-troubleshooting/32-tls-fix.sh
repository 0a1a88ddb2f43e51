curl -sS --cacert "$SECURE_CA" "$SECURE_URL/health"; echo
SSL_CERT_FILE="$SECURE_CA" pflow mcp sync secure
