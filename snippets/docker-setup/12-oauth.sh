docker mcp oauth ls
docker mcp oauth authorize "NAME-FROM-THE-LIST" --open-browser
