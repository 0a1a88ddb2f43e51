"""pflow-gateway: gateway features for pflow users that pflow itself lacks.

Reads pflow's own server list (~/.pflow/mcp-servers.json) and never writes secrets into it.
Commands: list, setup, test, services, health (see `pflow-gateway --help`).
"""

from importlib.metadata import version

__version__ = version("pflow-gateway")  # from companion/pyproject.toml
