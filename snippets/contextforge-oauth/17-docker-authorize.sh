mkdir -p ~/.docker/mcp/catalogs && cp notes.yaml ~/.docker/mcp/catalogs/
export DOCKER_MCP_ALLOW_INSECURE_REMOTE_URLS=1   # the notes server is plain HTTP on loopback
docker mcp catalog create gatewaylab/notes:latest --title Notes --server file://notes.yaml
docker mcp oauth authorize notes --scopes notes:read
