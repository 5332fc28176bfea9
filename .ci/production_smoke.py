"""Production mode end to end: `make serve` on PostgreSQL, asked over HTTP like a TLS proxy would.

Creates a throwaway database, migrates it and publishes the demo's sample answers, starts
`make serve` on a free port, checks the health probe, the home page, a question page, the admin's
sign-in page and a hashed static file (status, security headers, far-future caching), then stops the
server and drops the database whatever happened. Exits non-zero on the first mismatch.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("SMOKE_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = f"courtinfo_smoke_{os.getpid()}"
PROXY = {"X-Forwarded-Proto": "https"}
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class Mismatch(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(base: str, path: str, headers: dict | None = None):
    # Always http://127.0.0.1:<port>, never a URL from elsewhere.
    request = urllib.request.Request(base + path, headers=headers or {})  # noqa: S310
    try:
        with _opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Mismatch(what)
    print(f"ok: {what}")


def check_page(base: str, path: str) -> bytes:
    status, headers, body = fetch(base, path, {**PROXY, "X-Request-ID": "smoke-check"})
    expect(status == 200, f"{path} answers 200 (got {status})")
    for name, value in SECURITY_HEADERS.items():
        expect(headers.get(name) == value, f"{path} {name}: {value} (got {headers.get(name)!r})")
    policy = headers.get("Content-Security-Policy", "")
    expect(
        "default-src 'none'" in policy and "script-src 'self'" in policy,
        f"{path} Content-Security-Policy: {policy}",
    )
    expect("unsafe-inline" not in policy, f"{path} policy allows no inline code")
    expect(headers.get("X-Request-ID") == "smoke-check", f"{path} echoes X-Request-ID")
    return body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([".venv/bin/python", "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def wait_for_health(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise Mismatch(f"make serve exited with {server.returncode} before answering")
        try:
            status, headers, body = fetch(base, "/healthz")
        except OSError:
            time.sleep(0.5)
            continue
        expect(status == 200, f"/healthz answers 200 over plain HTTP (got {status})")
        expect(json.loads(body) == {"status": "ok", "database": "ok"}, f"/healthz says {body!r}")
        expect("no-store" in headers.get("Cache-Control", ""), "/healthz is never cached")
        return
    raise Mismatch("/healthz did not answer within 90 seconds")


def smoke(base: str) -> None:
    status, headers, _ = fetch(base, "/")
    expect(
        status == 301 and headers.get("Location", "").startswith("https://"),
        f"plain HTTP is redirected to HTTPS (got {status} {headers.get('Location')})",
    )
    home = check_page(base, "/").decode()
    question = re.search(r'href="(/missouri/[a-z0-9-]+/)"', home)
    expect(question is not None, "the home page links a published question")
    check_page(base, question.group(1))
    check_page(base, "/admin/login/")

    stylesheet = re.search(r'href="(/static/courtinfo/site\.[0-9a-f]{12}\.css)"', home)
    expect(stylesheet is not None, "the home page links a hashed stylesheet")
    status, headers, body = fetch(base, stylesheet.group(1), {**PROXY, "Accept-Encoding": "gzip"})
    expect(status == 200 and body, f"{stylesheet.group(1)} answers 200")
    cache = headers.get("Cache-Control", "")
    max_age = re.search(r"max-age=(\d+)", cache)
    expect(
        max_age is not None and int(max_age.group(1)) >= 365 * 24 * 3600 and "immutable" in cache,
        f"the hashed file is cached for a year or more: {cache}",
    )
    expect(headers.get("Content-Encoding") == "gzip", "the hashed file is served compressed")
    status_missing, _, _ = fetch(base, "/static/courtinfo/no-such-file.css", PROXY)
    expect(status_missing == 404, "a missing static file is 404")


def stop(server: subprocess.Popen) -> str:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return server.stdout.read() if server.stdout else ""


def main() -> int:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "CACHE_URL": os.environ.get("SMOKE_CACHE_URL", "redis://127.0.0.1:6379/14"),
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "DEMO_PASSWORD": secrets.token_urlsafe(16),
        "COURTINFO_EVENT_LOG_LEVEL": "WARNING",
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
    }
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "setup_demo")
        print(f"== make serve on port {port} ==", flush=True)
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        wait_for_health(base, server)
        smoke(base)
    except Mismatch as mismatch:
        print(f"production smoke test FAILED: {mismatch}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            log = stop(server)
            if "--verbose" in sys.argv:
                print(log)
            requests = [
                json.loads(line) for line in log.splitlines() if '"courtinfo.requests"' in line
            ]
            print(f"server stopped; {len(requests)} request log lines")
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    print("production smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
