"""Every ContextForge setting a page's gateways run with must be one the reader was told to set.

A page tells a setting by showing `NAME=` in a shell, file or output fence, on the page itself or
on a page it starts from (front matter `starts_from: how-to/contextforge/setup.md`, followed
transitively). Where a fence shows a literal value (`SSRF_ALLOW_LOCALHOST=true`, not `"$HOME/..."`),
the running value must be one of the values shown. The secrets that ContextForge's
`init_secrets` prints count as told on a page whose chain runs it.

The running settings are read from `/proc/<pid>/environ` of the page's `mcpgateway` processes,
filtered to the names ContextForge 1.1.0's own Settings class reads (field names and aliases).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .envs import REPO, contextforge_bin, ensure_contextforge_env
from .fences import PYTHON_LANGS, read_fences
from .pages import front_matter
from .procs import Proc, processes

DOCS = REPO / "docs"
# `NAME=value` as a shell, an env file or printed output shows it. The value ends at a blank or
# a shell separator; quotes are part of the token and are taken off below.
ASSIGNMENT = re.compile(r"""(?<![\w$./-])([A-Z][A-Z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|)]*)""")
INIT_SECRETS = "mcpgateway.scripts.init_secrets"


@functools.cache
def setting_names() -> frozenset[str]:
    """Every environment variable name ContextForge's Settings class reads (it is case-insensitive)."""
    ensure_contextforge_env()
    code = (
        "import json; from mcpgateway.config import Settings\n"
        "names = set()\n"
        "for name, f in Settings.model_fields.items():\n"
        "    names.add(name)\n"
        "    alias = f.validation_alias or f.alias\n"
        "    names.update(getattr(alias, 'choices', None) or ([alias] if isinstance(alias, str) else []))\n"
        "print(json.dumps(sorted(n for n in names if isinstance(n, str))))\n"
    )
    done = subprocess.run(
        [str(contextforge_bin("python")), "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    if done.returncode != 0:
        raise RuntimeError(f"reading ContextForge's Settings failed:\n{done.stderr[-800:]}")
    return frozenset(name.upper() for name in json.loads(done.stdout.strip().splitlines()[-1]))


@functools.cache
def init_secrets_names() -> frozenset[str]:
    """The names `python -m mcpgateway.scripts.init_secrets --stdout` prints (values are thrown away)."""
    done = subprocess.run(
        [str(contextforge_bin("python")), "-m", INIT_SECRETS, "--stdout"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    if done.returncode != 0:
        raise RuntimeError(f"init_secrets failed:\n{done.stderr[-800:]}")
    return frozenset(line.split("=", 1)[0] for line in done.stdout.splitlines() if "=" in line)


def starts_from(page: Path) -> list[Path]:
    """The pages this one says it starts from (front matter `starts_from`, paths under docs/)."""
    value = front_matter(page).get("starts_from") or []
    pages = [DOCS / name for name in ([value] if isinstance(value, str) else value)]
    for start in pages:
        if not start.is_file():
            raise ValueError(
                f"{page.relative_to(REPO)}: starts_from names {start.relative_to(REPO)}, which does not exist"
            )
    return pages


def chain(page: Path) -> list[Path]:
    """The page and every page it starts from, transitively, each once."""
    out: list[Path] = []
    todo = [page]
    while todo:
        current = todo.pop(0)
        if current not in out:
            out.append(current)
            todo += starts_from(current)
    return out


@dataclass
class Told:
    """What a reader of a page was told to set: name -> the literal values shown (None: any value)."""

    values: dict[str, set[str] | None] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, value: str | None, where: str) -> None:
        self.where.setdefault(name, where)
        known = self.values.setdefault(name, set())
        if value is None or known is None:
            self.values[name] = None
        else:
            known.add(value)


def _literal(raw: str) -> str | None:
    """The value a fence shows, or None when the shell would expand it (`$...`, backticks) or it is empty."""
    value = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'" else raw
    if not value or (raw[:1] != "'" and ("$" in value or "`" in value)):
        return None
    return value


def told_settings(page: Path) -> Told:
    told = Told()
    for current in chain(page):
        for fence in read_fences(current):
            if fence.lang in PYTHON_LANGS:
                continue
            text = fence.text
            for match in ASSIGNMENT.finditer(text):
                told.add(match[1], _literal(match[2]), fence.where)
            if INIT_SECRETS in text:
                for name in init_secrets_names():
                    told.add(name, None, f"{fence.where} (init_secrets)")
    return told


# -- the running gateways --------------------------------------------------------------------------
def is_gateway(pid: int) -> bool:
    """`mcpgateway` itself (parent or worker), not `python -m mcpgateway.translate` or other tools."""
    return any(Path(arg).name == "mcpgateway" for arg in Proc(pid).argv[:2])


def gateway_pids(marker: str | None = None, pids: list[int] | None = None) -> list[int]:
    """Live `mcpgateway` processes: those given, and those whose environment holds `marker` (KEY=value)."""
    found = [pid for pid in (pids or []) if is_gateway(pid)]
    if marker:
        found += [p.pid for p in processes() if p.pid not in found and is_gateway(p.pid) and p.has_env(marker)]
    return found


def running_settings(pid: int) -> dict[str, str]:
    names = setting_names()
    return {key: value for key, value in Proc(pid).environ.items() if key.upper() in names}


def untold(page: Path, observed: dict[int, dict[str, str]], normalize=lambda value: value) -> list[str]:
    """One line per setting a gateway of `page` ran with that the page (or its start) does not tell."""
    told = told_settings(page)
    where = " -> ".join(str(p.relative_to(DOCS)) for p in chain(page))
    problems = []
    for pid, settings in sorted(observed.items()):
        for name, value in sorted(settings.items()):
            shown = told.values.get(name.upper(), "untold")
            if shown == "untold":
                problems.append(
                    f"{name}={_shown(name, value)} (gateway pid {pid}): "
                    f"no fence of {where} tells the reader to set {name}"
                )
            elif shown is not None and normalize(value) not in shown:
                problems.append(
                    f"{name}={_shown(name, normalize(value))} (gateway pid {pid}): {where} shows "
                    f"{' or '.join(sorted(shown))} ({told.where[name.upper()]})"
                )
    return problems


def _shown(name: str, value: str) -> str:
    """A running value fit for a test report: secrets hidden, long values cut."""
    if any(word in name.upper() for word in ("SECRET", "PASSWORD", "TOKEN", "KEY")):
        return "<secret>"
    return value if len(value) < 60 else value[:57] + "..."
