"""The lock files pin, with hashes, all that pyproject.toml declares, and name no local path."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
LOCKS = ["main.txt", "dev.txt"]
INDEX_OPTIONS = {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host"}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)$")


def _declared(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = list(project["dependencies"])
    for extra in extras:
        names += project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


def _entries(lock: str) -> list[list[str]]:
    """Each requirement of a lock file as its tokens: lines joined, comments dropped."""
    text = (REQUIREMENTS / lock).read_text().replace("\\\n", " ")
    lines = (line.split("#", 1)[0].split() for line in text.splitlines())
    return [tokens for tokens in lines if tokens]


def _pins(lock: str) -> dict[str, tuple[str, frozenset[str]]]:
    pins = {}
    for first, *options in _entries(lock):
        match = PIN.match(first)
        assert match, f"{lock}: {first!r} is not pinned with =="
        hashes = frozenset(option for option in options if option.startswith("--hash=sha256:"))
        assert hashes, f"{lock}: {first} has no hash"
        pins[canonicalize_name(match["name"])] = (match["version"], hashes)
    return pins


def test_pyproject_is_the_only_list_of_dependencies():
    assert sorted(path.name for path in REQUIREMENTS.iterdir()) == sorted(LOCKS)


@pytest.mark.parametrize("lock", LOCKS)
def test_lock_names_no_index_and_no_local_path(lock):
    text = (REQUIREMENTS / lock).read_text().replace("\\\n", " ")
    for token in text.replace("=", " ").split():
        assert token not in INDEX_OPTIONS, f"{lock} sets {token}"
        assert "file:" not in token, f"{lock} names {token}"
        assert not token.startswith(("/", "~", "\\")), f"{lock} names the path {token}"
        assert not re.match(r"^[A-Za-z]:[\\/]", token), f"{lock} names the path {token}"


@pytest.mark.parametrize(("lock", "extras"), [("main.txt", ()), ("dev.txt", ("dev",))])
def test_lock_pins_every_declared_dependency_with_hashes(lock, extras):
    pins = _pins(lock)
    for requirement in _declared(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} does not pin {requirement}"
        version, _hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {name}=={version}, outside {requirement}"
        )


def test_dev_lock_pins_the_runtime_lock_unchanged():
    runtime, dev = _pins("main.txt"), _pins("dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime
