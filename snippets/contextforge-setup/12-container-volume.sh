docker volume create contextforge-data
docker run --rm --user 0 --volume contextforge-data:/data \
  "${CONTEXTFORGE_IMAGE:-ghcr.io/ibm/mcp-context-forge:1.1.0}" chown 10001:10001 /data
