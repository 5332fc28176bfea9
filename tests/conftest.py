"""Fixtures shared by every test: people in each role; the migrated data for transactional tests."""

import importlib
import threading
from http.server import ThreadingHTTPServer

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction

from tests.factories import UserFactory
from tests.source_server import SourceHandler

# The one data migration that writes reference data; its rows are its own frozen copy.
_REFERENCE_DATA = importlib.import_module("courtinfo.migrations.0002_jurisdictions_and_roles")
_TRANSLATORS = importlib.import_module("claims.migrations.0010_translators")


@pytest.fixture(autouse=True)
def _reference_data(request):
    # A transactional test ends with a flush that empties every table, the jurisdictions and role
    # groups that the migration wrote included; the next one gets them back before it starts.
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        _REFERENCE_DATA.create_reference_data(apps, DEFAULT_DB_ALIAS)
        _TRANSLATORS.create_groups(apps, DEFAULT_DB_ALIAS)


@pytest.fixture(autouse=True)
def _empty_caches():
    # Rendered pages are cached by the generation of what is live, which starts over in every
    # test's database: a page cached by one test must not answer in the next.
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow by design; tests create many users and gain nothing from it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def other_editor(db):
    return UserFactory(username="editor2", groups=["Editors"])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", groups=["Reviewers"])


@pytest.fixture
def other_reviewer(db):
    return UserFactory(username="reviewer2", groups=["Reviewers"])


@pytest.fixture
def translator(db):
    return UserFactory(
        username="translator", first_name="Tere", last_name="Traductora", groups=["Translators"]
    )


@pytest.fixture
def other_translator(db):
    return UserFactory(username="translator2", groups=["Translators"])


@pytest.fixture
def publisher(db):
    return UserFactory(username="publisher", groups=["Publishers"])


@pytest.fixture
def outsider(db):
    """Staff but in no role group."""
    return UserFactory(username="outsider")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a whole module, rolled back after it: objects a module builds once
    are there for each of its tests, which still run in a savepoint of their own."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def source_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), SourceHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def archive_locally(settings):
    settings.COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS = True
    settings.COURTINFO_ARCHIVE_TIMEOUT_SECONDS = 0.5
    settings.COURTINFO_ARCHIVE_MAX_BYTES = 4000
    return settings
