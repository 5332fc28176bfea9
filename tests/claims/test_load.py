"""Tests for loading parsed documents into the database."""

import re
import threading
import time
from pathlib import Path

import pytest
import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from reversion.errors import RevisionManagementError
from reversion.models import Revision, Version
from reversion.signals import post_revision_commit, pre_revision_commit

from claims.importer import load as loader
from claims.importer.load import (
    ImportRefused,
    current_fingerprint,
    import_document,
    load_document,
    topic_named,
)
from claims.importer.parse import ParseError, parse_document
from claims.models import Citation, Claim
from claims.workflow import TransitionError, edit_claim, mark_claim_unverified, verify_claim
from courtinfo.editing import workflow_writes
from courtinfo.models import Answer, Question
from tests.claims.documents import encoded, seed_mutations
from tests.factories import CitationFactory, UserFactory, jurisdiction

SEED = Path(settings.BASE_DIR) / "claims" / "demo" / "missouri-courts-ice.txt"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
TOPIC = "State courts and immigration enforcement"
QUESTION_LINE = re.compile(r"(\d+)\. (.*\?)\s*")

pytestmark = pytest.mark.django_db


def load(data: bytes, *, name: str = "missouri-courts-ice.txt", code="MO", topic=TOPIC, **kw):
    document = parse_document(data, name=name)
    found = topic_named(topic) if topic else None
    return load_document(document, jurisdiction=jurisdiction(code), topic=found, **kw)


def seed() -> bytes:
    return SEED.read_bytes()


def answers() -> list[Answer]:
    return list(
        Answer.objects.select_related("question")
        .prefetch_related("claims")
        .order_by("question__topic__name", "question__position")
    )


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def changed_seed() -> bytes:
    """The seed with question 2's answer and question 3's answer edited."""
    text = seed().decode()
    text = text.replace(
        "2. State courts have their own rules",
        "2. State courts in Missouri follow their own rules",
    )
    text = text.replace(
        "In Missouri, state courts typically share the following types of information with ICE:",
        "In Missouri, state courts may share these types of information with ICE:\n"
        "- Names and dates of birth.",
    )
    return text.encode()


def test_seed_questions_are_kept_word_for_word():
    load(seed())

    matches = [QUESTION_LINE.fullmatch(line) for line in seed().decode().splitlines()]
    expected = [(int(match.group(1)), match.group(2)) for match in matches if match]
    stored = list(Question.objects.order_by("position").values_list("position", "text"))
    assert len(expected) == 20
    assert stored == expected


def test_seed_keeps_each_answers_block_structure():
    load(seed())

    first, second = answers()[:2]
    assert first.blocks == [
        {"kind": "numbered", "number": 1},
        {"kind": "paragraph", "number": None},
    ]
    assert second.blocks == [
        {"kind": "paragraph", "number": None},
        {"kind": "numbered", "number": 1},
        {"kind": "numbered", "number": 2},
    ]
    document = parse_document(seed(), name="seed")
    for answer, parsed in zip(answers(), document.questions, strict=True):
        assert answer.blocks == [{"kind": b.kind, "number": b.number} for b in parsed.blocks]


def test_seed_claims_are_the_sentences_of_each_block_in_order():
    load(seed())

    document = parse_document(seed(), name="seed")
    for answer, parsed in zip(answers(), document.questions, strict=True):
        stored = [(claim.block, claim.text) for claim in answer.claims.all()]
        wanted = [(i, text) for i, block in enumerate(parsed.blocks) for text in block.claims]
        assert stored == wanted
        assert [claim.position for claim in answer.claims.all()] == list(range(len(wanted)))


def test_seed_claim_counts_per_answer():
    load(seed())

    # Sentences counted by reading the document: question 1 has a point of four sentences
    # and a paragraph of two, question 2 a one-sentence paragraph and two one-sentence points.
    counts = [len(answer.claims.all()) for answer in answers()]
    assert counts[:2] == [6, 3]
    assert counts[6] == 4  # one paragraph of four sentences
    assert counts[8] == 6  # one paragraph of six sentences
    assert sum(counts) == Claim.objects.count()
    assert all(count > 0 for count in counts)


def test_citations_stay_whole_in_one_claim():
    load((FIXTURES / "variations.txt").read_bytes(), name="variations.txt")
    load((FIXTURES / "kansas.txt").read_bytes(), name="kansas.txt", code="KS")

    texts = list(Claim.objects.values_list("text", flat=True))
    for citation in (
        "Mo. Rev. Stat. § 67.307",
        "8 U.S.C. § 1373",
        "K.S.A. 45-215 et seq.",
        "Kan. Stat. Ann. § 21-6810",
        "8 U.S.C. § 1357(g)",
    ):
        assert sum(citation in text for text in texts) == 1, citation


def test_seed_imports_as_drafts_with_unverified_claims():
    load(seed())

    assert set(Answer.objects.values_list("status", flat=True)) == {Answer.Status.DRAFT}
    assert set(Claim.objects.values_list("status", flat=True)) == {Claim.Status.UNVERIFIED}
    assert not Claim.objects.filter(verified_by__isnull=False).exists()


def test_seed_questions_get_compare_keys_without_the_state():
    load(seed())

    first = Question.objects.get(position=1)
    assert first.compare_key == (
        "what-is-the-current-policy-or-procedure-for-state-courts-in-to-share-information-with-ice"
    )
    keys = list(Question.objects.values_list("compare_key", flat=True))
    assert all(keys) and not any("missouri" in key for key in keys)


def test_seed_questions_keep_their_file_name_topic_and_unique_slugs():
    load(seed())

    questions = Question.objects.all()
    assert {q.source_file for q in questions} == {"missouri-courts-ice.txt"}
    assert {q.topic.name for q in questions} == {TOPIC}
    assert len({q.slug for q in questions}) == 20
    assert Question.objects.get(position=9).slug == (
        "how-does-the-public-perceive-the-collaboration-between-state-courts-and-ice-in-missouri"
    )


def test_answer_fingerprint_is_the_fingerprint_of_its_content():
    load(seed())

    for answer in answers():
        assert answer.import_fingerprint == current_fingerprint(answer)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="bom"),
        pytest.param(lambda data: data.replace(b"\n", b"\n\n  \n"), id="blank-lines"),
        pytest.param(lambda data: data.replace(b"\n", b"   \n"), id="trailing-spaces"),
    ],
)
def test_line_ends_bom_and_blank_lines_give_the_same_content(variant):
    data = (FIXTURES / "variations.txt").read_bytes()
    load(data, name="variations.txt")

    report = load(variant(data), name="variations.txt")

    assert report.questions_unchanged == 3
    assert report.questions_created == report.questions_updated == 0


def test_points_past_nine_bullets_and_a_leading_point_are_kept():
    load((FIXTURES / "variations.txt").read_bytes(), name="variations.txt")

    first, second, third = answers()
    assert first.blocks[0] == {"kind": "numbered", "number": 1}
    assert [b["kind"] for b in second.blocks] == ["paragraph", "bullet", "bullet", "bullet"]
    assert [b["number"] for b in third.blocks] == [None, *range(1, 13)]
    assert [c.text for c in second.claims.all()][-1] == (
        "A round bullet, e.g. this one, keeps its abbreviation."
    )


def test_a_second_state_and_topic_coexist_and_share_compare_keys():
    load(seed())
    load((FIXTURES / "kansas.txt").read_bytes(), name="kansas.txt", code="KS", topic="Records")

    missouri = Question.objects.get(jurisdiction__code="MO", position=1)
    kansas = Question.objects.get(jurisdiction__code="KS", position=1)
    assert missouri.compare_key == kansas.compare_key
    assert missouri.topic.name == TOPIC and kansas.topic.name == "Records"
    assert Question.objects.filter(jurisdiction__code="MO").count() == 20
    assert Question.objects.filter(jurisdiction__code="KS").count() == 2


def test_same_state_with_two_topics_keeps_both_and_slugs_unique():
    data = (FIXTURES / "variations.txt").read_bytes()
    load(data, name="variations.txt", topic="Records")
    load(data, name="variations.txt", topic="Juvenile courts")

    assert Question.objects.count() == 6
    slugs = list(Question.objects.filter(position=1).values_list("slug", flat=True))
    assert sorted(slugs) == [
        "when-may-a-court-in-missouri-release-a-juvenile-record",
        "when-may-a-court-in-missouri-release-a-juvenile-record-2",
    ]


def test_a_long_question_gets_a_slug_of_at_most_200_characters_cut_between_words():
    question = "1. " + " ".join(["Does Missouri require"] * 40) + "?\nYes.\n"
    load(question.encode(), name="long.txt", topic=None)

    stored = Question.objects.get()
    assert len(stored.slug) <= 200 and len(stored.compare_key) <= 200
    assert stored.slug.endswith(("does", "missouri", "require"))


def test_reimporting_the_same_file_writes_nothing():
    load(seed())
    versions, revisions = Version.objects.count(), Revision.objects.count()

    with CaptureQueriesContext(connection) as queries:
        report = load(seed())

    assert writes(queries) == []
    assert (Version.objects.count(), Revision.objects.count()) == (versions, revisions)
    assert report.questions_unchanged == 20 and report.claims_unchanged == Claim.objects.count()
    assert report.conflicts == []


def test_import_records_one_revision_per_document_with_the_file_name():
    user = UserFactory(username="importing-editor", groups=["Editors"])
    load(seed(), user=user)

    revision = Revision.objects.get()
    assert revision.comment == "Imported from missouri-courts-ice.txt"
    assert revision.user == user
    # Every question, answer and claim of the document, once each.
    stored = list(revision.version_set.values_list("content_type__model", "object_id"))
    assert len(stored) == len(set(stored)) == 20 + 20 + Claim.objects.count()
    answer = Answer.objects.get(question__position=2)
    assert Version.objects.get_for_object(answer).get().revision == revision
    for claim in answer.claims.all():
        assert Version.objects.get_for_object(claim).get().field_dict["text"] == claim.text


# The import stores its revision in bulk, by hand (claims.importer.revision): the rows must be
# those django-reversion itself stores for the same objects, byte for byte.

NON_ASCII = "Niño §"


def with_non_ascii(data: bytes) -> bytes:
    """The document with text that json.dumps escapes unless told not to, in a question and
    in a claim."""
    text = data.decode()
    text = text.replace("policy or procedure", f"policy or procedure ({NON_ASCII} 1)")
    text = text.replace("Missouri Sunshine Law,", f"Missouri Sunshine Law ({NON_ASCII} 610),")
    return text.encode()


def stored(revision: Revision) -> tuple:
    """The revision's user and comment and each of its versions, in the order they were made."""
    versions = revision.version_set.order_by("pk").values_list(
        "content_type", "object_id", "db", "format", "serialized_data", "object_repr"
    )
    return (revision.user_id, revision.comment), list(versions)


def reversions_own(revision: Revision) -> tuple:
    """What reversion.create_revision and add_to_revision store for the questions and answers
    of `revision`, read afresh from the database, with its user and comment (rolled back)."""
    answer_ids = revision.version_set.filter(
        content_type=ContentType.objects.get_for_model(Answer)
    ).values_list("object_id", flat=True)
    answers = (
        Answer.objects.filter(pk__in=[int(pk) for pk in answer_ids])
        .select_related("question")
        .prefetch_related("claims__citations")
        .order_by("question__position", "pk")
    )
    with transaction.atomic():
        with reversion.create_revision():
            reversion.set_user(revision.user)
            reversion.set_comment(revision.comment)
            for answer in answers:
                reversion.add_to_revision(answer.question)
                reversion.add_to_revision(answer)
        own = stored(Revision.objects.order_by("-pk").first())
        transaction.set_rollback(True)
    return own


def test_the_imports_revision_is_the_one_reversion_would_store(editor):
    load(with_non_ascii(seed()), user=editor)

    revision = Revision.objects.get()
    assert stored(revision) == reversions_own(revision)
    question = Question.objects.get(position=1)
    assert NON_ASCII in Version.objects.get_for_object(question).get().serialized_data
    assert Version.objects.get_for_object(question).get().object_repr == question.text
    claim = Claim.objects.get(text__contains=NON_ASCII)
    assert NON_ASCII in Version.objects.get_for_object(claim).get().serialized_data


def test_a_reimports_revision_is_the_one_reversion_would_store(editor, other_editor):
    load(with_non_ascii(seed()), user=editor)

    # Updated questions, answers and claims (their versions bumped), a claim added, and the
    # last point of question 4's answer removed.
    changed = b"".join(
        line
        for line in with_non_ascii(changed_seed()).splitlines(keepends=True)
        if not line.startswith(b"4. Ultimately, the extent")
    )
    report = load(changed, user=other_editor)

    assert (report.questions_updated, report.claims_created) == (3, 1)
    assert report.claims_deleted > 0
    revision = Revision.objects.order_by("-pk").first()
    assert stored(revision) == reversions_own(revision)


def test_a_citation_the_answers_lock_did_not_see_is_in_the_revision(monkeypatch, editor):
    load(seed(), user=editor)
    claim = Claim.objects.get(answer__question__position=3, position=0)
    lock = loader._lock

    def lock_then_a_citation_is_added(answers):
        found = lock(answers)
        CitationFactory(claim=claim)
        return found

    monkeypatch.setattr(loader, "_lock", lock_then_a_citation_is_added)
    load(changed_seed(), user=editor)

    revision = Revision.objects.order_by("-pk").first()
    citations = revision.version_set.filter(
        content_type=ContentType.objects.get_for_model(Citation)
    )
    assert citations.count() == 1
    assert stored(revision) == reversions_own(revision)


def test_the_import_sends_reversions_revision_signals():
    sent = []

    def pre(sender, revision, versions, **kwargs):
        sent.append(("pre", revision.pk, revision.comment, len(versions)))

    def post(sender, revision, versions, **kwargs):
        sent.append(("post", revision.pk, revision.comment, len(versions)))

    pre_revision_commit.connect(pre)
    post_revision_commit.connect(post)
    try:
        load(seed())
    finally:
        pre_revision_commit.disconnect(pre)
        post_revision_commit.disconnect(post)

    revision = Revision.objects.get()
    count = revision.version_set.count()
    comment = "Imported from missouri-courts-ice.txt"
    assert sent == [("pre", None, comment, count), ("post", revision.pk, comment, count)]


def test_the_imports_revision_is_not_merged_into_an_open_one():
    with pytest.raises(RevisionManagementError), reversion.create_revision():
        load(seed())

    assert not Question.objects.exists() and not Revision.objects.exists()


def test_changed_file_updates_the_changed_drafts_in_a_new_revision():
    load(seed())
    before = Revision.objects.count()
    second = Answer.objects.get(question__position=2)
    first_claim_ids = list(second.claims.values_list("pk", flat=True))

    report = load(changed_seed(), name="missouri-courts-ice-v2.txt")

    assert (report.questions_updated, report.questions_unchanged) == (2, 18)
    # Claims are matched by position: question 2 changes one; the bullet inserted into
    # question 3 changes its first claim and moves the five after it one place on.
    assert (report.claims_updated, report.claims_created) == (1 + 6, 1)
    assert Revision.objects.count() == before + 1
    latest = Revision.objects.order_by("-pk").first()
    assert latest.comment == "Imported from missouri-courts-ice-v2.txt"
    # The two questions and answers it changed, with all their claims.
    changed = Claim.objects.filter(answer__question__position__in=[2, 3]).count()
    assert latest.version_set.count() == 2 + 2 + changed
    texts = list(second.claims.values_list("text", flat=True))
    assert texts[2].startswith("State courts in Missouri follow their own rules")
    assert list(second.claims.values_list("pk", flat=True)) == first_claim_ids
    third = Answer.objects.get(question__position=3)
    assert [b["kind"] for b in third.blocks][:2] == ["paragraph", "bullet"]
    assert third.claims.get(position=1).text == "Names and dates of birth."
    assert third.import_fingerprint == current_fingerprint(third)


def test_changed_file_removes_claims_it_no_longer_has():
    load(seed())
    shorter = (
        seed()
        .decode()
        .replace(
            "2. State courts have their own rules and regulations regarding the sharing of "
            "information with federal agencies, including ICE, and the extent to which they comply "
            "with such requests may vary from jurisdiction to jurisdiction.\n",
            "",
        )
    )

    report = load(shorter.encode())

    assert report.claims_deleted == 1
    assert Answer.objects.get(question__position=2).claims.count() == 2


def test_changed_question_text_updates_slug_and_compare_key():
    load(seed())
    edited = seed().decode().replace("9. How does the public perceive", "9. How do people see")

    load(edited.encode())

    question = Question.objects.get(position=9)
    assert question.slug.startswith("how-do-people-see-the-collaboration")
    assert question.compare_key.startswith("how-do-people-see-the-collaboration")


def swapped(data: bytes, first: int, second: int) -> bytes:
    """The document with the texts of two questions swapped, each keeping its answer."""
    lines = data.decode().split("\n")
    found = {}
    for index, line in enumerate(lines):
        match = QUESTION_LINE.fullmatch(line)
        if match and int(match.group(1)) in (first, second):
            found[int(match.group(1))] = (index, match.group(2))
    (i, first_text), (j, second_text) = found[first], found[second]
    lines[i], lines[j] = f"{first}. {second_text}", f"{second}. {first_text}"
    return "\n".join(lines).encode()


def test_two_questions_that_swap_texts_swap_slugs_as_if_renamed_in_turn():
    load(seed())
    # Question 3 made again, so its row comes after question 4's, as the database orders them.
    Question.objects.filter(position=3).delete()
    load(seed())
    slugs = dict(Question.objects.values_list("position", "slug"))

    report = load(swapped(seed(), 3, 4))

    assert report.questions_updated == 2 and report.conflicts == []
    # Question 3 cannot take question 4's slug while 4 still holds it; 4 then takes 3's.
    assert Question.objects.get(position=3).slug == slugs[4] + "-2"
    assert Question.objects.get(position=4).slug == slugs[3]


def test_a_new_question_takes_the_slug_a_renamed_one_gave_up():
    load(seed())
    old = Question.objects.get(position=20)
    added = f"21. {old.text}\nThe same question, asked again.\n"
    renamed = seed().decode().replace(f"20. {old.text}", "20. What changed in Missouri in 2024?")

    report = load((renamed + added).encode())

    assert (report.questions_updated, report.questions_created) == (1, 1)
    assert Question.objects.get(position=21).slug == old.slug
    assert Question.objects.get(position=20).slug == "what-changed-in-missouri-in-2024"


def test_answer_a_person_edited_is_a_conflict_and_left_alone():
    load(seed())
    claim = Claim.objects.get(answer__question__position=2, position=2)
    Claim.objects.filter(pk=claim.pk).update(text="Corrected by an editor.")

    report = load(changed_seed())

    assert [number for number, _sentence in report.conflicts] == [2]
    assert "edited" in report.conflicts[0][1]
    assert Claim.objects.get(pk=claim.pk).text == "Corrected by an editor."
    assert report.questions_updated == 1
    third = Answer.objects.get(question__position=3)
    assert third.claims.get(position=1).text == "Names and dates of birth."


def test_answer_in_review_is_a_conflict_and_left_alone():
    load(seed())
    with workflow_writes():
        Answer.objects.filter(question__position=3).update(status=Answer.Status.IN_REVIEW)
    versions = Version.objects.count()

    report = load(changed_seed())

    assert [number for number, _sentence in report.conflicts] == [3]
    assert "in review" in report.conflicts[0][1]
    third = Answer.objects.get(question__position=3)
    assert not third.claims.filter(text="Names and dates of birth.").exists()
    assert third.status == Answer.Status.IN_REVIEW
    assert Version.objects.count() == versions + 1 + 1 + 3  # only question 2 changed


def test_verified_or_cited_claims_make_a_conflict():
    load(seed())
    with workflow_writes():
        Claim.objects.filter(answer__question__position=2, position=0).update(
            status=Claim.Status.NOT_A_CLAIM
        )
    CitationFactory(claim=Claim.objects.get(answer__question__position=3, position=0))

    report = load(changed_seed())

    assert sorted(number for number, _sentence in report.conflicts) == [2, 3]
    assert report.questions_updated == 0


def test_a_question_without_an_answer_is_a_conflict_and_left_alone():
    load(seed())
    Answer.objects.filter(question__position=4).delete()

    report = load(seed())

    assert report.conflicts == [(4, "the question exists without an answer; left alone")]
    assert not Answer.objects.filter(question__position=4).exists()


def test_unchanged_file_does_not_report_a_persons_edit_as_a_conflict():
    load(seed())
    Claim.objects.filter(answer__question__position=2, position=2).update(text="Edited.")

    report = load(seed())

    assert report.conflicts == [] and report.questions_unchanged == 20
    assert Claim.objects.filter(text="Edited.").exists()


def test_dry_run_reports_but_writes_nothing():
    load(seed())
    counts = (Question.objects.count(), Claim.objects.count(), Version.objects.count())

    report = load(changed_seed(), dry_run=True)

    assert report.dry_run and report.questions_updated == 2 and report.claims_created == 1
    assert (Question.objects.count(), Claim.objects.count(), Version.objects.count()) == counts
    assert not Claim.objects.filter(text="Names and dates of birth.").exists()


def test_dry_run_of_a_new_file_creates_nothing():
    report = load(seed(), dry_run=True)

    assert report.questions_created == 20 and report.claims_created > 0
    assert not Question.objects.exists() and not Revision.objects.exists()


def test_questions_no_longer_in_the_file_are_reported_and_kept():
    load(seed())
    first_two = seed().decode().split("\n3. ")[0] + "\n"

    report = load(first_two.encode())

    assert report.missing == list(range(3, 21))
    assert Question.objects.count() == 20


def test_seed_import_query_count_is_bounded(django_assert_max_num_queries):
    topic = topic_named(TOPIC)
    document = parse_document(seed(), name="seed.txt")
    missouri = jurisdiction("MO")
    # Three reads of what is there, an insert per table (SQLite takes at most 999 parameters a
    # statement: two more for the claims), the revision and its versions (one COPY on
    # PostgreSQL, two inserts on SQLite), with nothing read back; the savepoint and its release;
    # the content types on first use; the four queries that make the importer account on first
    # use.
    with django_assert_max_num_queries(3 + 3 + 2 + 1 + 2 + 2 + 3 + 4):
        load_document(document, jurisdiction=missouri, topic=topic)


# Who wrote the imported text


def authors(model) -> set[tuple[int | None, int | None]]:
    return set(model.objects.values_list("author", "updated_by"))


def test_the_person_who_imports_is_the_author_of_every_claim(editor):
    load(seed(), user=editor)

    assert authors(Claim) == {(editor.pk, editor.pk)}
    assert set(Answer.objects.values_list("updated_by", flat=True)) == {editor.pk}
    assert set(Question.objects.values_list("updated_by", flat=True)) == {editor.pk}


def test_a_reimport_makes_its_importer_the_author_of_the_claims_it_changes(editor, other_editor):
    load(seed(), user=editor)

    report = load(changed_seed(), user=other_editor)

    changed = report.claims_updated + report.claims_created
    assert Claim.objects.filter(author=other_editor, updated_by=other_editor).count() == changed
    assert Claim.objects.filter(author=editor).count() == Claim.objects.count() - changed


def test_without_a_person_the_claims_are_written_by_the_importer_account():
    load(seed())

    account = get_user_model().objects.get(username="importer")
    assert authors(Claim) == {(account.pk, account.pk)}
    assert account.first_name == "Imported document"
    assert not account.has_usable_password()
    assert not (account.is_active or account.is_staff or account.is_superuser)
    assert not account.groups.exists()


def test_the_importer_account_is_made_once():
    load(seed())
    load(changed_seed())

    assert get_user_model().objects.filter(username="importer").count() == 1


def test_an_importer_account_a_person_can_log_in_with_is_refused():
    UserFactory(username="importer", groups=["Editors"])

    with pytest.raises(ImportRefused, match="name the person who imports"):
        load(seed())

    assert not Question.objects.exists()


@pytest.mark.parametrize("importer", ["superuser", "editor_and_reviewer"])
def test_the_person_who_imported_a_claim_cannot_verify_it(request, importer):
    if importer == "superuser":
        person = request.getfixturevalue("superuser")
    else:
        person = UserFactory(username="both", groups=["Editors", "Reviewers"])
    load(seed(), user=person)
    claim = Claim.objects.get(answer__question__position=1, position=0)

    with pytest.raises(TransitionError, match="You wrote the current text"):
        verify_claim(claim, by=person, verdict=Claim.Status.NOT_A_CLAIM)

    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNVERIFIED


def test_another_reviewer_can_verify_an_imported_claim(editor, reviewer):
    load(seed(), user=editor)
    claim = Claim.objects.get(answer__question__position=1, position=0)

    verify_claim(claim, by=reviewer, verdict=Claim.Status.NOT_A_CLAIM)

    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NOT_A_CLAIM


# What the import may write, and what a person's work keeps it from


WORKFLOW_COLUMNS = {
    "courtinfo_answer": (
        "status",
        "live_publication_id",
        "submitted_by_id",
        "submitted_at",
        "approved_by_id",
        "approved_at",
        "withdrawn_reason",
        "withdrawn_at",
    ),
    "claims_claim": ("status", "verified_by_id", "verified_at", "note"),
}


def test_an_update_never_writes_a_status_or_a_verdict(editor):
    load(seed(), user=editor)

    with CaptureQueriesContext(connection) as queries:
        report = load(changed_seed(), user=editor)

    assert report.questions_updated == 2
    updates = [sql for sql in writes(queries) if sql.lstrip().upper().startswith("UPDATE")]
    assert any('"courtinfo_answer"' in sql for sql in updates)
    assert any('"claims_claim"' in sql for sql in updates)
    for sql in updates:
        table = re.match(r'\s*UPDATE\s+"(\w+)"', sql).group(1)
        assigned = sql.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
        for column in WORKFLOW_COLUMNS.get(table, ()):
            assert f'"{column}" =' not in assigned, sql


@pytest.mark.parametrize("undo", ["text-edited-back", "verdict-taken-back"])
def test_an_answer_with_workflow_events_is_a_conflict_though_its_text_is_as_imported(
    editor, reviewer, undo
):
    load(seed(), user=editor)
    claim = Claim.objects.get(answer__question__position=2, position=0)
    imported_text = claim.text
    if undo == "text-edited-back":
        edit_claim(claim, by=reviewer, text="A reviewer's wording.")
        edit_claim(claim, by=reviewer, text=imported_text)
    else:
        verify_claim(claim, by=reviewer, verdict=Claim.Status.NOT_A_CLAIM)
        mark_claim_unverified(claim, by=reviewer, reason="Looked again.")

    report = load(changed_seed(), user=editor)

    assert [number for number, _sentence in report.conflicts] == [2]
    assert "workflow events" in report.conflicts[0][1]
    second = Answer.objects.get(question__position=2)
    assert not second.claims.filter(text__startswith="State courts in Missouri follow").exists()


def test_an_edit_made_after_the_import_read_the_answers_is_a_conflict_and_kept(
    monkeypatch, editor, reviewer
):
    load(seed(), user=editor)
    claim = Claim.objects.get(answer__question__position=2, position=2)
    read = loader._Loader._existing_questions

    def read_then_someone_edits(self):
        found = read(self)
        edit_claim(Claim.objects.get(pk=claim.pk), by=reviewer, text="Corrected meanwhile.")
        return found

    monkeypatch.setattr(loader._Loader, "_existing_questions", read_then_someone_edits)
    report = load(changed_seed(), user=editor)

    assert [number for number, _sentence in report.conflicts] == [2]
    assert Claim.objects.get(pk=claim.pk).text == "Corrected meanwhile."
    assert Claim.objects.get(pk=claim.pk).author == reviewer


# A re-import racing a person's edit, on PostgreSQL. The re-import runs in a thread of its own, so
# on a connection and in a transaction of its own; events order the steps, so every run takes the
# same path.


def on_postgresql(test):
    marks = (
        pytest.mark.postgres,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason="SQLite has no row locks and admits one writer at a time; the race needs "
            "PostgreSQL",
        ),
    )
    for mark in marks:
        test = mark(test)
    return test


class PausedReimport:
    """The changed seed re-imported in another thread that stops once it has read the answers."""

    def __init__(self, monkeypatch, *, by) -> None:
        self.by = by
        self.has_read = threading.Event()
        self.resume = threading.Event()
        self.pid: int | None = None
        self.report = None
        self.error: Exception | None = None
        read = loader._Loader._existing_questions

        def read_then_wait(loader_self):
            found = read(loader_self)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.has_read.set()
            self.resume.wait(timeout=30)
            return found

        monkeypatch.setattr(loader._Loader, "_existing_questions", read_then_wait)
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            self.report = load(changed_seed(), user=self.by)
        except Exception as error:  # raised again by finish(), in the test's thread
            self.error = error
        finally:
            self.has_read.set()
            connections.close_all()

    def start(self) -> "PausedReimport":
        self.thread.start()
        assert self.has_read.wait(timeout=30)
        return self

    def finish(self):
        self.resume.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive(), "the re-import never finished"
        if self.error is not None:
            raise self.error
        return self.report


def waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def seed_imported_for_a_race() -> tuple:
    """The seed imported by an editor; a reviewer; the claim the reviewer is about to edit."""
    editor = UserFactory(username="racing-editor", groups=["Editors"], password=None)
    reviewer = UserFactory(username="racing-reviewer", groups=["Reviewers"], password=None)
    load(seed(), user=editor)
    return editor, reviewer, Claim.objects.get(answer__question__position=2, position=2)


@on_postgresql
def test_an_edit_committed_while_a_reimport_runs_is_kept_and_reported(monkeypatch):
    editor, reviewer, claim = seed_imported_for_a_race()

    reimport = PausedReimport(monkeypatch, by=editor).start()
    try:
        edit_claim(claim, by=reviewer, text="Corrected meanwhile.")
    finally:
        report = reimport.finish()

    assert [number for number, _sentence in report.conflicts] == [2]
    assert Claim.objects.get(pk=claim.pk).text == "Corrected meanwhile."
    assert report.questions_updated == 1
    assert (
        Answer.objects.get(question__position=3)
        .claims.filter(text="Names and dates of birth.")
        .exists()
    )


@on_postgresql
def test_a_reimport_waits_for_an_edit_in_progress_then_leaves_it_alone(monkeypatch):
    editor, reviewer, claim = seed_imported_for_a_race()

    reimport = PausedReimport(monkeypatch, by=editor).start()
    try:
        with transaction.atomic():
            edit_claim(claim, by=reviewer, text="Corrected meanwhile.")
            reimport.resume.set()
            # The edit commits only once the re-import is queued behind its lock.
            deadline = time.monotonic() + 30
            while not waits_for_a_lock(reimport.pid):
                assert time.monotonic() < deadline, "the re-import never waited for the lock"
                time.sleep(0.01)
    finally:
        report = reimport.finish()

    assert [number for number, _sentence in report.conflicts] == [2]
    assert "edited" in report.conflicts[0][1]
    assert Claim.objects.get(pk=claim.pk).text == "Corrected meanwhile."
    assert Claim.objects.get(pk=claim.pk).author == reviewer


# Limits


def numbered_questions(count: int) -> bytes:
    return "".join(
        f"{n}. Is rule {n} in force in Missouri?\nYes.\n" for n in range(1, count + 1)
    ).encode()


def test_a_document_with_more_questions_than_the_limit_is_refused(settings, editor):
    settings.COURTINFO_IMPORT_MAX_QUESTIONS = 19
    document = parse_document(seed(), name="seed.txt")

    with pytest.raises(ImportRefused) as refused:
        import_document(document, user=editor)

    line = document.questions[19].line
    assert str(refused.value) == (
        f"seed.txt:{line}: question 20 is one too many; a document holds at most 19 questions "
        "(COURTINFO_IMPORT_MAX_QUESTIONS)"
    )
    assert not Question.objects.exists()


def test_the_question_limit_is_a_hundred_by_default(editor):
    import_document(parse_document(numbered_questions(100), name="100.txt"), user=editor)

    with pytest.raises(ImportRefused, match="101.txt:201: question 101 is one too many"):
        import_document(parse_document(numbered_questions(101), name="101.txt"), user=editor)

    assert Question.objects.count() == 100


# The number of queries of an import does not grow with the document. Both sizes fit in one
# statement per table even on SQLite, whose statements take at most 999 parameters.
SMALL, LARGE = 5, 40


def import_queries(data: bytes, *, name: str, user) -> int:
    document = parse_document(data, name=name)
    missouri = jurisdiction("MO")
    with CaptureQueriesContext(connection) as queries:
        import_document(document, jurisdiction=missouri, topic_name=name, user=user)
    return len(queries)


def test_a_new_document_costs_the_same_queries_whatever_its_length(editor):
    # The first import looks the content types up for django-reversion; later ones do not.
    import_queries(numbered_questions(1), name="warm-up", user=editor)

    small = import_queries(numbered_questions(SMALL), name="small", user=editor)
    large = import_queries(numbered_questions(LARGE), name="large", user=editor)

    assert Question.objects.filter(topic__name="large").count() == LARGE
    assert small == large


def test_a_changed_document_costs_the_same_queries_whatever_its_length(editor):
    for size, name in ((SMALL, "small"), (LARGE, "large")):
        import_queries(numbered_questions(size), name=name, user=editor)
    changed = {
        name: numbered_questions(size).replace(b"\nYes.\n", b"\nNo.\n")
        for size, name in ((SMALL, "small"), (LARGE, "large"))
    }

    small = import_queries(changed["small"], name="small", user=editor)
    large = import_queries(changed["large"], name="large", user=editor)

    assert set(
        Claim.objects.filter(answer__question__topic__name="large").values_list("text", flat=True)
    ) == {"No."}
    assert small == large


def test_an_unchanged_document_costs_the_same_queries_whatever_its_length(editor):
    for size, name in ((SMALL, "small"), (LARGE, "large")):
        import_queries(numbered_questions(size), name=name, user=editor)

    small = import_queries(numbered_questions(SMALL), name="small", user=editor)
    large = import_queries(numbered_questions(LARGE), name="large", user=editor)

    assert small == large


# A refused document writes nothing, whatever it holds


def row_counts() -> dict[str, int]:
    models = [
        model
        for label in ("courtinfo", "claims", "reversion", "auth")
        for model in apps.get_app_config(label).get_models()
    ]
    return {model._meta.label: model.objects.count() for model in models}


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=encoded(seed_mutations()))
def test_a_refused_document_writes_nothing_and_an_accepted_one_is_valid(data):
    before = row_counts()
    try:
        document = parse_document(data, name="mutated.txt")
        import_document(document, topic_name=TOPIC)
    except (ParseError, ImportRefused):
        assert row_counts() == before
        return
    for answer in Answer.objects.all():
        answer.clean_fields()
        assert all(claim.block < len(answer.blocks) for claim in answer.claims.all())
