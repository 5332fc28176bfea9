"""Production settings: refuse to start without a secret key, pass Django's deployment checks."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "courtinfo.settings"}
    return subprocess.run(
        [sys.executable, *args],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = _run(["-c", "import django; django.setup()"])
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_manage_py_names_the_missing_secret_key_without_a_traceback():
    result = _run(["manage.py", "check"])

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x9Qz" * 12,
    "DJANGO_ALLOWED_HOSTS": "courtinfo.example.org",
}


@pytest.mark.parametrize("proxy", [{}, {"DJANGO_BEHIND_TLS_PROXY": "1"}], ids=["direct", "proxy"])
def test_production_settings_pass_check_deploy(proxy):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION, **proxy
    )
    assert result.returncode == 0, result.stderr


def _is_secure_with_forwarded_https(**env: str) -> str:
    script = (
        "import django; django.setup();"
        "from django.test import RequestFactory;"
        "print(RequestFactory().get('/', HTTP_X_FORWARDED_PROTO='https').is_secure())"
    )
    result = _run(["-c", script], **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_forwarded_proto_is_not_trusted_by_default():
    assert _is_secure_with_forwarded_https() == "False"


def test_forwarded_proto_is_trusted_behind_a_tls_proxy():
    assert _is_secure_with_forwarded_https(DJANGO_BEHIND_TLS_PROXY="1") == "True"


def test_cache_url_selects_redis_and_round_trips():
    # CI and development machines run Redis on its default port; use a spare database number.
    script = (
        "import django; django.setup();"
        "from django.core.cache import caches; cache = caches['default'];"
        "print(type(cache).__name__);"
        "cache.set('courtinfo-settings-test', 'ok', 5);"
        "print(cache.get('courtinfo-settings-test'));"
        "cache.delete('courtinfo-settings-test')"
    )
    result = _run(["-c", script], DJANGO_DEBUG="1", CACHE_URL="redis://127.0.0.1:6379/15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "ok"]
