pflow-gateway setup generic old --url http://127.0.0.1:1/mcp
