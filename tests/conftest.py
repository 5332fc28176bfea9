"""Fixtures shared by every test: people in each role."""

import pytest
from django.db import transaction

from tests.factories import UserFactory


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
