python3.12 -m venv ~/contextforge
~/contextforge/bin/pip install --quiet --disable-pip-version-check "mcp-contextforge-gateway==1.1.0"
~/contextforge/bin/pip show mcp-contextforge-gateway | grep -E "^(Name|Version):"
