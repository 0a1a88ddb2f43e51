"""One module per command. Each has NAME, HELP, DESCRIPTION, `arguments(parser)` and `run(args) -> int`.

cli.py wires them to argparse in this order, the order of `pflow-gateway --help`.
"""

from . import health, list, services, setup, test

COMMANDS = (list, setup, test, services, health)
