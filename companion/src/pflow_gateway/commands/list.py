"""pflow-gateway list: the gateway kinds it knows, with their defaults."""

from __future__ import annotations

import argparse

from ..exits import Exit
from ..kinds import KINDS, Kind
from ..options import output_options
from ..output import emit_json

NAME = "list"
HELP = "the gateway kinds pflow-gateway knows, with their defaults"
DESCRIPTION = """\
List the gateway kinds (contextforge, docker, generic) with their default
paths, ports, authentication, tool naming and how each is recognised."""


def arguments(parser: argparse.ArgumentParser) -> None:
    output_options(parser)


def run(args: argparse.Namespace) -> int:
    if args.json:
        emit_json({"kinds": [k.as_dict() for k in KINDS.values()]})
        return Exit.OK
    for kind in KINDS.values():
        print(f"{kind.name}: {kind.title}")
        print(f"  paths:     {', '.join(kind.paths)}")
        print(f"  port:      {kind.port or '-'}")
        print(f"  auth:      {kind.auth}")
        print(f"  token env: {kind.token_env or '-'}")
        print(f"  naming:    {kind.naming}")
        print(f"  known by:  {_known_by(kind)}")
    return Exit.OK


def _known_by(kind: Kind) -> str:
    signs = []
    if kind.server_info:
        signs.append(f'serverInfo.name "{kind.server_info}"')
    if kind.name == "contextforge":
        signs.append("/ready and /v1/gateways")
    if kind.name == "docker":
        signs.append("<prefix>__<tool> names")
    return ", ".join(signs) or "tool naming patterns only"
