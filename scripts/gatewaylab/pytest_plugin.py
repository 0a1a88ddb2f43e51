"""pytest side of the lab: fixtures that start it, and the collector that runs every page's fences.

Loaded automatically (entry point `pytest11`) wherever this project is installed.

- `lab`: the standard lab (text-tools, math-tools, ContextForge with both registered), started once
  per test run on free loopback ports and always stopped.
- `lab_env`: its variables (ports, `CONTEXTFORGE_TOKEN`, ...), as `lab env` exports them.
- `reader_shell`: a clean shell session (temporary `HOME` and folder) as a reader's terminal.
- `docs/**/*.md`: each fence becomes a test item (see `gatewaylab.fences`); `--update-outputs`
  rewrites the `*.out` snippets from the real output, as pytest-examples does.
- a page that starts ContextForge gets one more item, `contextforge-settings-told`: every setting
  its gateways ran with must be told in a fence of the page or of the page it `starts_from`
  (see `gatewaylab.settings_check`).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from . import docker_engine, settings_check
from .envs import REPO
from .fences import INCLUDE, PYTHON_LANGS, Fence, expand_includes, keep_placeholders, matches, normalize, read_fences
from .lab import DEFAULT_PORTS, GENERATED_SECRETS, Lab
from .procs import Proc, pid_alive, processes
from .requirements import unmet
from .scenarios import NO_GATEWAY_SCENARIOS

DOCS = REPO / "docs"
VENV_BIN = REPO / ".venv" / "bin"
_COUNTS: Counter = Counter()
_SKIPS: list[str] = []


# -- the shared lab ---------------------------------------------------------------------------------
class _SharedLab:
    """Started on first use by any test or page, stopped when pytest ends (also on failure or ^C)."""

    lab: Lab | None = None

    @classmethod
    def get(cls) -> Lab:
        if cls.lab is None:
            lab = Lab(Path(tempfile.mkdtemp(prefix="gatewaylab-pytest-")))
            try:
                lab.start_standard()
            except BaseException:
                lab.close()
                raise
            cls.lab = lab
        return cls.lab

    @classmethod
    def close(cls) -> None:
        if cls.lab is not None:
            cls.lab.close()
            shutil.rmtree(cls.lab.state_dir, ignore_errors=True)
            cls.lab = None


RUN_MARKER = "GATEWAYLAB_RUN"  # every process this test run starts inherits it


def pytest_sessionstart(session):
    os.environ[RUN_MARKER] = str(os.getpid())
    # One Docker engine for the whole run, started by the first page or test that needs one.
    docker_engine.share_engines()


_ENGINE_REPORT: list[str] = []
_LEFT_BEHIND: list[str] = []  # what the run left running: reported, and the run fails


def pytest_sessionfinish(session, exitstatus):
    """Stop the shared lab and the run's Docker engine, then fail the run if anything is still alive."""
    _SharedLab.close()
    engine = docker_engine.shared()
    if engine is not None:
        start = time.monotonic()
        docker_engine.stop_shared()
        left = docker_engine.wait_gone(engine)
        _ENGINE_REPORT.append(
            f"Docker engine: started dockerd {engine.version} in {engine.started_in:.1f} s, "
            f"stopped with its containers and networks in {time.monotonic() - start:.1f} s"
        )
        if left:
            _LEFT_BEHIND.append("left by the run's Docker engine:\n  " + "\n  ".join(left))
    marker = f"{RUN_MARKER}={os.getpid()}"
    leftovers = _processes_with_env(marker)
    if leftovers:
        lines = [f"  {pid}: {_cmdline(pid)}" for pid in leftovers]
        _LEFT_BEHIND.append("processes left running by this run:\n" + "\n".join(lines))
        stop_processes_with_env(RUN_MARKER, str(os.getpid()))
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: the controller reports and fails the run
        workeroutput["gatewaylab"] = {
            "counts": dict(_COUNTS),
            "skips": _SKIPS,
            "engine": _ENGINE_REPORT,
            "left_behind": _LEFT_BEHIND,
        }
    elif _LEFT_BEHIND:
        for text in _LEFT_BEHIND:
            session.config.get_terminal_writer().line(text)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist, in the controller: gather what a worker counted and what it found left behind."""
    report = getattr(node, "workeroutput", {}).get("gatewaylab")
    if report:
        _COUNTS.update(report["counts"])
        _SKIPS.extend(report["skips"])
        _ENGINE_REPORT.extend(report["engine"])
        _LEFT_BEHIND.extend(report["left_behind"])


def _cmdline(pid: int) -> str:
    return Proc(pid).cmdline[:160] or "(gone)"


def pytest_unconfigure(config):
    _SharedLab.close()
    docker_engine.stop_shared()


@pytest.fixture(scope="session")
def lab() -> Lab:
    return _SharedLab.get()


@pytest.fixture(scope="session")
def lab_env(lab: Lab) -> dict[str, str]:
    return lab.env()


@pytest.fixture(autouse=True)
def _lab_env_for_python_fences(request, monkeypatch):
    """Python fences on pages read the lab's variables from the environment, as a reader's would."""
    if type(request.node).__name__ == "MarkdownInlinePythonItem":
        for key, value in _SharedLab.get().env().items():
            monkeypatch.setenv(key, value)
        _COUNTS["python fences"] += 1


# -- a reader's shell ----------------------------------------------------------------------------
class ReaderShell:
    """A bash session with its own HOME and folder; variables and `cd` carry over between runs."""

    def __init__(self, root: Path, extra_env: dict[str, str] | None = None):
        self.root = root
        self.home, self.work = root / "home", root / "work"
        self.home.mkdir(parents=True, exist_ok=True)
        self.work.mkdir(parents=True, exist_ok=True)
        self._state, self._cwd = root / ".state.env", root / ".cwd"
        self.base_env = {
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.home),
            "USER": os.environ.get("USER", "reader"),
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            "NO_COLOR": "1",
            "COLUMNS": "100",
            # The reader's `lab up` keeps its state here, and tests never take fixed ports.
            "GATEWAYLAB_DIR": str(root / "lab"),
            "GATEWAYLAB_FREE_PORTS": "1",
            RUN_MARKER: os.environ.get(RUN_MARKER, ""),
            # Package caches stay where they are: a clean HOME should not mean downloading again.
            "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache" / "uv")),
            "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
            "npm_config_cache": os.environ.get("npm_config_cache", str(Path.home() / ".npm")),
            # A CA this machine's registry traffic needs, if any: npm reads only this variable.
            **{key: os.environ[key] for key in ("NODE_EXTRA_CA_CERTS",) if key in os.environ},
            # Where the suite collects the run's secrets (scripts/test), so a reader's `lab up` adds its own.
            **{key: os.environ[key] for key in ("GATEWAYLAB_SECRETS_FILE",) if key in os.environ},
            **(extra_env or {}),
        }
        self._state.write_text("".join(f"export {k}={_q(v)}\n" for k, v in self.base_env.items()))
        self._cwd.write_text(str(self.work))

    def run(self, script: str, timeout: float = 120) -> subprocess.CompletedProcess:
        wrapper = (
            f'source {_q(str(self._state))}\ncd "$(cat {_q(str(self._cwd))})"\n'
            # Exported variables and shell functions carry over, as in the reader's terminal.
            f"trap 'rc=$?; {{ export -p; declare -f; }} > {_q(str(self._state))}; pwd > {_q(str(self._cwd))}; exit $rc' EXIT\n"
            "set -eo pipefail\n" + script
        )
        return subprocess.run(
            ["bash", "-c", wrapper],
            env=self.base_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )

    def cwd(self) -> Path:
        """The folder the session is in now (after the reader's `cd`)."""
        return Path(self._cwd.read_text().strip())

    def env(self) -> dict[str, str]:
        """The session's exported variables now (after `eval "$(lab env)"` and the like)."""
        done = subprocess.run(
            ["bash", "-c", f"source {_q(str(self._state))}; env -0"], env=self.base_env, capture_output=True, text=True
        )
        return dict(item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)

    def replacements(self) -> list[tuple[str, str]]:
        """Run-specific values in output, and what the pages show instead."""
        # The running lab's values, and the shell's: they differ when the shell still holds the
        # variables of a lab it stopped (a reader who ran `lab down`, then `lab up` again).
        envs = [self.env()]
        state = self.root / "lab" / "state.json"
        if state.exists():
            envs.append(json.loads(state.read_text())["env"])
        out: list[tuple[str, str]] = []
        ports = {}
        for env in envs:  # the running lab's last: where a stale port was reused, it wins
            for name, port in DEFAULT_PORTS.items():
                actual = env.get(name.upper().replace("-", "_") + "_PORT")
                if actual and actual != str(port):
                    ports[actual] = port
        for actual in sorted(ports, key=len, reverse=True):  # 41287 before 4128
            out += [(f":{actual}", f":{ports[actual]}"), (f"={actual}", f"={ports[actual]}")]
        for env in envs:
            out += [(value, "<token>") for key, value in env.items() if key.endswith("TOKEN") and len(value) > 8]
        out += [(str(self.work), "."), (str(self.home), "~"), (str(self.root), "<tmp>")]
        return out

    def close(self) -> None:
        """Stop what the session started: its `lab up`, and anything it left in the background."""
        if (self.root / "lab" / "state.json").exists():
            self.run("lab down >/dev/null", timeout=60)
        stop_processes_with_env("GATEWAYLAB_DIR", str(self.root / "lab"))


def _processes_with_env(marker: str) -> list[int]:
    """Live processes (not this one) whose environment holds `marker` ("KEY=value")."""
    return [proc.pid for proc in processes() if proc.has_env(marker) and proc.alive]


def stop_processes_with_env(key: str, value: str, grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL, every process whose environment has key=value (what a shell started)."""
    mine = _processes_with_env(f"{key}={value}")
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in mine:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while any(map(pid_alive, mine)) and time.monotonic() < deadline:
            time.sleep(0.05)


def _q(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@pytest.fixture
def reader_shell(tmp_path: Path):
    shell = ReaderShell(tmp_path)
    yield shell
    shell.close()


# -- pages: one item per fence --------------------------------------------------------------------
def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite snippets/**/*.out from the real output instead of failing",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    """pytest-markdown-docs never expands `--8<--` includes; do it so included Python runs too."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")

    def expand(state) -> None:
        for token in state.tokens:
            # Only Python fences run under pytest-markdown-docs; others (an `.out` that
            # --update-outputs has yet to create) are left alone.
            lang = token.info.split()[0].strip("{}.") if token.info.strip() else ""
            if token.type == "fence" and lang in PYTHON_LANGS and any(map(INCLUDE.match, token.content.splitlines())):
                token.content = expand_includes(token.content)

    md.core.ruler.push("expand_snippet_includes", expand)
    return md


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix == ".md" and file_path.is_relative_to(DOCS):
        return DocsPage.from_parent(parent, path=file_path)
    return None


def fence_steps(fences: list[Fence]) -> Iterator[tuple[Fence, Fence | None]]:
    """A page's fences in order, each with the output fence shown right under it (or None).

    An output fence under no shell fence comes as a step of its own (FenceItem reports it)."""
    i = 0
    while i < len(fences):
        fence = fences[i]
        output = fences[i + 1] if i + 1 < len(fences) and fences[i + 1].kind == "output" else None
        if fence.kind == "output":
            output = None
        yield fence, output
        i += 2 if output is not None else 1


def _front_matter(page: Path) -> dict:
    """A page's front matter: `fences` (how its fences run) and `starts_from` (see settings_check)."""
    return settings_check.front_matter(page)


# `lab up` or `lab up SCENARIO` (but not `lab up --list`, nor a scenario with no gateway), or `mcpgateway`.
STARTS_CONTEXTFORGE = re.compile(
    r"\blab up\b(?!\s+(?:--list|" + "|".join(NO_GATEWAY_SCENARIOS) + r")\b)"
    r"|\bmcpgateway\b(?![.\w])"
)


def runs_contextforge(page: Path, fences: list[Fence]) -> bool:
    """The page's fences start a ContextForge (`lab up`, `mcpgateway`), or its scenario does."""
    from .scenarios import SCENARIOS

    scenario = _front_matter(page).get("fences", {}).get("scenario")
    if scenario:
        module, function = scenario.split(":")
        if getattr(importlib.import_module(module), function) in SCENARIOS.values():
            return True
    return any(f.kind == "shell" and STARTS_CONTEXTFORGE.search(f.text) for f in fences)


SECRET_NAME = re.compile(r"(SECRET|TOKEN|PASSWORD)(_KEY)?$")


class DocsPage(pytest.File):
    """A page's fences, run in order in one reader shell."""

    shell: ReaderShell | None = None

    def collect(self):
        fences = read_fences(self.path)
        settings = _front_matter(self.path).get("fences", {})
        for fence, output in fence_steps(fences):
            if fence.kind == "python":
                continue  # collected by pytest-markdown-docs (checked in pytest_collection_finish)
            yield FenceItem.from_parent(
                self, name=f"L{fence.line}-{fence.kind}", fence=fence, output=output, settings=settings
            )
        if any(f.kind == "file" and f.attrs["title"].endswith(".pflow.md") for f in fences):
            yield WorkflowFilesItem.from_parent(self, name="workflow-files-validate", fences=fences)
        settings_check.starts_from(self.path)  # a `starts_from` that names no page fails collection
        if runs_contextforge(self.path, fences):
            yield SettingsItem.from_parent(self, name="contextforge-settings-told")

    scenario: contextlib.ExitStack | None = None
    scenario_lab: Lab | None = None
    # Settings of every ContextForge seen running during the page: {pid: {NAME: value}}
    observed: dict[int, dict[str, str]]

    def observe_gateways(self) -> None:
        """Record the settings of the page's live `mcpgateway` processes (each distinct set once).

        The page's gateways are those its shell started (their environment holds the shell's
        GATEWAYLAB_DIR, `lab up` included) and those its front-matter scenario started."""
        if self.shell is None:
            return
        if not hasattr(self, "observed"):
            self.observed = {}
        pids = [g.process.pid for g in self.scenario_lab.gateways.values()] if self.scenario_lab else []
        marker = f"GATEWAYLAB_DIR={self.shell.root / 'lab'}"
        seen = {frozenset(settings.items()) for settings in self.observed.values()}
        for pid in settings_check.gateway_pids(marker, pids):
            settings = settings_check.running_settings(pid)
            if frozenset(settings.items()) not in seen:
                seen.add(frozenset(settings.items()))
                self.observed[pid] = settings

    def session_shell(self) -> ReaderShell:
        """The page's shell, made on first use with the environment its front matter asks for.

        `fences: {lab: shared}` adds the suite's lab variables; `fences: {scenario: "module:function"}`
        enters a context manager `function(root: Path)` that starts what the page needs and yields
        the variables to export (it is exited when the page is done).
        """
        if self.shell is None:
            settings = _front_matter(self.path).get("fences", {})
            root = Path(tempfile.mkdtemp(prefix=f"page-{self.path.stem}-"))
            extra = dict(_SharedLab.get().env()) if settings.get("lab") == "shared" else {}
            if "scenario" in settings:
                module, function = settings["scenario"].split(":")
                with contextlib.ExitStack() as stack:  # a scenario that fails to start stops what it started
                    lab = stack.enter_context(Lab(root / "scenario"))
                    extra.update(stack.enter_context(getattr(importlib.import_module(module), function)(lab)))
                    self.scenario, self.scenario_lab = stack.pop_all(), lab
            self.shell = ReaderShell(root, extra)
            self.observe_gateways()
        return self.shell

    def teardown(self) -> None:
        if self.shell is not None:
            # Secrets a `lab up` made in its own process reach the page only through the shell:
            # the site checks must look for them too.
            GENERATED_SECRETS.update(
                value for key, value in self.shell.env().items() if SECRET_NAME.search(key) and len(value) >= 16
            )
            self.shell.close()
            shutil.rmtree(self.shell.root, ignore_errors=True)
            self.shell = None
        if self.scenario is not None:
            self.scenario.close()
            self.scenario = None
            self.scenario_lab = None


# -- running one fence in a reader's shell (pages here, and the reader's walk in tests/) ---------
def write_file_fence(shell: ReaderShell, fence: Fence) -> Path:
    """Save a `title="name"` fence where the reader's shell is now, and check it as pflow would."""
    name = fence.attrs["title"]
    path = shell.cwd() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fence.text)
    if name.endswith(".json"):
        data = json.loads(fence.text)
        if "mcpServers" in data:  # pflow must accept it, as `pflow mcp add` in a scratch HOME
            scratch = ReaderShell(Path(tempfile.mkdtemp(prefix="pflow-accepts-")))
            try:
                done = scratch.run(f"pflow mcp add {_q(str(path))}", timeout=60)
            finally:
                shutil.rmtree(scratch.root, ignore_errors=True)
            if done.returncode != 0 or "Added" not in done.stdout:
                raise FenceError(f"{fence.where}: pflow refused {name}:\n{done.stdout}")
    elif name.endswith((".yaml", ".yml")):
        yaml.safe_load(fence.text)
    return path


@dataclass
class ShellFenceResult:
    """A shell fence's run: its exit status and output (normalized), and the output the page shows."""

    fence: Fence
    exit_status: int
    actual: str
    expected_file: Path | None

    @property
    def expected_exit(self) -> int:
        return int(self.fence.directive.get("exit", 0))

    @property
    def expected(self) -> str | None:
        if self.expected_file is None:
            return None
        # A new page's .out may not exist yet: it differs from any output, and --update-outputs creates it.
        return self.expected_file.read_text() if self.expected_file.exists() else ""

    @property
    def output_matches(self) -> bool:
        """True when the page shows no output, or shows this one."""
        expected = self.expected
        return expected is None or matches(expected, self.actual, self.fence.directive.get("mask"))

    def check_exit(self) -> None:
        if self.exit_status != self.expected_exit:
            raise FenceError(
                f"{self.fence.where}: exit status {self.exit_status}, the page expects "
                f"{self.expected_exit}.\n--- command ---\n{self.fence.text}--- output ---\n{self.actual}"
            )

    def mismatch(self) -> str:
        shown = self.expected_file.relative_to(REPO) if self.expected_file else None
        return (
            f"{self.fence.where}: output differs from {shown} (run with --update-outputs to take the "
            f"real one)\n--- page shows ---\n{self.expected}--- real output ---\n{self.actual}"
        )

    def check(self) -> None:
        """Raise FenceError unless the exit status and the output are the page's."""
        self.check_exit()
        if not self.output_matches:
            raise FenceError(self.mismatch())


def run_shell_fence(shell: ReaderShell, fence: Fence, output: Fence | None) -> ShellFenceResult:
    """Run a shell fence in the reader's shell; `output` is the fence that shows its output, if any."""
    timeout = float(fence.directive.get("timeout", 120))
    try:
        done = shell.run(fence.text, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        so_far = expired.stdout.decode(errors="replace") if isinstance(expired.stdout, bytes) else expired.stdout
        raise FenceError(
            f"{fence.where}: did not finish within {timeout:.0f} s (a wait that never ended?)."
            f"\n--- command ---\n{fence.text}--- output so far ---\n{so_far or ''}"
        ) from None
    return ShellFenceResult(
        fence,
        done.returncode,
        normalize(done.stdout, shell.replacements()),
        None if output is None else REPO / output.includes[0],
    )


class PageItem(pytest.Item):
    """An item of a page: its parent is always the DocsPage that collected it."""

    @property
    def page(self) -> DocsPage:
        assert isinstance(self.parent, DocsPage)
        return self.parent


class FenceItem(PageItem):
    def __init__(self, *, fence: Fence, output: Fence | None, settings: dict, **kwargs):
        super().__init__(**kwargs)
        self.fence, self.output, self.settings = fence, output, settings

    def reportinfo(self):
        return self.path, self.fence.line - 1, f"{self.fence.where} [{self.fence.kind}]"

    def runtest(self) -> None:
        fence = self.fence
        kind = fence.kind
        if kind == "skip":
            _SKIPS.append(f"{fence.where}: {fence.directive['skip']}")
            pytest.skip(f"{fence.where}: {fence.directive['skip']}")
        if "needs" in fence.directive:
            missing = unmet(fence.directive["needs"])
            if missing:
                _SKIPS.append(f"{fence.where}: {missing}")
                pytest.skip(f"{fence.where}: {missing}")
        if kind == "unrunnable":
            raise FenceError(
                f"{fence.where}: fence is indented (inside an admonition, tab or list), so no "
                'tool runs it. Move it to the top level or add <!-- fence: skip "why" -->.'
            )
        if kind == "unexplained":
            raise FenceError(
                f"{fence.where}: a `{fence.lang or 'plain'}` fence that is neither run, checked "
                'nor explained. Give it a title="file.ext", include a .out, or skip it with a reason.'
            )
        if kind == "output":
            raise FenceError(f"{fence.where}: an output fence must follow the shell fence that produces it.")
        shell = self.page.session_shell()
        try:
            if kind == "file":
                self._write_file(shell)
            elif kind == "shell":
                self._run_shell(shell)
        finally:
            self.page.observe_gateways()

    def _write_file(self, shell: ReaderShell) -> None:
        write_file_fence(shell, self.fence)
        _COUNTS["files written and checked"] += 1

    def _run_shell(self, shell: ReaderShell) -> None:
        result = run_shell_fence(shell, self.fence, self.output)
        _COUNTS["shell fences"] += 1
        if self.fence.directive.get("needs") == "docker-gateway":
            _COUNTS["shell fences run against a Docker MCP Gateway"] += 1
        result.check_exit()
        if result.expected_file is None:
            return
        if result.output_matches:
            _COUNTS["outputs checked"] += 1
            return
        if self.config.getoption("update_outputs"):
            result.expected_file.write_text(keep_placeholders(result.expected or "", result.actual) + "\n")
            _COUNTS["outputs updated"] += 1
            return
        raise FenceError(result.mismatch())

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, FenceError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class WorkflowFilesItem(PageItem):
    """Every `.pflow.md` a page shows passes `pflow --validate-only` once the page has run."""

    def __init__(self, *, fences: list[Fence], **kwargs):
        super().__init__(**kwargs)
        self.files = [f for f in fences if f.kind == "file" and f.attrs["title"].endswith(".pflow.md")]

    def runtest(self) -> None:
        shell = self.page.session_shell()
        for fence in self.files:
            missing = unmet(fence.directive["needs"]) if "needs" in fence.directive else None
            if missing:  # the file was never written: its fence was skipped for the same reason
                _SKIPS.append(f"{fence.where} (validate): {missing}")
                continue
            done = shell.run(f"pflow --validate-only ./{fence.attrs['title']}", timeout=60)
            if done.returncode != 0:
                raise FenceError(f"{fence.where}: pflow --validate-only rejects {fence.attrs['title']}:\n{done.stdout}")
            _COUNTS["workflows validated"] += 1

    def repr_failure(self, excinfo):
        return str(excinfo.value) if isinstance(excinfo.value, FenceError) else super().repr_failure(excinfo)


class SettingsItem(PageItem):
    """The page's gateways ran only with settings the page, or the page it starts from, tells.

    Runs after the page's fences, before its teardown; see `gatewaylab.settings_check`."""

    def runtest(self) -> None:
        page = self.page
        shell = page.session_shell()
        page.observe_gateways()
        observed = getattr(page, "observed", {})
        where = self.path.relative_to(REPO)
        if not observed:
            raise FenceError(
                f"{where}: the page runs ContextForge, but no mcpgateway process of the page "
                "was seen running: the settings check would prove nothing."
            )
        replacements = shell.replacements()

        def normalize(value: str) -> str:
            for actual, shown in replacements:
                if actual:
                    value = value.replace(actual, shown)
            return value

        problems = settings_check.untold(self.path, observed, normalize)
        _COUNTS["gateways' settings checked"] += len(observed)
        if problems and not settings_check.starts_from(self.path):
            problems.append(
                "the page has no `starts_from` in its front matter: if it starts where another page "
                "ends (Set up: how-to/contextforge/setup.md), say so there"
            )
        if problems:
            raise FenceError(
                f"{where}: ContextForge ran with settings the reader is not told to set "
                f"(show them as NAME=value in a fence, on the page or a page in its "
                f"`starts_from`):\n  " + "\n  ".join(problems)
            )

    def reportinfo(self):
        return self.path, 0, f"{self.path.relative_to(REPO)} [ContextForge settings told]"

    def repr_failure(self, excinfo):
        return str(excinfo.value) if isinstance(excinfo.value, FenceError) else super().repr_failure(excinfo)


class FenceError(AssertionError):
    pass


def pytest_configure(config):
    config.addinivalue_line("markers", "run_last: run after every page, fence and notebook (site checks)")


def pytest_collection_modifyitems(session, config, items):
    """Site checks read what the rest of the run produced: move them to the end, in their order."""
    items[:] = [i for i in items if not i.get_closest_marker("run_last")] + [
        i for i in items if i.get_closest_marker("run_last")
    ]


def pytest_collection_finish(session):
    """Python fences on pages run only under pytest-markdown-docs' superfences syntax: insist on it."""
    pages = [item for item in session.items if isinstance(item, FenceItem)]
    if pages and not session.config.getoption("markdowndocs", default=False):
        raise pytest.UsageError(
            "docs pages are collected but --markdown-docs is off: their Python fences "
            "would not run. Use the README's test command."
        )
    if pages and session.config.getoption("markdowndocs_syntax", default="") != "superfences":
        raise pytest.UsageError("run with --markdown-docs-syntax=superfences, or {.python} fences are skipped.")


def pytest_terminal_summary(terminalreporter):
    notebooks = [r for r in terminalreporter.stats.get("passed", []) if r.nodeid.endswith(".ipynb")]
    if notebooks:
        _COUNTS["notebooks"] = len(notebooks)
    for line in _ENGINE_REPORT:
        terminalreporter.write_line(line)
    if not _COUNTS and not _SKIPS:
        return
    terminalreporter.section("executed from the docs")
    for what, count in sorted(_COUNTS.items()):
        terminalreporter.write_line(f"{count:5d} {what}")
    for skip in _SKIPS:
        terminalreporter.write_line(f"  not run: {skip}")
