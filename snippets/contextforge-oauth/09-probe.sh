pflow probe mcp-gateway-notes-whoami | grep "result.token_id}"
