"""The admin at national scale: lists that do not count every row, history found by index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from claims import admin_paginator
from claims.admin import ClaimAdmin
from claims.admin_content import AnswerAdmin, claims_stored_alone
from claims.admin_paginator import EstimatedCountPaginator
from claims.models import Claim
from tests.factories import AnswerFactory, CitationFactory, ClaimFactory

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's"
)


def _analyze(table: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


@pytest.mark.parametrize("model_admin", [AnswerAdmin, ClaimAdmin])
def test_national_lists_count_only_what_they_show(model_admin):
    assert model_admin.show_full_result_count is False
    assert model_admin.paginator is EstimatedCountPaginator


def test_a_small_table_is_counted_exactly():
    ClaimFactory.create_batch(3)

    assert EstimatedCountPaginator(Claim.objects.all(), 2).count == 3


@needs_postgresql
def test_a_large_table_is_counted_from_the_planners_estimate(monkeypatch):
    ClaimFactory.create_batch(3)
    _analyze("claims_claim")
    monkeypatch.setattr(admin_paginator, "ESTIMATE_FROM", 2)
    # The estimate, not the rows: one more row written after ANALYZE is not in it.
    ClaimFactory()

    assert EstimatedCountPaginator(Claim.objects.all(), 2).count == 3
    assert EstimatedCountPaginator(Claim.objects.filter(status="unverified"), 2).count == 4


@needs_postgresql
def test_the_answer_list_of_a_large_table_does_not_count_its_rows(client, superuser, monkeypatch):
    AnswerFactory.create_batch(3)
    _analyze("courtinfo_answer")
    monkeypatch.setattr(admin_paginator, "ESTIMATE_FROM", 2)
    client.force_login(superuser)

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/courtinfo/answer/")

    assert response.status_code == 200
    counts = [q["sql"] for q in captured if q["sql"].upper().startswith("SELECT COUNT(")]
    assert not [sql for sql in counts if "courtinfo_answer" in sql], counts


def _version_indexes() -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Version._meta.db_table)
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]


def test_the_history_of_one_object_is_found_by_an_index():
    # django-reversion filters on db, content type and object id (equalities all three): an
    # index that leads with those columns, in any order, finds one object's versions.
    wanted = {"db", "content_type_id", "object_id"}
    assert any(set(columns[:3]) == wanted for columns in _version_indexes()), _version_indexes()


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Without rows to speak of the planner would read the table; forbid it to see whether
        # an index can answer at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@needs_postgresql
def test_postgresql_plans_the_history_lookup_on_an_index():
    answer = AnswerFactory()
    plan = _plan(Version.objects.get_for_object(answer).order_by("-pk"))

    assert "Index" in plan and "reversion_version" in plan, plan
    assert "Seq Scan on reversion_version" not in plan, plan


@needs_postgresql
def test_postgresql_finds_the_claims_in_an_answers_history_by_index():
    answer = AnswerFactory()
    ClaimFactory.create_batch(3, answer=answer)
    plan = _plan(claims_stored_alone(answer)[:200])

    assert "Seq Scan on reversion_version" not in plan, plan


def _answer_page_queries(client, claims: int) -> int:
    answer = AnswerFactory()
    for position in range(claims):
        CitationFactory(claim=ClaimFactory(answer=answer, position=position))
    url = f"/admin/courtinfo/answer/{answer.pk}/change/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_answer_page_costs_the_same_queries_whatever_its_claims(client, superuser):
    client.force_login(superuser)

    assert _answer_page_queries(client, 1) == _answer_page_queries(client, 12)
