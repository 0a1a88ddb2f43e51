docker mcp secret set text-tools.api_token        # reads the value from stdin
docker mcp secret ls
