"""What every command prints: progress on stderr, JSON for machines, failures for people."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .exits import Exit

Report = dict[str, Any]  # what a command prints with --json


class Progress:
    """Progress of slow steps on stderr: on for a terminal or PFLOW_GATEWAY_PROGRESS=1, off with --quiet."""

    def __init__(self, quiet: bool):
        wanted = os.environ.get("PFLOW_GATEWAY_PROGRESS")
        self.on = not quiet and (wanted == "1" or (wanted != "0" and sys.stderr.isatty()))

    def __call__(self, text: str) -> None:
        if self.on:
            print(f"… {text}", file=sys.stderr, flush=True)


def emit_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def milliseconds(value: float | None) -> str:
    return f"{value:.0f} ms" if value is not None else "-"


def print_failure(report: Report) -> None:
    """✗ what failed, its cause and the fix, for a failed check or a ConfigProblem's report."""
    step = f"{report['step']} failed: " if report.get("step") else ""
    message = str(report["message"]).replace("\n", "\n    ")
    print(f"✗ {step}{message}")
    print(f"  cause: {report['cause']}")
    print(f"  fix:   {report['fix']}")


def failed(report: Report, as_json: bool) -> int:
    """Print a failed check (or a ConfigProblem's report), and return its exit status."""
    if as_json:
        emit_json(report)
    else:
        print_failure(report)
    return Exit.of(report["cause"])
