"""The admin at national scale: lists that do not count every row, history and deletions found by
index."""

import datetime
import re

import lxml.html
import pytest
import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Revision, Version

from claims import admin_paginator, recover, workflow
from claims.admin import ClaimAdmin
from claims.admin_content import AnswerAdmin, claims_stored_alone
from claims.admin_paginator import EstimatedCountPaginator
from claims.audit import RISKS
from claims.models import Citation, Claim, Deletion
from claims.risk import audited, ranked_by_risk, with_audit_facts
from courtinfo.models import Answer
from tests.factories import (
    AnswerFactory,
    CitationFactory,
    ClaimFactory,
    QuestionFactory,
    SourceFactory,
)

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


def _deleted_claims(count: int) -> list[str]:
    claims = ClaimFactory.create_batch(count)
    for claim in claims:
        with reversion.create_revision():
            reversion.add_to_revision(claim)
    ids = [str(claim.pk) for claim in claims]
    Claim.objects.filter(pk__in=ids).delete()
    return ids


def _a_long_history(rows: int = 3000) -> None:
    """Versions of many other claims, and deletions of other models, analysed: plans as at scale.

    On a few rows the planner may read a model's every version, or every deletion, as cheaply as
    the few it needs; with these it weighs the indexes as a large history would have it.
    """
    claim_type = ContentType.objects.get_for_model(Claim)
    revision = Revision.objects.create(date_created=timezone.now())
    Version.objects.bulk_create(
        Version(
            revision=revision,
            content_type=claim_type,
            object_id=str(10**9 + n),
            db="default",
            format="json",
            serialized_data="[]",
            object_repr="",
        )
        for n in range(rows)
    )
    citation_type = ContentType.objects.get_for_model(Citation)
    Deletion.objects.bulk_create(
        Deletion(content_type=citation_type, object_id=str(10**9 + n)) for n in range(rows)
    )
    _analyze("reversion_version")
    _analyze("claims_deletion")


def _conditions(plan: str, table: str) -> list[str]:
    """The index condition of each scan of `table` in the plan ("" for a scan without one)."""
    lines = [line.strip() for line in plan.splitlines()]
    found = []
    for at, line in enumerate(lines):
        if "Scan" in line and f" on {table} " in f"{line} ":
            following = lines[at + 1 : at + 3]
            found.append(next((c for c in following if c.startswith("Index Cond:")), ""))
    return found


@needs_postgresql
def test_postgresql_lists_deleted_objects_by_index():
    ids = _deleted_claims(3)
    _a_long_history()
    newest, middle, oldest = recover.recorded(Claim, None).values_list("pk", flat=True)
    window = recover.PAGE_SIZE * recover.WINDOW_PER_ROW

    edges = [
        _plan(recover.recorded(Claim, before).values("pk")[window - 1 : window + 1])
        for before in (None, middle)
    ]
    pages = [
        _plan(recover.deleted_rows(Claim, before, down_to).values_list("pk", "latest")[:101])
        for before, down_to in [(None, None), (newest, None), (newest, oldest)]
    ]

    for plan in edges + pages:
        assert "Seq Scan" not in plan, plan
        # The deletions of one model, newest first, read from the index that holds them so.
        [deletions] = _conditions(plan, "claims_deletion")
        assert "content_type_id =" in deletions, plan
    for plan in pages:
        # Each listed object's versions found by its id, never by reading a model's versions.
        versions = _conditions(plan, "reversion_version")
        assert versions and all("object_id" in c for c in versions), plan
    assert recover.deleted_page(Claim).versions[0].object_id == ids[-1]


@needs_postgresql
def test_postgresql_checks_a_version_to_recover_by_index():
    [object_id] = _deleted_claims(1)
    _a_long_history()
    version = Version.objects.get_for_object_reference(Claim, object_id).get()
    newer = Version.objects.get_for_model(Claim).filter(object_id=object_id, pk__gt=version.pk)
    plan = _plan(newer)

    assert "Seq Scan" not in plan and "object_id" in _conditions(plan, "reversion_version")[0]
    assert "Seq Scan" not in _plan(Claim._base_manager.filter(pk=object_id))
    assert recover.recoverable_version(Claim, str(version.pk)) == version


# The lists read only the columns they show (ShownColumnsMixin): the same page, from fewer columns.


def _answers_in_every_state(editor, reviewer, publisher) -> None:
    """Answers drafted, in review, approved and live, without a topic and with one; claims
    verified and not, with a citation of a source with a legal citation, of one without, and
    none."""

    def answer_with_claims(**question) -> Answer:
        answer = AnswerFactory(question=QuestionFactory(**question))
        CitationFactory(claim=ClaimFactory(answer=answer, position=0, text="The court hears it."))
        CitationFactory(claim=ClaimFactory(answer=answer, position=1), source__citation="")
        ClaimFactory(answer=answer, position=2, text="Courts must always hold a hearing <b>.")
        return answer

    answer_with_claims(topic=None)
    in_review = answer_with_claims()
    workflow.submit_answer(in_review, by=editor)
    workflow.verify_claim(in_review.claims.first(), by=reviewer, verdict="supported")

    def verify_all(answer: Answer) -> None:
        for claim in answer.claims.all():
            cited = claim.citations.exists()
            verdict = "supported" if cited else "not_a_claim"
            workflow.verify_claim(claim, by=reviewer, verdict=verdict)

    for published in (answer_with_claims(), answer_with_claims(topic=None)):
        workflow.submit_answer(published, by=editor)
        verify_all(published)
        workflow.approve_answer(published, by=reviewer)
        workflow.publish_answer(published, by=publisher, summary="First version")
    approved = answer_with_claims()
    workflow.submit_answer(approved, by=editor)
    verify_all(approved)
    workflow.approve_answer(approved, by=reviewer)


def _page_and_queries(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page, [q["sql"] for q in captured]


@pytest.mark.parametrize(
    ("model_admin", "url", "unread"),
    [
        (
            ClaimAdmin,
            "/admin/claims/claim/",
            ['"claims_claim"."verified_content"', '"courtinfo_answer"."blocks"'],
        ),
        (
            AnswerAdmin,
            "/admin/courtinfo/answer/",
            ['"courtinfo_answer"."import_fingerprint"', '"courtinfo_question"."slug"'],
        ),
    ],
)
@pytest.mark.parametrize("query", ["", "?o=-2", "?o=3.-4", "?status__exact=in_review", "?q=must"])
def test_a_list_shows_the_same_page_from_only_the_columns_it_shows(
    client, superuser, editor, reviewer, publisher, monkeypatch, model_admin, url, unread, query
):
    _answers_in_every_state(editor, reviewer, publisher)
    client.force_login(superuser)
    _page_and_queries(client, url + query)  # the process's caches (content types) filled

    shown, queries = _page_and_queries(client, url + query)
    monkeypatch.setattr(model_admin, "list_only", ())
    whole, whole_queries = _page_and_queries(client, url + query)

    assert shown == whole
    # No column left out is read a row at a time instead.
    assert len(queries) == len(whole_queries)
    table = "claims_claim" if model_admin is ClaimAdmin else "courtinfo_answer"
    rows = [sql for sql in queries if f'FROM "{table}"' in sql and "COUNT(" not in sql]
    assert rows and not [sql for sql in rows if any(column in sql for column in unread)]
    assert [sql for sql in whole_queries if any(column in sql for column in unread)]


def test_the_claim_list_sorts_citations_without_joining_the_claims_answers(client, superuser):
    for position in range(3):
        CitationFactory(claim=ClaimFactory(position=position), source=SourceFactory())
    client.force_login(superuser)

    _, queries = _page_and_queries(client, "/admin/claims/claim/")

    [citations] = [sql for sql in queries if sql.startswith('SELECT "claims_citation"."id"')]
    assert "courtinfo_question" not in citations and "courtinfo_jurisdiction" not in citations


# The risk filter ranks every claim of the list by its audit, from plain values.


def _claims_of_every_risk(editor, reviewer, publisher) -> None:
    _answers_in_every_state(editor, reviewer, publisher)
    CitationFactory(anchor={"found": True, "exact": "The words that back the claim."})
    held = "Under Mo. Rev. Stat. § 544.170 a person may be held 24 hours."
    ClaimFactory(text=held)
    CitationFactory(claim=ClaimFactory(text=held), source__citation="Mo. Rev. Stat. § 544.170")
    ClaimFactory(text="You should talk to a lawyer.")


@pytest.mark.parametrize("days_later", [0, 400])
def test_ranking_by_risk_gives_each_claim_its_audits_risk(
    editor, reviewer, publisher, monkeypatch, settings, days_later
):
    _claims_of_every_risk(editor, reviewer, publisher)
    # Days later the live answers' review dates have passed; no verdict is too old.
    settings.COURTINFO_REVIEW_INTERVAL_DAYS = 10_000
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None: (
            real_localdate(value)
            if value is not None
            else real_localdate() + datetime.timedelta(days=days_later)
        ),
    )

    ranked = dict(ranked_by_risk(Claim.objects.all()).values_list("pk", "risk_rank"))
    claims = audited(with_audit_facts(Claim.objects))

    assert ranked == {c.pk: RISKS.index(c.audit.risk) for c in claims}
    assert {c.audit.risk for c in claims} == set(RISKS)
    reasons = " ".join(reason for c in claims for reason in c.audit.reasons)
    assert ("review was due" in reasons) == bool(days_later)


def test_ranking_by_risk_reads_the_same_queries_whatever_the_claims(editor, reviewer, publisher):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            list(ranked_by_risk(Claim.objects.all()))
        return len(captured)

    none = queries()
    CitationFactory()
    few = queries()
    _claims_of_every_risk(editor, reviewer, publisher)

    assert queries() == few
    # No claim to rank: no citation to read either.
    assert none == few - 1


@pytest.mark.parametrize("chosen", RISKS)
def test_the_risk_filter_lists_the_claims_of_that_risk(
    client, superuser, editor, reviewer, publisher, chosen
):
    _claims_of_every_risk(editor, reviewer, publisher)
    client.force_login(superuser)
    wanted = {c.pk for c in audited(with_audit_facts(Claim.objects)) if c.audit.risk == chosen}

    page = lxml.html.fromstring(client.get(f"/admin/claims/claim/?risk={chosen}").content)

    listed = {int(box.get("value")) for box in page.xpath('//input[@name="_selected_action"]')}
    assert wanted and listed == wanted


# The answer page.


def test_a_live_answers_page_reads_its_live_link_with_the_answer(
    client, superuser, editor, reviewer, publisher
):
    live = AnswerFactory()
    for position in range(2):
        CitationFactory(claim=ClaimFactory(answer=live, position=position))
    workflow.submit_answer(live, by=editor)
    for claim in live.claims.all():
        workflow.verify_claim(claim, by=reviewer, verdict="supported")
    workflow.approve_answer(live, by=reviewer)
    workflow.publish_answer(live, by=publisher, summary="First version")
    live.refresh_from_db()
    client.force_login(superuser)
    url = f"/admin/courtinfo/answer/{live.pk}/change/"
    _page_and_queries(client, url)

    page, queries = _page_and_queries(client, url)

    # The live link's address names the publication's jurisdiction: read with the answer.
    assert f'href="{live.live_publication.get_absolute_url()}"' in page
    assert not [sql for sql in queries if sql.startswith('SELECT "courtinfo_jurisdiction"')]
    [citations] = [sql for sql in queries if sql.startswith('SELECT "claims_citation"."id"')]
    assert "courtinfo_question" not in citations
