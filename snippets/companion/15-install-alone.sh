uv tool install ./companion
pflow-gateway --version
