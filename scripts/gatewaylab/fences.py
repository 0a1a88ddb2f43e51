"""Read a page's code fences the way the site shows them, and compare shown output with real output.

A page's fences are classified so that none is silently left out:

- shell (`bash`, `sh`, `shell`, `console`): run in the page's shell session, in order;
- python: run by pytest-markdown-docs (its markdown-it parser expands our includes too);
- file (any fence with `title="name.ext"`): written into the folder the session is in (after any
  `cd`), as the reader would save it, then checked: JSON parses (and pflow accepts server
  configs), YAML parses, `.pflow.md` passes `pflow --validate-only`;
- output: a fence that includes a `*.out` snippet holds the expected output of the shell fence before it;
- anything else needs a directive saying why it is not run.

Directives are HTML comments on the line before a fence, visible in the page source only:
`<!-- fence: skip "reason" -->`, `<!-- fence: exit=1 -->`, `<!-- fence: timeout=120 -->`,
`<!-- fence: needs=docker-gateway -->`, `<!-- fence: mask="REGEX" -->` (values that differ per run).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .envs import REPO

SHELL_LANGS = {"bash", "sh", "shell", "console"}
PYTHON_LANGS = {"python", "py", "python3"}
INCLUDE = re.compile(r'^(?P<indent>\s*)-{1,}8<-{1,}\s+"(?P<path>[^"]+)"\s*$')
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<ticks>`{3,}|~{3,})\s*(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\s*<!--\s*fence:\s*(?P<body>.*?)\s*-->\s*$")
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def expand_includes(text: str, base: Path = REPO) -> str:
    """Expand pymdownx.snippets lines (`--8<-- "path"`), nested ones too, the way the site build does."""
    out = _expand_lines(text.splitlines(), base, top=True)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _expand_lines(lines: list[str], base: Path, top: bool = False) -> list[str]:
    out: list[str] = []
    for line in lines:
        match = INCLUDE.match(line)
        if not match:
            out.append(line)
            continue
        path = base / match["path"]
        if not path.is_file():
            raise FileNotFoundError(f"included snippet does not exist: {match['path']}")
        # As pymdownx.snippets reads a snippet: a final newline makes a final empty line, which
        # shows inside a fence when a nested snippet ends mid-fence; a page's own fence end hides it.
        content = path.read_text()
        included = _expand_lines(content.split("\n") if content else [], base)
        if top:
            while included and not included[-1]:
                included.pop()
        out.extend(match["indent"] + each for each in included)
    return out


@dataclass
class Fence:
    page: Path
    line: int  # 1-based line of the opening fence in the page
    lang: str
    attrs: dict[str, str]
    source: str  # the fence body as written (maybe an include line)
    indented: bool
    directive: dict[str, str] = field(default_factory=dict)

    @property
    def includes(self) -> list[str]:
        return [m["path"] for m in map(INCLUDE.match, self.source.splitlines()) if m]

    @property
    def text(self) -> str:
        """What the reader sees: the body with includes expanded."""
        return expand_includes(self.source)

    @property
    def kind(self) -> str:
        if "skip" in self.directive:
            return "skip"
        if self.indented:
            return "unrunnable"
        if any(path.endswith(".out") for path in self.includes):
            return "output"
        if self.lang in SHELL_LANGS:
            return "shell"
        if self.lang in PYTHON_LANGS:
            return "python"
        if "title" in self.attrs and "." in self.attrs["title"]:
            return "file"
        return "unexplained"

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(REPO) if self.page.is_relative_to(REPO) else self.page}:{self.line}"


def parse_directive(body: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for word in shlex.split(body):
        if word == "skip":
            out["skip"] = ""
        elif "=" in word:
            key, value = word.split("=", 1)
            out[key] = value
        elif "skip" in out and not out["skip"]:
            out["skip"] = word  # the quoted reason after `skip`
        else:
            raise ValueError(f"unknown fence directive word: {word!r}")
    if "skip" in out and not out["skip"]:
        raise ValueError('a skipped fence needs a reason: <!-- fence: skip "why" -->')
    return out


def read_fences(page: Path) -> list[Fence]:
    lines = page.read_text().splitlines()
    fences: list[Fence] = []
    i = 0
    in_front_matter = bool(lines and lines[0] == "---")
    while i < len(lines):
        if in_front_matter:
            in_front_matter = not (i > 0 and lines[i] == "---")
            i += 1
            continue
        match = FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        ticks, indent, info = match["ticks"], match["indent"], match["info"].strip()
        body = []
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(ticks):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        lang, attrs = _parse_info(info)
        previous = lines[i - 1] if i > 0 else ""
        directive = DIRECTIVE.match(previous)
        fences.append(
            Fence(
                page,
                i + 1,
                lang,
                attrs,
                "\n".join(body) + "\n",
                bool(indent),
                parse_directive(directive["body"]) if directive else {},
            )
        )
        i = j + 1
    return fences


def _parse_info(info: str) -> tuple[str, dict[str, str]]:
    info = info.strip().strip("{}").strip()
    attrs = dict(ATTR.findall(info))
    words = [w for w in ATTR.sub("", info).split() if w]
    lang = next((w.lstrip(".") for w in words), "")
    return lang, attrs


# -- comparing shown output with real output ------------------------------------------------------
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def normalize(output: str, replacements: list[tuple[str, str]]) -> str:
    """Remove colour codes and trailing spaces, and put run-specific values back to what pages show."""
    text = ANSI.sub("", output)
    for actual, shown in replacements:
        if actual:
            text = text.replace(actual, shown)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


# Values that differ on every run. Pages show the real ones from one run; comparison ignores them.
VOLATILE = [
    (re.compile(r"exec-\d+-[0-9a-f]+"), "exec-<id>"),
    (re.compile(r"Execution time: \d+ms"), "Execution time: <n>ms"),
    (re.compile(r"(completed|finished) in [\d.]+s"), r"\1 in <n>s"),
    (re.compile(r"workflow-trace-[\w.-]+\.json"), "workflow-trace-<id>.json"),
    (re.compile(r"\b\d+ ms\b"), "<n> ms"),  # durations in milliseconds (pflow-gateway's latencies)
    (re.compile(r"pflow resume [0-9a-f-]{36}"), "pflow resume <id>"),  # a failed run's checkpoint
]


def _mask(text: str) -> str:
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def matches(expected: str, actual: str, mask: str | None = None) -> bool:
    """Compare line by line; a line `...` stands for any lines, `<...>` inside a line for any text.

    Run-specific values (ids, timings: VOLATILE, and the fence's own `mask=REGEX`) are masked on
    both sides first, so the page can show the real values of one run.
    """
    expected, actual = _mask(expected), _mask(actual)
    if mask:
        expected, actual = re.sub(mask, "<masked>", expected), re.sub(mask, "<masked>", actual)
    pattern = []
    for line in expected.strip("\n").splitlines():
        line = line.rstrip()
        if line == "...":
            pattern.append(r"(?:.*\n)*?")
        else:
            pattern.append(".*?".join(map(re.escape, line.split("<...>"))) + r"\n")
    return re.fullmatch("".join(pattern), actual.strip("\n") + "\n") is not None


def keep_placeholders(expected: str, actual: str) -> str:
    """`actual` as `--update-outputs` writes it: each line that a `<...>` line of `expected` still
    matches is written as that line, so the page keeps showing a placeholder, not one run's value."""
    shown = [line.rstrip() for line in expected.splitlines() if "<...>" in line]
    return "\n".join(
        next((line for line in shown if matches(line, real)), real) for real in actual.strip("\n").splitlines()
    )
