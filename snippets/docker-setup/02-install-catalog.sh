mkdir -p ~/.docker/mcp/catalogs
cp gatewaylab.yaml ~/.docker/mcp/catalogs/
ls ~/.docker/mcp/catalogs
