"""Every path that changes checked content, from a published and from an approved answer: the public
page keeps the publication that was checked, and nothing new is published without a fresh check
by a second person.

Both answers come from an imported document, so that a re-import meets them too; they are built
once per module (see `module_db`) and each case runs in a savepoint of that.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from types import SimpleNamespace

import lxml.html
import pytest
import reversion
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from claims import workflow
from claims.admin_views import admin_url
from claims.importer.load import import_document
from claims.importer.parse import parse_document
from claims.models import Citation, Claim
from claims.workflow import TransitionError
from courtinfo.models import Answer, Publication, Question
from tests.factories import (
    QuestionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
    jurisdiction,
)
from tests.html_forms import find_form, form_data

pytestmark = pytest.mark.django_db

# The groups' permissions as the migration that made them wrote them (read without a database,
# to leave out at collection time the paths a role cannot take).
GROUP_PERMISSIONS = importlib.import_module(
    "courtinfo.migrations.0002_jurisdictions_and_roles"
).ROLES

S = Answer.Status
CS = Claim.Status
TOPIC = "Court records"
DOCUMENT = (
    "1. What does the records rule say in Missouri?\n"
    "Courts keep a record of every hearing. Clerks answer requests within three days.\n"
    "- Sealed records stay closed.\n"
    "2. What does the filing rule say in Missouri?\n"
    "Judges sign every order. Orders are filed the same day.\n"
    "- Filing is public.\n"
)
# The same document with every claim reworded, as a second draft from the same author would be.
CHANGED_DOCUMENT = DOCUMENT.replace("three days", "ten days").replace("same day", "next day")

ROLES = ("editor", "reviewer", "publisher")
GROUPS = {"editor": "Editors", "reviewer": "Reviewers", "publisher": "Publishers"}
STARTS = ("published", "approved")


# --- the two answers, checked and published as the workflow does it


@pytest.fixture(scope="module")
def world(module_db) -> SimpleNamespace:
    w = SimpleNamespace(
        users={
            role: UserFactory(username=f"paths-{role}", groups=[GROUPS[role]], password=None)
            for role in ROLES
        },
        writer=UserFactory(username="paths-writer", groups=["Editors"], password=None),
        checker=UserFactory(username="paths-checker", groups=["Reviewers"], password=None),
        releaser=UserFactory(username="paths-releaser", groups=["Publishers"], password=None),
        other_topic=TopicFactory(name="Other matters", slug="other-matters"),
        other_source=SourceFactory(title="Rules of Civil Procedure"),
        spare_question=QuestionFactory(text="Who may read a sealed file in Missouri?"),
    )
    import_document(
        parse_document(DOCUMENT.encode(), name="rules.txt"),
        jurisdiction=jurisdiction("MO"),
        topic_name=TOPIC,
        user=w.writer,
    )
    first, second = Question.objects.filter(topic__name=TOPIC).order_by("position")
    w.starts = {
        "published": _published(w, first.answer),
        "approved": _approved_over_a_live_version(w, _published(w, second.answer)),
    }
    return w


def _published(w, answer: Answer) -> SimpleNamespace:
    """Edited, cited, checked, approved and published; with a reworded question, a renamed source
    and a claim and a citation that were added and deleted on the way, so that each has an earlier
    version to go back to."""
    by = w.writer
    for claim in answer.claims.all():
        workflow.edit_claim(claim, by=by, text=claim.text.replace(".", ", by statute."))
    dropped = workflow.add_claim(answer, by=by, text="Clerks may charge for copies.", block=0)
    workflow.delete_claim(dropped, by=by)
    question = answer.question
    with reversion.create_revision():
        question.text = question.text.replace("say", "require")
        question.save()
    source = SourceFactory(title=f"Records Bill {question.position}")
    with reversion.create_revision():
        source.save()
    with reversion.create_revision():
        source.title = f"Records Act {question.position}"
        source.save()
    for claim in answer.claims.all():
        workflow.add_citation(claim, by=by, source=source, pinpoint="§ 1", quote="Kept.")
    removed = workflow.add_citation(claim, by=by, source=w.other_source, quote="Open.")
    workflow.remove_citation(removed, by=by)
    workflow.submit_answer(answer, by=by)
    for claim in answer.claims.all():
        workflow.verify_claim(claim, by=w.checker, verdict=CS.SUPPORTED)
    workflow.approve_answer(answer, by=w.checker)
    workflow.publish_answer(answer, by=w.releaser)
    return SimpleNamespace(
        answer=answer.pk,
        dropped=dropped.pk,
        removed=removed.pk,
        public_url=question.get_absolute_url(),
    )


def _approved_over_a_live_version(w, start: SimpleNamespace) -> SimpleNamespace:
    """Version 1 is live; a corrected claim has been checked and approved, not yet published."""
    answer = Answer.objects.get(pk=start.answer)
    claim = answer.claims.order_by("block", "position").first()
    workflow.edit_claim(claim, by=w.writer, text="Courts keep a sound record of every hearing.")
    workflow.verify_claim(claim, by=w.checker, verdict=CS.SUPPORTED)
    workflow.submit_answer(answer, by=w.writer)
    workflow.approve_answer(answer, by=w.checker)
    return start


# --- the paths


def _answer(start) -> Answer:
    return Answer.objects.select_related("question").get(pk=start.answer)


def _claims(start) -> list[Claim]:
    return list(Claim.objects.filter(answer_id=start.answer).order_by("block", "position", "id"))


def _citation(start) -> Citation:
    return (
        Citation.objects.filter(claim__answer_id=start.answer).order_by("claim__position").first()
    )


def _saved(response) -> None:
    """A change form that saved answers with a redirect; one that did not shows its errors."""
    if response.status_code != 302:
        page = lxml.html.fromstring(response.content)
        errors = page.xpath('//*[contains(@class, "errornote") or contains(@class, "errorlist")]')
        raise AssertionError([e.text_content().strip() for e in errors] or response.status_code)


def _change(client, obj, **typed) -> None:
    """Open the object's change form, type into it and save it."""
    url = admin_url(obj)
    page = client.get(url).content.decode()
    form = find_form(page, form_id=f"{obj._meta.model_name}_form")
    _saved(client.post(url, form_data(form, **typed)))


def _press_revert_form(client, url: str) -> None:
    """Open a revert or recover page and press its button."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    [form] = lxml.html.fromstring(page.content).xpath('//form[@class="revert-form"]')
    _saved(client.post(url, form_data(form)))


def _revert_to_first_version(client, obj) -> None:
    """From the object's history, its oldest version's "Revert to this…"."""
    history = lxml.html.fromstring(client.get(admin_url(obj, "history")).content)
    links = history.xpath('//table[@id="change-history"]//a[contains(@href, "/history/")]/@href')
    _press_revert_form(client, links[-1])


def _claim_text(client, start):
    _change(client, _claims(start)[0], text="Courts keep no record of hearings.")


def _claims_editor(op: str, form_class: str, *, block: int | None = None, **typed):
    """Press a button of the answer page's claims editor: on the first claim's form, or on the
    form of block `block`, or on the page's only form of that class."""

    def change(client, start):
        page = lxml.html.fromstring(client.get(admin_url(_answer(start))).content)
        if form_class == "claim-edit-form":
            if block is not None:
                typed["block"] = block
            first = _claims(start)[0].pk
            mine = f'.//input[@name="claim"][@value="{first}"]'
            where = f'//form[contains(@class, "{form_class}")][{mine}]'
        elif block is not None:
            where = f'//section[@id="block-{block}"]//form[contains(@class, "{form_class}")]'
        else:
            where = f'//form[contains(@class, "{form_class}")]'
        [form] = page.xpath(where)
        response = client.post(form.get("action"), form_data(form, press=("op", op), **typed))
        assert response.status_code == 302, response.status_code
        shown = lxml.html.fromstring(client.get(response["Location"]).content)
        refusals = [r.text_content() for r in shown.xpath('//*[@role="alert"]')]
        assert not refusals, refusals

    return change


def _citation_added_inline(client, start):
    claim = _claims(start)[0]
    page = client.get(admin_url(claim)).content.decode()
    extra = form_data(find_form(page, form_id="claim_form"))["citations-INITIAL_FORMS"][0]
    _change(
        client,
        claim,
        **{
            f"citations-{extra}-source": start.other_source.pk,
            f"citations-{extra}-pinpoint": "Rule 3",
            f"citations-{extra}-quote": "Records are open.",
        },
    )


def _citation_quote_inline(client, start):
    _change(client, _citation(start).claim, **{"citations-0-quote": "Kept, unless sealed."})


def _citation_deleted_inline(client, start):
    _change(client, _citation(start).claim, **{"citations-0-DELETE": "on"})


def _citation_page(client, start):
    _change(client, _citation(start), quote="Kept for a year.")


def _source(field: str, value: str):
    def change(client, start):
        _change(client, _citation(start).source, **{field: value})

    return change


def _question_text(client, start):
    _change(client, _answer(start).question, text="What does the records rule allow in Missouri?")


def _question_topic(client, start):
    _change(client, _answer(start).question, topic=start.other_topic.pk)


def _claim_reverted(client, start):
    _revert_to_first_version(client, _claims(start)[0])


def _answer_reverted(client, start):
    _revert_to_first_version(client, _answer(start))


def _question_reverted(client, start):
    _revert_to_first_version(client, _answer(start).question)


def _claim_recovered(client, start):
    version = Version.objects.get_deleted(Claim).get(object_id=str(start.dropped))
    _press_revert_form(client, reverse("admin:claims_claim_recover", args=[version.pk]))


def _claim_added(client, start):
    page = client.get(reverse("admin:claims_claim_add")).content.decode()
    form = find_form(page, form_id="claim_form")
    data = form_data(form, answer=start.answer, text="Clerks may charge for copies.", block=0)
    _saved(client.post(reverse("admin:claims_claim_add"), data))


def _confirm_delete(client, obj) -> None:
    """The delete page of an object and its "Yes, I'm sure"."""
    url = admin_url(obj, "delete")
    [form] = lxml.html.fromstring(client.get(url).content).xpath('//form[.//input[@name="post"]]')
    _saved(client.post(url, form_data(form)))


def _claim_deleted(client, start):
    _confirm_delete(client, _claims(start)[0])


def _citation_deleted(client, start):
    _confirm_delete(client, _citation(start))


def _citation_recovered(client, start):
    version = Version.objects.get_deleted(Citation).get(object_id=str(start.removed))
    _press_revert_form(client, reverse("admin:claims_citation_recover", args=[version.pk]))


def _source_reverted(client, start):
    _revert_to_first_version(client, _citation(start).source)


def _question_jurisdiction(client, start):
    _change(client, _answer(start).question, jurisdiction=jurisdiction("KS").pk)


def _shell_save(client, start):
    claim = _claims(start)[0]
    claim.text = "Courts keep no record of hearings."
    claim.save()


def _shell_update(client, start):
    Claim.objects.filter(pk=_claims(start)[0].pk).update(text="Courts keep no record of hearings.")


@dataclass(frozen=True)
class Path:
    name: str
    change: Callable
    # The permissions a person needs to take this path; None: a shell, nobody signed in.
    needs: tuple[str, ...] | None
    # Whether the save sends a signal (a queryset update does not).
    signals: bool = True


CHANGE_CLAIM = "claims.change_claim"
PATHS = [
    Path("claim form: text", _claim_text, (CHANGE_CLAIM,)),
    *[
        Path(f"claims editor: {name}", change, (CHANGE_CLAIM, "courtinfo.view_answer", *more))
        for name, change, more in [
            (
                "text",
                _claims_editor("edit", "claim-edit-form", text="Courts keep no hearing record."),
                (),
            ),
            (
                "split",
                _claims_editor("split", "claim-edit-form", text="Courts keep\na record."),
                (),
            ),
            ("merge", _claims_editor("merge", "claim-edit-form"), ()),
            ("move down", _claims_editor("down", "claim-edit-form"), ()),
            ("move to a block", _claims_editor("move", "claim-edit-form", block=1), ()),
            ("delete", _claims_editor("delete", "claim-edit-form"), ("claims.delete_claim",)),
            (
                "add a claim",
                _claims_editor("add", "add-claim-form", block=1, text="Fees apply."),
                (),
            ),
            ("layout", _claims_editor("kind", "block-kind-form", block=0, kind="bullet"), ()),
            (
                "new block",
                _claims_editor("add_block", "add-block-form", kind="bullet", text="Fees apply."),
                (),
            ),
        ]
    ],
    Path(
        "claim page citation inline: add",
        _citation_added_inline,
        (CHANGE_CLAIM, "claims.add_citation"),
    ),
    Path(
        "claim page citation inline: quote",
        _citation_quote_inline,
        (CHANGE_CLAIM, "claims.change_citation"),
    ),
    Path(
        "claim page citation inline: delete",
        _citation_deleted_inline,
        (CHANGE_CLAIM, "claims.delete_citation"),
    ),
    Path("citation page: quote", _citation_page, ("claims.change_citation",)),
    Path(
        "source form: title", _source("title", "Records Act (repealed)"), ("claims.change_source",)
    ),
    Path(
        "source form: url", _source("url", "https://example.org/other"), ("claims.change_source",)
    ),
    Path(
        "source form: citation",
        _source("citation", "Mo. Rev. Stat. § 1.1"),
        ("claims.change_source",),
    ),
    Path("question form: text", _question_text, ("courtinfo.change_question",)),
    Path("question form: topic", _question_topic, ("courtinfo.change_question",)),
    Path("history: revert a claim", _claim_reverted, (CHANGE_CLAIM,)),
    Path("history: revert an answer", _answer_reverted, ("courtinfo.change_answer",)),
    Path("history: revert a question", _question_reverted, ("courtinfo.change_question",)),
    Path("recover a deleted claim", _claim_recovered, ("claims.add_claim", CHANGE_CLAIM)),
    Path("claim add page", _claim_added, ("claims.add_claim",)),
    Path("claim delete page", _claim_deleted, ("claims.delete_claim",)),
    Path("citation delete page", _citation_deleted, ("claims.delete_citation",)),
    Path(
        "recover a deleted citation",
        _citation_recovered,
        ("claims.add_citation", "claims.change_citation"),
    ),
    Path("history: revert a source", _source_reverted, ("claims.change_source",)),
    Path("question form: jurisdiction", _question_jurisdiction, ("courtinfo.change_question",)),
    Path("shell: save()", _shell_save, None),
    Path("shell: queryset update()", _shell_update, None, signals=False),
]


def _cases(paths: list[Path]):
    """Each path for each role that may take it; the others are skipped, never faked."""
    for path in paths:
        if path.needs is None:
            yield pytest.param(path, None, id=f"{path.name}-shell")
            continue
        for role in ROLES:
            held = set(GROUP_PERMISSIONS[GROUPS[role]])
            missing = sorted(set(path.needs) - held)
            marks = (
                [pytest.mark.skip(reason=f"{role}s lack {', '.join(missing)}")] if missing else []
            )
            yield pytest.param(path, role, id=f"{path.name}-{role}", marks=marks)


# --- what every path must leave true


def _public_page(url: str) -> bytes:
    response = Client().get(url)
    assert response.status_code == 200, response.status_code
    return response.content


def _person(w, role: str | None):
    return w.users[role] if role else None


def _signed_in(w, role: str | None) -> Client | None:
    if role is None:
        return None
    client = Client()
    client.force_login(w.users[role])
    return client


def _publishes_only_after_fresh_checks(w, answer: Answer, changer) -> Publication:
    """Refused now; then submitted, every changed claim checked by a reviewer who did not write
    it, and approved by one who did not submit it: only then does it publish."""
    versions = Publication.objects.filter(answer=answer).count()
    with pytest.raises(TransitionError):
        workflow.publish_answer(answer, by=w.releaser)
    assert Publication.objects.filter(answer=answer).count() == versions
    # A change the signals never heard of is found by asking the workflow, as an operator would.
    workflow.reconcile_answer(answer)
    answer.refresh_from_db()
    assert answer.status == S.DRAFT
    workflow.submit_answer(answer, by=w.writer)
    unchecked = list(answer.claims.filter(status=CS.UNVERIFIED))
    if unchecked:
        with pytest.raises(TransitionError, match="unverified"):
            workflow.approve_answer(answer, by=w.checker)
    for claim in unchecked:
        if claim.author_id == getattr(changer, "pk", None) and changer.has_perm(
            "claims.verify_claim"
        ):
            with pytest.raises(TransitionError, match="You wrote"):
                workflow.verify_claim(claim, by=changer, verdict=CS.SUPPORTED)
        if not claim.citations.exists():
            workflow.add_citation(claim, by=w.writer, source=w.other_source, quote="Open.")
        workflow.verify_claim(claim, by=w.checker, verdict=CS.SUPPORTED)
    workflow.approve_answer(answer, by=w.checker)
    publication = workflow.publish_answer(answer, by=w.releaser)
    assert publication.version == versions + 1
    return publication


@pytest.mark.parametrize("start_name", STARTS)
@pytest.mark.parametrize("path,role", list(_cases(PATHS)))
def test_a_change_keeps_the_public_page_and_needs_a_fresh_check(world, path, role, start_name):
    start = SimpleNamespace(**vars(world.starts[start_name]), **vars(world))
    changer = _person(world, role)
    if changer is not None:
        assert all(changer.has_perm(p) for p in path.needs)
    answer = _answer(start)
    public, live, checked = (
        _public_page(start.public_url),
        answer.live_publication_id,
        answer.approved_content,
    )

    path.change(_signed_in(world, role), start)

    answer = _answer(start)
    assert workflow.answer_content(answer) != checked, "the path changed nothing"
    assert _public_page(start.public_url) == public
    assert answer.live_publication_id == live
    if path.signals:
        assert answer.status not in (S.APPROVED, S.PUBLISHED)
    new = _publishes_only_after_fresh_checks(world, answer, changer)
    # Now, and only now, the public reads the change (at the new address if it moved).
    assert _public_page(new.get_absolute_url()) != public
    assert new.payload != Publication.objects.get(pk=live).payload


# --- a re-import meets checked answers and leaves them alone


def _import_page(client, tmp_path):
    page = client.get(reverse("admin:courtinfo_question_import")).content.decode()
    form = find_form(page, form_id="import-form")
    data = form_data(form, jurisdiction=jurisdiction("MO").pk, topic=TOPIC)
    data["files"] = SimpleUploadedFile("rules.txt", CHANGED_DOCUMENT.encode())
    response = client.post(reverse("admin:courtinfo_question_import"), data)
    assert response.status_code == 200
    return response.content.decode()


def _import_command(client, tmp_path):
    document = tmp_path / "rules.txt"
    document.write_text(CHANGED_DOCUMENT)
    out = StringIO()
    call_command("import_qa", str(document), jurisdiction="MO", topic=TOPIC, stdout=out)
    return out.getvalue()


IMPORTS = [
    Path("admin import page", _import_page, ("courtinfo.add_question",)),
    Path("import_qa", _import_command, None),
]


@pytest.mark.parametrize("start_name", STARTS)
@pytest.mark.parametrize("path,role", list(_cases(IMPORTS)))
def test_a_reimport_of_a_changed_document_leaves_a_checked_answer_alone(
    world, path, role, start_name, tmp_path
):
    start = SimpleNamespace(**vars(world.starts[start_name]), **vars(world))
    answer = _answer(start)
    public, status, checked = _public_page(start.public_url), answer.status, answer.approved_content

    report = path.change(_signed_in(world, role), tmp_path)

    assert "2 conflicts" in report
    answer = _answer(start)
    assert answer.status == status
    assert workflow.answer_content(answer) == checked
    assert _public_page(start.public_url) == public
    if status == S.APPROVED:
        # What goes out is what was approved, never the document's new wording.
        payload = workflow.publish_answer(answer, by=world.releaser).payload
        assert "ten days" not in str(payload) and "next day" not in str(payload)
