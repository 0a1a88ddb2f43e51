"""pflow-gateway: check, describe and watch the MCP gateways pflow is configured to use.

This module only wires argparse to the commands (commands/, one module each).
"""

from __future__ import annotations

import argparse

from . import __version__
from .commands import COMMANDS
from .config import ConfigProblem
from .exits import help_epilog
from .output import failed


def build_parser() -> argparse.ArgumentParser:
    layout = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="pflow-gateway",
        formatter_class=layout,
        epilog=help_epilog(),
        description="Gateway features for pflow: set up, test, describe and watch the MCP gateways in\n"
        "pflow's ~/.pflow/mcp-servers.json. Secrets stay in environment variables.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(
            command.NAME,
            help=command.HELP,
            description=command.DESCRIPTION,
            formatter_class=layout,
            epilog=help_epilog(),
        )
        command.arguments(p)
        p.set_defaults(run=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except ConfigProblem as problem:
        return failed(problem.report(getattr(args, "name", "")), getattr(args, "json", False))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
