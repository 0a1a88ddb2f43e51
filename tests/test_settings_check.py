"""The check that a page's gateways run only with settings the reader is told (gatewaylab.settings_check).

Each ContextForge page gets an item `contextforge-settings-told` that applies it to the gateways the
page really ran; these tests show that it reads what pages tell, and that it fails when it should.
"""

from gatewaylab.envs import REPO
from gatewaylab.lab import CONTEXTFORGE_DEFAULTS
from gatewaylab.settings_check import chain, setting_names, told_settings, untold

DOCS = REPO / "docs"
SETUP = DOCS / "how-to" / "contextforge" / "setup.md"
CONFIGURATION = DOCS / "how-to" / "contextforge" / "configuration.md"


def test_names_come_from_contextforge_settings_class_with_aliases():
    names = setting_names()
    assert {"SSRF_ALLOW_LOCALHOST", "RATE_LIMITING_ENABLED", "DATABASE_URL", "ENVIRONMENT"} <= names
    assert not {"PATH", "HOME", "TMPDIR", "CONTEXTFORGE_PORT"} & names


def test_configuration_starts_from_setup_and_inherits_what_it_tells():
    assert chain(CONFIGURATION) == [CONFIGURATION, SETUP]
    told = told_settings(CONFIGURATION)
    for name, value in CONTEXTFORGE_DEFAULTS.items():
        assert told.values[name] == {value}, name
    assert told.values["JWT_SECRET_KEY"] is None  # made by init_secrets on the setup page: any value
    assert told.values["DATABASE_URL"] is None  # shown as "sqlite:///$HOME/...": any value
    assert told.values["GATEWAY_TOOL_NAME_SEPARATOR"] == {"_"}


def test_lab_defaults_pass_and_an_extra_or_a_changed_setting_fails():
    running = {**CONTEXTFORGE_DEFAULTS, "JWT_SECRET_KEY": "x" * 48, "DATABASE_URL": "sqlite:////tmp/x.db"}
    assert untold(CONFIGURATION, {1: running}) == []
    problems = untold(CONFIGURATION, {1: {**running, "USE_STATEFUL_SESSIONS": "true"}})
    assert len(problems) == 1 and "USE_STATEFUL_SESSIONS" in problems[0] and "configuration.md" in problems[0]
    problems = untold(CONFIGURATION, {1: {**running, "SSRF_ALLOW_LOCALHOST": "false"}})
    assert len(problems) == 1 and "SSRF_ALLOW_LOCALHOST=false" in problems[0]
    problems = untold(CONFIGURATION, {1: {**running, "JWT_SECRET_KEY": "a-secret-value"}})
    assert problems == []
    # On the setup page alone the separator is never told.
    problems = untold(SETUP, {1: {**running, "GATEWAY_TOOL_NAME_SEPARATOR": "_"}})
    assert len(problems) == 1 and "GATEWAY_TOOL_NAME_SEPARATOR" in problems[0]
