"""Full-text search over published questions and claims, on SQLite and PostgreSQL alike."""

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courtinfo import search
from courtinfo.editing import workflow_writes
from courtinfo.models import Answer, Publication
from tests.factories import (
    AnswerFactory,
    ClaimFactory,
    PublicationFactory,
    QuestionFactory,
    SourceFactory,
    TopicFactory,
    jurisdiction,
)

pytestmark = pytest.mark.django_db


def _publish(text: str, *, claims=(), code="MO", topic=None, sources=()):
    question = QuestionFactory(jurisdiction=jurisdiction(code), text=text, topic=topic)
    return PublicationFactory(
        answer=AnswerFactory(question=question),
        blocks=[
            (
                "paragraph",
                None,
                [(claim, list(sources)) for claim in claims] or [("Plain.", list(sources))],
            )
        ],
    )


def _results(client, **params) -> list[str]:
    """The questions the result list shows, read from the page (it may come from the cache)."""
    response = client.get("/search/", params)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    return [link.text_content() for link in page.xpath("//ol[contains(@class, 'results')]/li/a")]


def test_search_finds_words_in_questions_and_claims(client):
    _publish("Can a judge order detention?", claims=["Bail hearings happen within two days."])
    _publish("Who sees court files?", claims=["Clerks keep the files."])

    assert _results(client, q="detention") == ["Can a judge order detention?"]
    assert _results(client, q="hearings") == ["Can a judge order detention?"]
    assert _results(client, q="clerks files") == ["Who sees court files?"]


def test_search_needs_every_word(client):
    _publish("Can a judge order detention?", claims=["Bail hearings happen quickly."])

    assert _results(client, q="detention bail") == ["Can a judge order detention?"]
    assert _results(client, q="detention unicorn") == []


def test_search_skips_unpublished_and_withdrawn_answers(client):
    ClaimFactory(answer=AnswerFactory(question=QuestionFactory(text="Draft detention?")))
    withdrawn = _publish("Withdrawn detention?")
    with workflow_writes():
        Answer.objects.filter(pk=withdrawn.answer_id).update(
            status=Answer.Status.WITHDRAWN, live_publication=None, withdrawn_at=timezone.now()
        )
    _publish("Live detention?")

    assert _results(client, q="detention") == ["Live detention?"]


def test_search_filters_by_jurisdiction_code_and_topic_slug(client):
    records = TopicFactory(slug="records")
    _publish("Missouri records rule?", topic=records)
    _publish("Kansas records rule?", code="KS", topic=records)
    _publish("Missouri other rule?", claims=["About records too."])

    assert _results(client, q="records", jurisdiction="ks") == ["Kansas records rule?"]
    assert sorted(_results(client, q="records", topic="records")) == [
        "Kansas records rule?",
        "Missouri records rule?",
    ]
    assert _results(client, q="records", jurisdiction="MO", topic="records") == [
        "Missouri records rule?"
    ]


def test_search_highlights_matches_in_an_escaped_snippet(client):
    _publish("Records rule?", claims=["The <b>clerk</b> keeps records for years."])

    hit = client.get("/search/", {"q": "records"}).context["hits"][0]

    assert "keeps <mark>records</mark> for years" in hit["snippet"]
    assert "<b>" not in hit["snippet"]


def test_search_is_paginated(client):
    for n in range(search_page_size() + 3):
        _publish(f"Question {n} about records?")

    first = client.get("/search/", {"q": "records"})
    second = client.get("/search/", {"q": "records", "page": 2})

    assert len(first.context["hits"]) == search_page_size()
    assert len(second.context["hits"]) == 3
    assert 'rel="next"' in first.content.decode()


def search_page_size() -> int:
    from courtinfo.views import SEARCH_PAGE_SIZE

    return SEARCH_PAGE_SIZE


def test_empty_query_is_a_normal_page_without_results(client):
    _publish("Records?")
    response = client.get("/search/", {"q": "   "})

    assert response.status_code == 200
    assert response.context["hits"] == []


def test_clean_query_drops_control_characters_and_bounds_length():
    assert search.clean_query("a\x00b\tc\n") == "a b c"
    assert len(search.clean_query("x" * 1000)) == search.MAX_QUERY_LENGTH


def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("ranking, headlines and the index are PostgreSQL's; SQLite orders by date")


@pytest.mark.postgres
def test_postgres_ranks_the_better_match_first(client):
    _needs_postgres()
    _publish("Files?", claims=["Detention once."])
    _publish("Records?", claims=["Detention, detention and detention rules."])

    assert _results(client, q="detention")[0] == "Records?"


@pytest.mark.postgres
def test_postgres_ranks_a_match_in_the_question_above_one_in_the_claims(client):
    _needs_postgres()
    _publish("Records?", claims=["Detention, detention and detention rules."])
    _publish("Detention?", claims=["Nothing else here."])

    assert _results(client, q="detention")[0] == "Detention?"


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index_on_the_stored_document():
    _needs_postgres()
    for n in range(30):
        _publish(f"Question {n} about records?", claims=["Detention rules."])
    live = Publication.objects.live().only(*search.RESULT_FIELDS)
    queryset = search.search(live, search.parse_query("detention RSMo 544.470")).values_list(
        "id", flat=True
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Thirty rows fit one page: make the planner show the plan it would take on a big table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "publication_search_document" in plan, plan
    assert "Bitmap Index Scan" in plan, plan


@pytest.mark.postgres
def test_postgres_keeps_the_search_document_in_the_row_for_ranking():
    _needs_postgres()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'courtinfo_publication'::regclass AND attname = 'search_document'"
        )
        # m: compressed in the row if need be, out of it only when nothing else fits.
        assert cursor.fetchone() == ("m",)


@pytest.mark.postgres
def test_postgres_parses_the_query_once_not_for_each_row_it_ranks(client):
    _needs_postgres()
    for n in range(search_page_size() + 5):
        _publish(f"Question {n} about records?")

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", {"q": "records"})

    parsing = [q["sql"] for q in captured if "websearch_to_tsquery" in q["sql"]]
    ranking = [q["sql"] for q in captured if "ts_rank" in q["sql"]]
    assert len(parsing) == 1
    assert len(ranking) == 1 and "('''record''')::tsquery" in ranking[0], ranking
    assert len(response.context["hits"]) == search_page_size()


@pytest.mark.postgres
def test_postgres_snippets_mark_every_form_of_the_searched_word(client):
    _needs_postgres()
    _publish("Are hearings public?", claims=["A judge heard it at a hearing by the hearth."])

    snippet = str(client.get("/search/", {"q": "hearing"}).context["hits"][0]["snippet"])

    assert "Are <mark>hearings</mark> public?" in snippet
    assert "heard it at a <mark>hearing</mark> by the hearth." in snippet


@pytest.fixture
def cites_section_544_470():
    """One answer citing Mo. Rev. Stat. § 544.470 in a claim's text, one through its source."""
    in_text = _publish(
        "How long can I be held without a warrant?",
        claims=["No more than 24 hours (Mo. Rev. Stat. § 544.470)."],
    )
    in_source = _publish(
        "When must a warrant be issued?",
        claims=["A warrant must follow within a day."],
        sources=[SourceFactory(citation="Mo. Rev. Stat. § 544.470")],
    )
    _publish(
        "Who sees court files?",
        claims=["Records are open (Mo. Rev. Stat. § 610.011)."],
        sources=[SourceFactory(citation="Mo. Rev. Stat. § 544.471")],
    )
    return sorted([in_text.question_text, in_source.question_text])


@pytest.mark.parametrize(
    "query",
    [
        "RSMo 544.470",
        "§ 544.470",
        "Mo. Rev. Stat. § 544.470",
        "Mo. Rev. Stat. 544.470",
        "section 544.470, RSMo",
        "544.470",
    ],
)
def test_a_citation_in_any_written_form_finds_the_answers_citing_it(
    client, cites_section_544_470, query
):
    assert sorted(_results(client, q=query)) == cites_section_544_470


@pytest.mark.parametrize("query", ["K.S.A. 45-215", "Kan. Stat. Ann. § 45-215"])
def test_a_kansas_citation_in_any_written_form_finds_the_answer_citing_it(client, query):
    _publish(
        "Who may see public records?",
        code="KS",
        claims=["Anyone may."],
        sources=[SourceFactory(citation="Kan. Stat. Ann. § 45-215")],
    )
    _publish("Other records?", code="KS", claims=["Clerks keep them (K.S.A. 45-216)."])

    assert _results(client, q=query) == ["Who may see public records?"]


def test_a_result_found_by_a_citation_says_that_it_cites_it(client, cites_section_544_470):
    response = client.get("/search/", {"q": "RSMo 544.470"})
    html = response.content.decode()

    assert [hit["cites"] for hit in response.context["hits"]] == [
        ["Mo. Rev. Stat. § 544.470"],
        ["Mo. Rev. Stat. § 544.470"],
    ]
    assert html.count("Cites Mo. Rev. Stat. § 544.470") == 2
    assert "Cites" not in client.get("/search/", {"q": "warrant"}).content.decode()


def test_a_citation_search_costs_the_same_queries_whatever_the_data_size(
    client, cites_section_544_470
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "RSMo 544.470"}).status_code == 200
        return len(captured)

    small = queries()
    for n in range(25):
        _publish(f"Question {n}?", claims=[f"Held 24 hours at most (RSMo 544.470), case {n}."])
    assert queries() == small


def test_a_citation_and_words_must_both_match(client, cites_section_544_470):
    assert _results(client, q="RSMo 544.470 warrant issued") == ["When must a warrant be issued?"]
    assert _results(client, q="RSMo 544.470 unicorn") == []


def test_another_section_is_not_found_by_a_citation(client, cites_section_544_470):
    assert _results(client, q="RSMo 544.472") == []


def test_without_a_normalizer_a_citation_is_searched_as_words(client, settings):
    settings.COURTINFO_CITATION_NORMALIZER = ""
    _publish("Held without a warrant?", claims=["At most 24 hours (Mo. Rev. Stat. § 544.470)."])

    assert _results(client, q="RSMo 544.470") == []
    assert _results(client, q="Mo. Rev. Stat. § 544.470") == ["Held without a warrant?"]


def test_a_publication_written_before_payloads_listed_citations_is_still_found(client):
    current = _publish("Held without a warrant?", claims=["At most 24 hours (RSMo 544.470)."])
    payload = {key: value for key, value in current.payload.items() if key != "citations"}
    older = PublicationFactory(
        answer=AnswerFactory(
            question=QuestionFactory(jurisdiction=jurisdiction("KS"), text="Old answer?")
        ),
        payload={**payload, "question": {**payload["question"], "text": "Old answer?"}},
    )
    assert "citations" not in older.payload

    assert sorted(_results(client, q="RSMo 544.470")) == ["Held without a warrant?", "Old answer?"]
    assert _results(client, q="old answer") == ["Old answer?"]


def test_results_keep_a_stable_order_across_pages(client):
    for n in range(search_page_size() + 7):
        _publish(f"Question {n} about records?")

    first = _results(client, q="records")
    second = _results(client, q="records", page=2)

    assert len(first) == search_page_size() and len(second) == 7
    assert not set(first) & set(second)
    assert first == _results(client, q="records")


@pytest.mark.parametrize("query", ["sheriff", "", "zzz"])
def test_plain_snippets_start_and_end_on_word_boundaries(query):
    words = [f"word{i:03d}" for i in range(200)]
    words[100] = "sheriff"
    text = " ".join(words)
    headline = search._plain_headline(text, search.query_words(query))
    body = headline.removeprefix("… ").removesuffix(" …")
    body = body.replace(search._START, "").replace(search._STOP, "")
    pieces = body.split(" ")
    assert all(piece in words for piece in pieces), pieces
    assert len(body) <= search._SNIPPET_LENGTH
    if query == "sheriff":
        assert "sheriff" in pieces


@pytest.mark.parametrize(
    "query",
    [
        "§",
        "§§ 1.",
        "(((",
        "'",
        '"unclosed',
        "-",
        "!court | & records",
        "<script>alert(1)</script>",
        "RSMo",
        "RSMo 544.470 -detention",
        "RSMo 544.470 or K.S.A. 45-215",
        "8 U.S.C. § 1373 et seq.",
        "Id. at 5",
        "567 U.S. 387",
        "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ünïcödé",
        "§ 1.2 " * 40,
    ],
)
def test_any_query_gives_a_page_never_an_error(client, query):
    _publish("Court records rule?", claims=["Records are open (RSMo 610.011)."])

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "errors"),
    [
        ("claims.citations.split_query", []),
        ("", []),
        ("claims.citations.no_such_function", ["courtinfo.E001"]),
        ("no_such_module.normalize", ["courtinfo.E001"]),
        ("claims.citations.STATUTE", ["courtinfo.E002"]),
    ],
)
def test_the_system_check_refuses_a_normalizer_that_does_not_load(settings, path, errors):
    from django.core.checks import run_checks

    settings.COURTINFO_CITATION_NORMALIZER = path

    assert [e.id for e in run_checks() if e.id.startswith("courtinfo.")] == errors


def _filter_options(client, name: str) -> list[str]:
    page = lxml.html.fromstring(client.get("/search/", {"q": "anything"}).content)
    return [option.get("value") for option in page.xpath(f"//select[@name='{name}']/option")]


def test_search_filter_lists_are_read_once_and_follow_what_is_live(client):
    _publish("Can a judge order detention?", code="MO", topic=TopicFactory(slug="courts"))
    assert "MO" in _filter_options(client, "jurisdiction")
    # Another search, missed by the page cache, reads neither list from the database again.
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/", {"q": "judge"})
    lists = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "courtinfo_jurisdiction"') or "MAX(" in q["sql"]
    ]
    assert not lists
    # A new publication changes what is live: both lists show it.
    _publish("Who sees court files?", code="KS", topic=TopicFactory(slug="files"))
    assert "KS" in _filter_options(client, "jurisdiction")
    assert "files" in _filter_options(client, "topic")
