"""The container and `make serve` start the same server the same way; compose.yaml holds up."""

import re
import runpy
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of each instruction; continued lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = (line.strip() for line in text.splitlines())
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def _instructions(name: str) -> list[str]:
    return [arguments for instruction, arguments in _dockerfile() if instruction == name]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_image_is_a_slim_python_that_the_project_supports():
    (base,) = _instructions("FROM")
    match = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?", base)
    assert match, base
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert int(match.group(1)) >= int(requires.removeprefix(">=3."))


def test_image_runs_as_a_user_that_is_not_root():
    users = _instructions("USER")
    assert users and users[-1] not in {"root", "0"}
    assert any("useradd" in run and users[-1] in run for run in _instructions("RUN"))


def test_image_installs_the_runtime_lock_with_hashes():
    installs = [run for run in _instructions("RUN") if "pip install" in run]
    assert installs == ["pip install --require-hashes --no-deps -r requirements/main.txt"]


def test_everything_the_image_copies_exists():
    for arguments in _instructions("COPY"):
        *sources, _destination = shlex.split(arguments)
        for source in sources:
            assert (ROOT / source).exists(), source


def test_image_collects_static_files_at_build_with_debug_off():
    assert any(
        "DJANGO_DEBUG=0" in run and "manage.py collectstatic --noinput" in run
        for run in _instructions("RUN")
    )


def test_image_and_make_serve_start_gunicorn_with_the_shared_config():
    (command,) = _instructions("CMD")
    assert command == '["gunicorn", "-c", "gunicorn.conf.py"]'
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"\$\(VENV\)/bin/gunicorn -c gunicorn\.conf\.py$", serve)
    assert "DJANGO_DEBUG=0" in serve


def test_image_health_check_asks_healthz():
    (check,) = _instructions("HEALTHCHECK")
    assert "/healthz" in check


def test_gunicorn_config_serves_the_wsgi_application_on_port(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-key")
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    assert config["wsgi_app"] == "courtinfo.wsgi:application"
    assert config["bind"].endswith(":8123")
    assert config["workers"] >= 3
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["graceful_timeout"] > 0
    assert config["accesslog"] == "-"


def test_compose_runs_the_database_cache_migration_and_app(compose):
    assert set(compose["services"]) == {"db", "redis", "migrate", "web"}
    assert int(compose["services"]["db"]["image"].split(":")[1].split(".")[0]) >= 16


@pytest.mark.parametrize("service", ["db", "redis", "web"])
def test_compose_long_running_services_have_health_checks(compose, service):
    assert compose["services"][service]["healthcheck"]["test"]


def test_compose_keeps_the_database_in_a_named_volume(compose):
    volumes = compose["services"]["db"]["volumes"]
    assert any(volume.startswith("db-data:/var/lib/postgresql/data") for volume in volumes)
    assert "db-data" in compose["volumes"]


def test_compose_app_starts_after_migrate_has_finished(compose):
    web, migrate = compose["services"]["web"], compose["services"]["migrate"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert web["image"] == migrate["image"]


def test_compose_app_uses_postgres_and_redis_and_requires_a_secret(compose):
    environment = compose["services"]["web"]["environment"]
    assert (
        environment["DATABASE_URL"].startswith("postgres://")
        and "@db:5432/" in environment["DATABASE_URL"]
    )
    assert environment["CACHE_URL"].startswith("redis://redis:6379/")
    assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")


def test_gunicorn_refuses_to_start_without_a_secret_key_and_says_so():
    result = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "--check-config"],
        env={"PATH": "/usr/bin:/bin"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
