"""Claims of docs/tutorial/index.md beyond its shown output (the fences themselves run in `pytest docs/`).

Each test uses the page's own snippet files against the suite's lab.
"""

import difflib
import json
import stat

import pytest
from gatewaylab.envs import REPO

SNIPPETS = REPO / "snippets" / "tutorial"


@pytest.fixture
def shell_with_gateway(reader_shell, lab_env):
    """A reader who has exported the lab's variables and added gateway.json, then synced."""
    for name in ("gateway.json", "direct.json", "quote.pflow.md", "quote-direct.pflow.md"):
        (reader_shell.work / name).write_text((SNIPPETS / name).read_text())
    exports = "".join(f"export {key}='{value}'\n" for key, value in lab_env.items())
    done = reader_shell.run(exports + "pflow mcp add ./gateway.json && pflow mcp sync gateway")
    assert done.returncode == 0, done.stdout
    return reader_shell


def test_tool_names_are_pflow_prefix_server_slug_and_tool_with_dashes(shell_with_gateway, lab):
    """The page's table: mcp-<server>-<gateway slug>-<tool, _ turned into ->, for every tool."""
    listed = json.loads(shell_with_gateway.run("pflow mcp list --json").stdout)
    pflow_names = {tool["node_name"] for tool in listed["servers"]["gateway"]}
    gateway_tools = lab.gateways["contextforge"].tools()
    expected = {f"mcp-gateway-{t['gatewaySlug']}-{t['originalName'].replace('_', '-')}" for t in gateway_tools}
    assert pflow_names == expected
    assert "mcp-gateway-text-tools-word-count" in expected and "word_count" in {
        t["originalName"] for t in gateway_tools
    }


def test_token_is_never_written_to_pflow_config(shell_with_gateway, lab_env):
    config = shell_with_gateway.home / ".pflow" / "mcp-servers.json"
    text = config.read_text()
    assert lab_env["CONTEXTFORGE_TOKEN"] not in text
    assert '"token": "${CONTEXTFORGE_TOKEN}"' in text
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_token_comes_from_the_shell_at_connect_time(shell_with_gateway):
    done = shell_with_gateway.run("unset CONTEXTFORGE_TOKEN; pflow mcp sync gateway")
    assert "Missing environment variable(s): CONTEXTFORGE_TOKEN" in done.stdout


@pytest.mark.parametrize("text, rate", [("the quick brown fox", 12), ("one", 7), ("a b c d e f g h", 3)])
def test_gateway_and_direct_give_the_same_answer(shell_with_gateway, text, rate):
    done = shell_with_gateway.run("pflow mcp add ./direct.json && pflow mcp sync --all")
    assert done.returncode == 0, done.stdout
    answers = [
        shell_with_gateway.run(f"pflow -p -o cents ./{flow} text='{text}' rate={rate}").stdout.strip()
        for flow in ("quote.pflow.md", "quote-direct.pflow.md")
    ]
    assert answers[0] == answers[1] == f"{len(text.split()) * rate:.1f}"


def test_direct_workflow_differs_only_in_the_two_type_lines():
    diff = [
        line
        for line in difflib.unified_diff(
            (SNIPPETS / "quote.pflow.md").read_text().splitlines(),
            (SNIPPETS / "quote-direct.pflow.md").read_text().splitlines(),
            lineterm="",
            n=0,
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(diff) == sorted(
        [
            "-- type: mcp-gateway-text-tools-word-count",
            "+- type: mcp-text-word_count",
            "-- type: mcp-gateway-math-tools-multiply",
            "+- type: mcp-math-multiply",
        ]
    )


def test_lab_tools_declare_typed_results_and_only_plain_tools_does_not():
    """The page's two kinds: every tool behind the gateway wraps a typed value in {"result": ...};
    plain-tools' `initials` declares no output schema."""
    from gatewaylab.backends import BACKENDS

    for kind, factory in BACKENDS.items():
        for tool in factory("127.0.0.1", 0)._tool_manager.list_tools():
            if kind == "plain":
                assert tool.output_schema is None, tool.name
            else:
                assert list(tool.output_schema["properties"]) == ["result"], tool.name


@pytest.fixture
def shell_with_plain(shell_with_gateway):
    for name in ("plain.json", "initials.pflow.md"):
        (shell_with_gateway.work / name).write_text((SNIPPETS / name).read_text())
    done = shell_with_gateway.run("pflow mcp add ./plain.json && pflow mcp sync plain")
    assert done.returncode == 0, done.stdout
    wrong = (SNIPPETS / "initials.pflow.md").read_text().replace("${initials.result}", "${initials.result.result}")
    assert wrong.count("${initials.result.result}") == 1
    (shell_with_gateway.work / "initials-wrong.pflow.md").write_text(wrong)
    return shell_with_gateway


def test_validate_only_accepts_the_typed_form_for_a_plain_text_tool_and_the_run_fails(shell_with_plain):
    """The page: `pflow --validate-only` accepts the copy; the mistake shows only when the step runs."""
    checked = shell_with_plain.run("pflow --validate-only ./initials-wrong.pflow.md")
    assert checked.returncode == 0 and "Workflow is valid" in checked.stdout, checked.stdout
    run = shell_with_plain.run("pflow -p -o loud ./initials-wrong.pflow.md text='a b c'")
    assert run.returncode == 1
    assert "Node 'initials' executed but does not produce field 'result.result'" in run.stdout


@pytest.mark.parametrize("text", ["the quick brown fox", "one"])
def test_plain_result_at_result_typed_result_at_result_result(shell_with_plain, text):
    done = shell_with_plain.run(f"pflow -p -o loud ./initials.pflow.md text='{text}'")
    assert done.stdout.strip() == "".join(word[0] for word in text.split()).upper(), done.stdout


def test_the_workflow_through_contextforge_run_as_a_container(reader_shell):
    """`lab up --containers`, for readers with Docker but no Python 3.12: the same lab with
    ContextForge from the image built here (gatewaylab.docker_images) on a Docker engine, and the
    tutorial's workflow through it. `lab down` leaves no container, engine or process behind."""
    from gatewaylab.procs import processes
    from gatewaylab.requirements import unmet

    missing = unmet("docker-engine")
    if missing:
        pytest.skip(missing)
    for name in ("gateway.json", "quote.pflow.md"):
        (reader_shell.work / name).write_text((SNIPPETS / name).read_text())
    engines_before = {p.pid for p in processes() if "dockerd" in p.cmdline}
    up = reader_shell.run("lab up --containers", timeout=600)
    try:
        assert up.returncode == 0, up.stdout
        status = json.loads(reader_shell.run("lab status --json").stdout)
        gateway_pid = status["gateways"]["contextforge"]["pid"]
        command = next(p.cmdline for p in processes() if p.pid == gateway_pid)
        assert command.startswith("docker run --rm --name gatewaylab-contextforge-"), command
        done = reader_shell.run(
            'eval "$(lab env)"\n'
            'curl -s -H "Authorization: Bearer $CONTEXTFORGE_TOKEN" "$CONTEXTFORGE_URL/version" '
            "| jq -r '.app.version + \" \" + .platform.python'\n"
            "pflow mcp add ./gateway.json > /dev/null && pflow mcp sync gateway > /dev/null\n"
            "pflow -p -o cents ./quote.pflow.md text='the quick brown fox' rate=12",
            timeout=300,
        )
        version, python, cents = done.stdout.split()
        # 1.1.0 on the image's Python 3.13 (the lab's own ContextForge runs on 3.12).
        assert (version, python.rsplit(".", 1)[0], cents) == ("1.1.0", "3.13", "48.0"), done.stdout
    finally:
        down = reader_shell.run("lab down", timeout=120)
    assert down.returncode == 0, down.stdout
    left = [p.cmdline for p in processes() if "gatewaylab-contextforge-" in p.cmdline]
    left += [p.cmdline for p in processes() if "dockerd" in p.cmdline and p.pid not in engines_before]
    assert left == []
