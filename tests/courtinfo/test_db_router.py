"""Public pages read from the replica; the admin, the workflow and any request that wrote do not.

The tests against a real second connection open one to the same PostgreSQL test database.
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from claims import workflow
from courtinfo.db_router import REPLICA, PublicReadRouter, reads_from_replica
from courtinfo.models import Publication
from tests.factories import PublicationFactory

router = PublicReadRouter()


@pytest.fixture
def replica(settings):
    settings.COURTINFO_READ_FROM_REPLICA = True


def _read_inside(method: str, *, write_first: bool = False) -> str | None:
    seen = []

    @reads_from_replica
    def view(request):
        if write_first:
            router.db_for_write(Publication)
        seen.append(router.db_for_read(Publication))
        return HttpResponse()

    view(getattr(RequestFactory(), method)("/"))
    return seen[0]


def test_a_public_page_reads_from_the_replica(replica):
    assert _read_inside("get") == REPLICA
    assert _read_inside("head") == REPLICA


def test_reads_outside_a_public_page_stay_on_the_primary(replica):
    assert router.db_for_read(Publication) is None
    _read_inside("get")
    assert router.db_for_read(Publication) is None


def test_a_request_that_posts_reads_from_the_primary(replica):
    assert _read_inside("post") is None


def test_a_request_that_wrote_reads_its_writes_from_the_primary(replica):
    assert _read_inside("get", write_first=True) is None


def test_writes_always_go_to_the_primary(replica):
    assert router.db_for_write(Publication) == DEFAULT_DB_ALIAS


def test_without_a_replica_every_read_is_the_primarys(settings):
    settings.COURTINFO_READ_FROM_REPLICA = False
    assert _read_inside("get") is None


def test_the_replica_is_never_migrated():
    assert router.allow_migrate(REPLICA, "courtinfo") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "courtinfo") is True


if connections[DEFAULT_DB_ALIAS].vendor == "postgresql" and REPLICA not in connections.settings:
    # A second connection to the same database stands in for a replica; declared before the
    # test databases are set up, which makes it the test database's mirror.
    _primary = connections.settings[DEFAULT_DB_ALIAS]
    connections.settings[REPLICA] = {
        **_primary,
        "TEST": {**_primary.get("TEST", {}), "MIRROR": DEFAULT_DB_ALIAS},
    }

needs_replica = pytest.mark.skipif(REPLICA not in connections.settings, reason="needs PostgreSQL")
on_both = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture
def replica_connection(settings):
    settings.COURTINFO_READ_FROM_REPLICA = True
    return connections[REPLICA]


@needs_replica
@on_both
def test_a_public_page_is_read_from_the_replica_connection(client, replica_connection):
    publication = PublicationFactory()
    with (
        CaptureQueriesContext(replica_connection) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        assert client.get(publication.get_absolute_url()).status_code == 200
        assert client.get("/api/answers/").status_code == 200

    assert len(on_replica) >= 4
    assert len(on_primary) == 0


@needs_replica
@on_both
def test_the_admin_reads_from_the_primary(client, superuser, replica_connection):
    client.force_login(superuser)
    with CaptureQueriesContext(replica_connection) as on_replica:
        assert client.get("/admin/courtinfo/answer/").status_code == 200

    assert len(on_replica) == 0


@needs_replica
@on_both
def test_a_withdrawal_is_seen_by_the_next_public_read(client, publisher, replica_connection):
    publication = PublicationFactory()
    url = publication.get_absolute_url()
    assert client.get(url).status_code == 200

    workflow.withdraw_answer(publication.answer, by=publisher, reason="Repealed.")

    assert client.get(url).status_code == 410
