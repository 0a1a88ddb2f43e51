"""Gateway states for the ContextForge troubleshooting page (and its tests).

    with Lab(root) as lab, troubleshooting(lab) as env:   # env: what the page's shell exports
        ...

Readers start it with `lab up contextforge-troubleshooting`. It starts, on free loopback ports:

- `math-tools`, `slow-tools` (a `sleep` tool) and `wide-tools` (120 tools);
- `secure-tools` over HTTPS, with a certificate from a CA of its own (`SECURE_TOOLS_CA`), and
  `billing`, which wants a bearer token (`BILLING_TOKEN` for the gateway, `BILLING_USER_TOKEN` for
  one user): both registered by the page itself;
- `contextforge`, the main gateway: loopback backends allowed, rate limiting off, and a health
  check every 5 s (default 60 s), so a stopped backend goes offline in about 15 s, with
  math-tools and slow-tools registered. Its JWT secret begins with "-", as 1 random secret in 64 does;
- `ratelimited`: rate limiting on, 8 requests a minute on MCP and tool paths, math-tools registered;
- `secure`: ContextForge's defaults (SSRF guard on, so no loopback backend), served over HTTPS with
  a certificate from a CA made for this run.

A port is kept free for the text-tools backend that the page starts and stops itself; whatever
runs there is stopped when the scenario ends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .envs import CONTEXTFORGE_ENV, SetupError
from .lab import CONTEXTFORGE_SECRETS, GENERATED_SECRETS, Lab
from .procs import free_port, processes

# A health check every 5 s (default 60), so a stopped backend goes offline after three failed
# checks (UNHEALTHY_THRESHOLD's default) in about 15 s: long enough to see the first symptom first.
MAIN_SETTINGS = {"HEALTH_CHECK_INTERVAL": "5"}
RATE_LIMIT_RPM = 8  # low, so two runs in a row hit it even on a slow machine
RATELIMITED_SETTINGS = {
    "RATE_LIMITING_ENABLED": "true",
    "RATE_LIMIT_MEDIUM_RPM": str(RATE_LIMIT_RPM),
}
# ContextForge's own defaults, which the lab otherwise relaxes: the SSRF guard refuses loopback
# backends, and rate limiting is on.
SECURE_SETTINGS = {"SSRF_ALLOW_LOCALHOST": "false", "RATE_LIMITING_ENABLED": "true"}
# The settings a reader's shell needs to run ContextForge's own tools (the token minter loads them all).
GATEWAY_SECRETS = ("PLATFORM_ADMIN_EMAIL", *CONTEXTFORGE_SECRETS)


def make_tls_files(folder: Path) -> dict[str, Path]:
    """A CA, and a server certificate for localhost and 127.0.0.1 signed by it (openssl)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: folder / f"{name}.pem" for name in ("ca", "ca-key", "server", "server-key")}
    ext = folder / "server.ext"
    ext.write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
    )
    csr = folder / "server.csr"
    new_key = ["openssl", "req", "-newkey", "rsa:2048", "-nodes"]
    steps = [
        [*new_key, "-x509", "-days", "2", "-subj", "/CN=Troubleshooting lab CA"]
        + ["-keyout", files["ca-key"], "-out", files["ca"]],
        [*new_key, "-subj", "/CN=localhost", "-keyout", files["server-key"], "-out", csr],
        ["openssl", "x509", "-req", "-in", csr, "-CA", files["ca"], "-CAkey", files["ca-key"], "-CAcreateserial"]
        + ["-days", "2", "-extfile", ext, "-out", files["server"]],
    ]
    for argv in steps:
        done = subprocess.run([str(a) for a in argv], capture_output=True, text=True)
        if done.returncode != 0:
            raise SetupError(f"making the TLS files failed: {' '.join(map(str, argv[:3]))}\n{done.stderr}")
    return files


def stop_reader_backend(port: int, module: str = "gatewaylab.backends") -> None:
    """Stop a backend a page started itself on `port` (`python -m MODULE KIND --port PORT ...`)."""
    for proc in processes():
        argv = proc.argv
        if (argv[1:3] == ["-m", module] and argv[4:6] == ["--port", str(port)]) or (
            argv[-5:-3] == ["-m", module] and argv[-2:] == ["--port", str(port)]
        ):
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)


@contextlib.contextmanager
def troubleshooting(lab: Lab) -> Iterator[dict[str, str]]:
    """Three ContextForge instances (relaxed, rate-limited, HTTPS with defaults) and six backends.

    The troubleshooting guide's starting point; see the module's docstring."""
    text_port = free_port()
    # Children are told to stop when the thread that started them ends (PR_SET_PDEATHSIG is per
    # thread), so the threads that start the gateways must live as long as the scenario.
    pool = ThreadPoolExecutor(3)
    try:
        math = lab.start_backend("math-tools")
        slow_port = lab.start_backend("slow-tools", "slow", "gatewaylab.slow_backend").port
        wide_port = lab.start_backend("wide-tools", "wide", "gatewaylab.slow_backend").port
        tls = make_tls_files(lab.state_dir / "tls")
        # Backends the gateways are not told about: the reader registers them on the page.
        company_tls = make_tls_files(lab.state_dir / "company-tls")
        secure_tools = lab.start_backend("secure-tools", kind="text", tls=company_tls)
        billing_token, billing_user_token = secrets.token_hex(16), secrets.token_hex(16)
        GENERATED_SECRETS.update([billing_token, billing_user_token])
        billing_env = {"BACKEND_BEARER_TOKEN": f"{billing_token},{billing_user_token}"}
        billing = lab.start_backend("billing", kind="text", env=billing_env)
        # A JWT secret that begins with "-", like 1 random secret in 64.
        main_secret = "-" + secrets.token_urlsafe(47)
        starting = [
            pool.submit(lab.start_contextforge, "contextforge", {**MAIN_SETTINGS, "JWT_SECRET_KEY": main_secret}),
            pool.submit(lab.start_contextforge, "ratelimited", RATELIMITED_SETTINGS),
            pool.submit(lab.start_contextforge, "secure", SECURE_SETTINGS, 180, tls),
        ]
        main, limited, secure = (future.result() for future in starting)
        main.jwt_secret = main_secret
        main.token = main.mint_token()
        main.register("math-tools", math.url)
        main.register("slow-tools", f"http://127.0.0.1:{slow_port}/mcp")
        limited.register("math-tools", math.url)
        gateway_env = main.process.env
        env = {
            "CONTEXTFORGE_PORT": str(main.port),
            "CONTEXTFORGE_URL": main.base_url,
            "CONTEXTFORGE_TOKEN": main.token,
            "CONTEXTFORGE_VENV": str(CONTEXTFORGE_ENV),
            "TEXT_TOOLS_PORT": str(text_port),
            "MATH_TOOLS_PORT": str(math.port),
            "SLOW_TOOLS_PORT": str(slow_port),
            "WIDE_TOOLS_PORT": str(wide_port),
            "RATELIMITED_URL": limited.base_url,
            "RATELIMITED_TOKEN": limited.token,
            "SECURE_URL": secure.base_url,
            "SECURE_TOKEN": secure.token,
            "SECURE_CA": str(tls["ca"]),
            "SECURE_TOOLS_PORT": str(secure_tools.port),
            "SECURE_TOOLS_CA": str(company_tls["ca"]),
            "BILLING_PORT": str(billing.port),
            "BILLING_TOKEN": billing_token,
            "BILLING_USER_TOKEN": billing_user_token,
            **{key: gateway_env[key] for key in GATEWAY_SECRETS},
        }
        yield env
    finally:
        stop_reader_backend(text_port)
        lab.close()  # before the pool's threads end: their children are told to stop with them
        pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["troubleshooting", "make_tls_files", "stop_reader_backend", "RATE_LIMIT_RPM", "GATEWAY_SECRETS"]
