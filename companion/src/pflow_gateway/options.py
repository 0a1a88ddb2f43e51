"""Command-line options that several commands share."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .config import ConfigProblem
from .exits import Cause


def output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON for machines instead of text")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress lines on stderr")


def server_options(parser: argparse.ArgumentParser) -> None:
    """NAME, the output options and --timeout: for every command that checks one of pflow's servers."""
    parser.add_argument("name", metavar="NAME", help="the server's name in pflow's configuration")
    output_options(parser)
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="seconds to wait for each request (default: the entry's timeout, else 30)",
    )


def call_options(parser: argparse.ArgumentParser, call_help: str) -> None:
    parser.add_argument("--call", metavar="TOOL", help=call_help)
    parser.add_argument("--args", metavar="JSON", help="arguments for --call, a JSON object")


def call_arguments(text: str | None) -> dict[str, Any]:
    """The --args of a call, as a dict; a ConfigProblem when it is not a JSON object."""
    if not text:
        return {}
    fix = 'pass an object, e.g. --args \'{"text": "hi"}\''
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ConfigProblem(Cause.BAD_ARGS, f"--args is not JSON: {exc}", fix) from exc
    if not isinstance(value, dict):
        raise ConfigProblem(Cause.BAD_ARGS, "--args must be a JSON object", fix)
    return value
