"""The gateway lab: small MCP backends, IBM ContextForge and the harness that starts and stops them.

One mechanism for running things: readers use it through `scripts/lab`, tests through the
pytest fixtures in `gatewaylab.pytest_plugin`, notebooks and the benchmark by importing `Lab`.
"""
