docker mcp catalog pull mcp/docker-mcp-catalog
docker mcp profile create --name research --server catalog://mcp/docker-mcp-catalog/duckduckgo
docker mcp profile server ls
docker mcp gateway run --profile research --transport streaming --host 127.0.0.1 --port 8812
