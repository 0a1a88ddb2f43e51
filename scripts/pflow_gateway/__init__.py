"""pflow-gateway: gateway features for pflow users that pflow itself lacks.

Reads pflow's own server list (~/.pflow/mcp-servers.json) and never writes secrets into it.
Commands: list, setup, test, services, health (see `pflow-gateway --help`).
"""

__version__ = "0.1.0"
