"""Who may do what, generated from the code rather than listed: every admin page, every workflow
call in the state tables and every changelist action, for every role.

One set of objects is built per module (see `module_db`); each case runs in a savepoint of it, so
a case costs a request or two and no set-up.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from types import SimpleNamespace

import lxml.html
import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse
from reversion.models import Revision, Version

from claims import workflow
from claims.models import (
    Citation,
    Claim,
    DueForReview,
    NotificationPreference,
    Review,
    ScheduledAnswer,
    Source,
    TranslatedClaim,
)
from claims.workflow import (
    ANSWER_TRANSITIONS,
    CLAIM_VERDICTS,
    CONTENT_EDITS,
    TRANSLATION_TRANSITIONS,
    TransitionError,
)
from courtinfo.models import (
    Answer,
    Jurisdiction,
    ProblemReport,
    Publication,
    Question,
    Topic,
    Translation,
    TranslationPublication,
)
from tests.factories import (
    AnswerFactory,
    CitationFactory,
    ClaimFactory,
    PublicationFactory,
    QuestionFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)
from tests.html_forms import find_form, form_data

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "editor", "reviewer", "publisher", "translator", "superuser")
GROUPS = {
    "editor": ["Editors"],
    "reviewer": ["Reviewers"],
    "publisher": ["Publishers"],
    "translator": ["Translators"],
}

# Records of what happened: written by the workflow, never added, changed or deleted in the admin.
RECORDS = {Publication, Review}
# Work queues: lists of other models' rows, whose pages ask the workflow; nothing to add or delete.
QUEUES = {ScheduledAnswer, DueForReview}
# Sign-in records (django-axes): written by the login check, never added by hand.
SIGN_IN_RECORDS = {AccessAttempt, AccessLog, AccessFailureLog}


def _sign_in_records() -> dict:
    seen = {"ip_address": "192.0.2.1", "username": "someone", "user_agent": "test"}
    return {
        AccessAttempt: AccessAttempt.objects.create(
            **seen, get_data="", post_data="", failures_since_start=1
        ),
        AccessLog: AccessLog.objects.create(**seen),
        AccessFailureLog: AccessFailureLog.objects.create(**seen),
    }


def _registry():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


# --- one world per module


@pytest.fixture(autouse=True, scope="module")
def _quiet_refusals():
    # A refusal is the expected answer here; logging each with its traceback only slows the matrix.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def world(module_db):
    return _build_world()


def _build_world() -> SimpleNamespace:
    users = {
        role: UserFactory(
            username=f"matrix-{role}",
            is_superuser=role == "superuser",
            groups=GROUPS.get(role),
            password=None,
        )
        for role in ROLES
        if role != "anonymous"
    }
    # People who did the work before each case: none of them is the person under test.
    writer = UserFactory(username="matrix-writer", groups=["Editors"], password=None)
    checker = UserFactory(username="matrix-checker", groups=["Reviewers"], password=None)
    releaser = UserFactory(username="matrix-releaser", groups=["Publishers"], password=None)
    rewriter = UserFactory(username="matrix-rewriter", groups=["Translators"], password=None)
    w = SimpleNamespace(
        users=users, writer=writer, checker=checker, releaser=releaser, rewriter=rewriter
    )
    w.spare = UserFactory(username="matrix-spare", password=None)  # nothing refers to it
    # Signed in once per role; every case reuses the session.
    w.sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    # A published answer, and every object of every admin with a version to compare and revert.
    publication = PublicationFactory()
    answer = publication.answer
    claim = answer.claims.get()
    citation = claim.citations.get()
    w.objects = {
        Jurisdiction: answer.question.jurisdiction,
        Topic: answer.question.topic,
        Question: answer.question,
        Answer: answer,
        Publication: publication,
        Claim: claim,
        Source: citation.source,
        Citation: citation,
        Review: Review.objects.create(answer=answer, actor=checker, action=Review.Action.EDIT),
        get_user_model(): writer,
        Group: Group.objects.get(name="Editors"),
        Translation: _translation(PublicationFactory(), rewriter),
        **_sign_in_records(),
    }
    with reversion.create_revision():
        for obj in w.objects.values():
            if reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
    # And one deleted object of each versioned model, to recover.
    draft = AnswerFactory(question=QuestionFactory(topic=answer.question.topic))
    doomed = {
        Jurisdiction: Jurisdiction.objects.create(code="ZZ", name="Nowhere", slug="nowhere"),
        Topic: TopicFactory(),
        Question: QuestionFactory(topic=answer.question.topic),
        Answer: AnswerFactory(),
        Claim: ClaimFactory(answer=draft),
        Source: SourceFactory(),
        Citation: CitationFactory(claim=ClaimFactory(answer=draft)),
        Translation: workflow.start_translation(PublicationFactory().answer, by=rewriter),
    }
    with reversion.create_revision():
        for obj in doomed.values():
            reversion.add_to_revision(obj)
    w.deleted = {}
    for model, obj in doomed.items():
        pk = obj.pk
        obj.delete()
        w.deleted[model] = Version.objects.get_deleted(model).get(object_id=str(pk))

    w.workflow = _workflow_states(w)
    # The operations queues and records: a reader's report, someone's notification setting, an
    # approved answer in the publishers' queue, a publication due for re-review.
    w.objects[ProblemReport] = ProblemReport.objects.create(
        answer=answer, publication=publication, message="Wrong.", email="reader@example.net"
    )
    w.objects[NotificationPreference] = NotificationPreference.objects.create(user=writer)
    w.objects[ScheduledAnswer] = ScheduledAnswer.objects.get(pk=w.workflow.approved.pk)
    w.objects[DueForReview] = DueForReview.objects.get(
        pk=PublicationFactory(review_due_on=datetime.date(2000, 1, 1)).pk
    )
    return w


def _translation(publication, translator) -> Translation:
    """A translation of `publication`'s answer by `translator`, question and claims done."""
    translation = workflow.start_translation(publication.answer, by=translator)
    workflow.translate_question(translation, by=translator, text="¿Pregunta?")
    for claim in publication.answer.claims.all():
        workflow.translate_claim(translation, claim, by=translator, text="Traducido.")
    return Translation.objects.get(pk=translation.pk)


def _client(w, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[role]
    return client


# --- (a) every admin page × every role


@dataclass(frozen=True)
class Page:
    model: type
    kind: str
    pattern: URLPattern

    @property
    def id(self) -> str:
        return f"{self.model._meta.label_lower}:{self.kind}"


def _kind(model, pattern: URLPattern) -> str:
    if pattern.name is None:
        return "object"  # <pk>/ redirects to the change page
    prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
    assert pattern.name.startswith(prefix), pattern.name
    return pattern.name[len(prefix) :]


def _pages() -> list[Page]:
    return [
        Page(model, _kind(model, pattern), pattern)
        for model, model_admin in _registry()
        for pattern in model_admin.get_urls()
    ]


# What each kind of page needs, in the model permissions of the person asking. A page that is not
# here fails the matrix until its rule is written down.
NEEDS: dict[str, tuple[str, ...]] = {
    "changelist": ("view",),
    "change": ("view",),
    "history": ("view",),
    "compare": ("view",),
    "preview": ("view",),
    "add": ("add",),
    "import": ("add",),
    "delete": ("delete",),
    "revision": ("change",),
    "recoverlist": ("add", "change"),
    "recover": ("add", "change"),
    "password_change": ("change",),
}
# Workflow endpoints take only the POST of a button; a GET is refused, whoever asks.
POST_ONLY = {"transition", "verify", "archive", "named_source", "start", "claims"}


def _may(user, model, action: str) -> bool:
    if model in RECORDS and action != "view":
        return False
    if model in QUEUES and action != "view":
        return False
    if model is ProblemReport and action in ("add", "delete"):
        return False  # readers write reports; the admin accepts or rejects, never deletes them
    if model in SIGN_IN_RECORDS and action == "add":
        return False
    opts = model._meta
    if action == "view":
        # Django's rule: whoever may change may also view.
        return any(
            user.has_perm(f"{opts.app_label}.{a}_{opts.model_name}") for a in ("view", "change")
        )
    return user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


def _page_url(w, page: Page) -> str:
    obj = w.objects[page.model]
    name = f"admin:{page.pattern.name}" if page.pattern.name else None
    if page.kind in {"changelist", "add", "import", "recoverlist"}:
        return reverse(name)
    if page.kind == "recover":
        return reverse(name, args=[w.deleted[page.model].pk])
    if page.kind == "object":
        return reverse(
            f"admin:{page.model._meta.app_label}_{page.model._meta.model_name}_change",
            args=[obj.pk],
        ).removesuffix("change/")
    if page.kind in {"revision", "compare"}:
        version = Version.objects.get_for_object(obj).first()
        if page.kind == "revision":
            return reverse(name, args=[obj.pk, version.pk])
        return f"{reverse(name, args=[obj.pk])}?from={version.pk}&to=current"
    return reverse(name, args=[obj.pk])


def _expected(w, page: Page, role: str) -> tuple[int, str | None]:
    """(status, where a redirect goes) for `role` asking for `page`."""
    if role == "anonymous":
        return 302, f"{reverse('admin:login')}?next="
    user = get_user_model().objects.get(pk=w.users[role].pk)
    if page.kind in POST_ONLY:
        return 405, None
    opts = page.model._meta
    change_url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[w.objects[page.model].pk]
    )
    if page.kind == "object":
        return 302, change_url
    if page.model is NotificationPreference and page.kind != "changelist":
        # One's own setting only (the world's belongs to someone outside the roles under test),
        # one per person, never deleted: set to "off" instead.
        if page.kind == "delete":
            return 403, None
        if page.kind == "add":
            may_add = _may(user, page.model, "add") and not _has_preference(user)
            return (200, None) if may_add else (403, None)
        if user.is_superuser:
            return 200, None
        # Someone else's setting does not exist for them (history asks before the permission).
        visible = page.kind == "history" or _may(user, page.model, "view")
        return (302, reverse("admin:index")) if visible else (403, None)
    assert page.kind in NEEDS, f"No rule for the admin page {page.id}; add it to NEEDS."
    if not all(_may(user, page.model, action) for action in NEEDS[page.kind]):
        return 403, None
    if page.kind == "delete" and _is_published(w.objects[page.model]):
        # What the public reads is withdrawn, never deleted: back to its page with the reason.
        return 302, change_url
    return 200, None


def _has_preference(user) -> bool:
    return NotificationPreference.objects.filter(user=user).exists()


def _is_published(obj) -> bool:
    model_admin = admin.site._registry[type(obj)]
    return getattr(model_admin, "is_published", lambda obj: False)(obj)


PAGES = _pages()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.id)
def test_admin_page_answers_each_role_by_its_model_permissions(request, world, page, role):
    status, location = _expected(world, page, role)
    url = _page_url(world, page)
    # An exception in a view fails the test here: no page answers 500.
    response = _client(world, role).get(url)
    assert response.status_code == status, (url, role, response.status_code)
    if location is not None:
        assert response["Location"].startswith(location), response["Location"]


# --- (b) every workflow call in the state tables × every role


def _workflow_states(w) -> SimpleNamespace:
    """An object in the state each call starts from; only the person could stand in its way."""

    def answer_with_cited_claim() -> Answer:
        answer = AnswerFactory(
            blocks=[{"kind": "paragraph", "number": None}, {"kind": "bullet", "number": None}]
        )
        CitationFactory(claim=ClaimFactory(answer=answer, position=0))
        return answer

    def checked(answer: Answer) -> Answer:
        workflow.submit_answer(answer, by=w.writer)
        for claim in answer.claims.all():
            workflow.verify_claim(claim, by=w.checker, verdict=Claim.Status.SUPPORTED)
        return answer

    s = SimpleNamespace()
    s.draft = answer_with_cited_claim()
    s.claim = s.draft.claims.get()
    s.citation = s.claim.citations.get()
    s.source = SourceFactory()
    s.pair = answer_with_cited_claim()
    ClaimFactory(answer=s.pair, position=1)
    s.in_review = checked(answer_with_cited_claim())
    s.approved = workflow.approve_answer(checked(answer_with_cited_claim()), by=w.checker)
    s.published = w.objects[Answer]
    s.translation_draft = _translation(PublicationFactory(), w.rewriter)
    s.translated_claim = s.translation_draft.answer.claims.get()
    s.translation_in_review = workflow.submit_translation(
        _translation(PublicationFactory(), w.rewriter), by=w.rewriter
    )
    s.translation_approved = workflow.approve_translation(
        workflow.submit_translation(_translation(PublicationFactory(), w.rewriter), by=w.rewriter),
        by=w.checker,
    )
    return s


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _verdict(verdict: str):
    def call(s, by):
        note = "Checked against the statute."
        return workflow.verify_claim(_fresh(s.claim), by=by, verdict=verdict, note=note)

    return call


# Each entry of the tables, called as a page would call it, on the object in the state it needs;
# returns the object whose status the transition sets.
CALLS = {
    ("answer", "submit"): lambda s, by: workflow.submit_answer(_fresh(s.draft), by=by),
    ("answer", "request_changes"): lambda s, by: workflow.request_changes(
        _fresh(s.in_review), by=by, note="Cite the statute."
    ),
    ("answer", "approve"): lambda s, by: workflow.approve_answer(_fresh(s.in_review), by=by),
    ("answer", "publish"): lambda s, by: workflow.publish_answer(_fresh(s.approved), by=by).answer,
    ("answer", "withdraw"): lambda s, by: workflow.withdraw_answer(
        _fresh(s.published), by=by, reason="The law changed."
    ),
    ("answer", "schedule"): lambda s, by: workflow.schedule_publication(
        _fresh(s.approved), by=by, at=datetime.datetime(2030, 1, 1, 9, tzinfo=datetime.UTC)
    ),
    ("answer", "confirm_review"): lambda s, by: (
        workflow.confirm_review(_fresh(s.published), by=by).answer
    ),
    ("answer", "reopen"): lambda s, by: workflow.reopen_answer(
        _fresh(s.approved), by=by, reason="The question was reworded."
    ),
    **{("verdict", verdict): _verdict(verdict) for verdict in CLAIM_VERDICTS},
    ("edit", "edit_claim"): lambda s, by: workflow.edit_claim(
        _fresh(s.claim), by=by, text="Courts keep some records sealed."
    ),
    ("edit", "add_claim"): lambda s, by: workflow.add_claim(
        _fresh(s.draft), by=by, text="A new sentence.", block=1
    ),
    ("edit", "move_claim"): lambda s, by: workflow.move_claim(
        _fresh(s.claim), by=by, block=1, position=7
    ),
    ("edit", "delete_claim"): lambda s, by: workflow.delete_claim(_fresh(s.claim), by=by),
    ("edit", "add_citation"): lambda s, by: (
        workflow.add_citation(_fresh(s.claim), by=by, source=s.source, quote="The words.").claim
    ),
    ("edit", "remove_citation"): lambda s, by: workflow.remove_citation(_fresh(s.citation), by=by),
    ("edit", "mark_unverified"): lambda s, by: workflow.mark_claim_unverified(
        _fresh(s.claim), by=by, reason="Reverted to an earlier text."
    ),
    ("edit", "split_claim"): lambda s, by: workflow.split_claim(
        _fresh(s.claim), by=by, text="Courts keep records.\nSome are sealed."
    )[0],
    ("edit", "merge_claims"): lambda s, by: workflow.merge_claims(
        s.pair.claims.order_by("position").first(), by=by
    ),
    ("edit", "set_block_kind"): lambda s, by: (
        workflow.set_block_kind(_fresh(s.draft), by=by, block=1, kind="numbered") and None
    ),
    ("edit", "add_block"): lambda s, by: workflow.add_block(
        _fresh(s.draft), by=by, kind="bullet", text="A new point."
    ),
}
CALLS.update(
    {
        ("translation", "translate"): lambda s, by: (
            workflow.translate_claim(
                _fresh(s.translation_draft), s.translated_claim, by=by, text="Otra traducción."
            ).translation
        ),
        ("translation", "submit"): lambda s, by: workflow.submit_translation(
            _fresh(s.translation_draft), by=by
        ),
        ("translation", "request_changes"): lambda s, by: workflow.request_translation_changes(
            _fresh(s.translation_in_review), by=by, note="Use plainer words."
        ),
        ("translation", "approve"): lambda s, by: workflow.approve_translation(
            _fresh(s.translation_in_review), by=by
        ),
        ("translation", "publish"): lambda s, by: (
            workflow.publish_translation(_fresh(s.translation_approved), by=by).translation
        ),
    }
)
TABLES = {
    "answer": ANSWER_TRANSITIONS,
    "verdict": CLAIM_VERDICTS,
    "edit": CONTENT_EDITS,
    "translation": TRANSLATION_TRANSITIONS,
}
TRANSITIONS = [(table, name) for table, entries in TABLES.items() for name in entries]

# Everything a workflow call may write.
WRITTEN = (
    Question,
    Answer,
    Claim,
    Citation,
    Source,
    Review,
    Publication,
    Translation,
    TranslatedClaim,
    TranslationPublication,
    Revision,
    Version,
)


def _written() -> dict[str, list[dict]]:
    return {m._meta.label: list(m._base_manager.order_by("pk").values()) for m in WRITTEN}


def _person(w, role: str):
    if role == "anonymous":
        return AnonymousUser()
    return get_user_model().objects.get(pk=w.users[role].pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("table,name", TRANSITIONS, ids=[f"{t}:{n}" for t, n in TRANSITIONS])
def test_workflow_call_is_allowed_exactly_with_its_permission(world, table, name, role):
    transition = TABLES[table][name]
    assert (table, name) in CALLS, f"No call for {table} {name}; add it to CALLS."
    by = _person(world, role)
    before = _written()
    reviews = Review.objects.count()
    if by.has_perm(transition.permission):
        obj = CALLS[table, name](world.workflow, by)
        assert Review.objects.count() > reviews
        if transition.target is not None and obj is not None:
            assert _fresh(obj).status == transition.target
    else:
        with pytest.raises(TransitionError, match="role"):
            CALLS[table, name](world.workflow, by)
        assert _written() == before


# --- (c) every changelist action × every role


def _actions() -> list[tuple[type, str]]:
    """Every action any admin offers, as a superuser sees them."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return [
        (model, name)
        for model, model_admin in _registry()
        for name in model_admin.get_actions(request)
    ]


def _action_rule(w, model, name: str, source_server: str):
    """(the permission the action needs, the row to tick, whether it acted on the row)."""
    s = w.workflow
    if model is Source and name == "archive_now":
        row = w.objects[Source]
        # A page the local server serves, so archiving it never leaves the machine.
        Source.objects.filter(pk=row.pk).update(url=f"{source_server}/plain.txt")
        copies = row.copies.count()
        return "claims.change_source", row, lambda: row.copies.count() > copies
    if model is Answer and name in ANSWER_TRANSITIONS:
        t = ANSWER_TRANSITIONS[name]
        [source] = t.sources
        row = {
            Answer.Status.DRAFT: s.draft,
            Answer.Status.IN_REVIEW: s.in_review,
            Answer.Status.APPROVED: s.approved,
        }[source]
        return t.permission, row, lambda: _fresh(row).status == t.target
    if model is Claim and name.removeprefix("mark_") in CLAIM_VERDICTS:
        t = CLAIM_VERDICTS[name.removeprefix("mark_")]
        return t.permission, s.claim, lambda: _fresh(s.claim).status == t.target
    if model is ProblemReport and name in {"accept", "reject"}:
        row = w.objects[ProblemReport]
        return (
            "courtinfo.change_problemreport",
            row,
            lambda: _fresh(row).status != ProblemReport.Status.NEW,
        )
    if name == "delete_selected":
        opts = model._meta
        rows = {get_user_model(): w.spare, Group: Group.objects.get(name="Publishers")}
        rows.update({m: w.objects[m] for m in SIGN_IN_RECORDS})
        row = rows[model]
        return (
            f"{opts.app_label}.delete_{opts.model_name}",
            row,
            lambda: not model._base_manager.filter(pk=row.pk).exists(),
        )
    raise AssertionError(f"No rule for the action {name} of {model._meta.label}; add it here.")


def _action_options(html: str) -> set[str]:
    page = lxml.html.fromstring(html)
    return {value for value in page.xpath('//select[@name="action"]/option/@value') if value}


def _changelist_form(w, role: str, url: str, row):
    """The actions offered to `role` and the changelist form as its page renders it; for someone
    who may not see the list, the form a superuser's page renders, posted by a crafted request."""
    page = _client(w, role).get(url)
    if page.status_code != 200:
        assert page.status_code in (302, 403), page.status_code
        return None, find_form(
            _client(w, "superuser").get(url).content.decode(), form_id="changelist-form"
        )
    html = page.content.decode()
    form = find_form(html, form_id="changelist-form")
    offered = _action_options(html)
    if offered:
        ticks = form.xpath('.//input[@name="_selected_action"]/@value')
        assert str(row.pk) in ticks, "the row to act on cannot be ticked"
    return offered, form


ACTIONS = _actions()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "model,name", ACTIONS, ids=[f"{m._meta.label_lower}:{n}" for m, n in ACTIONS]
)
def test_changelist_action_acts_only_for_roles_with_its_permission(
    world, model, name, role, source_server, archive_locally
):
    permission, row, acted = _action_rule(world, model, name, source_server)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    allowed = _person(world, role).has_perm(permission)
    offered, form = _changelist_form(world, role, url, row)
    before = _written()
    client = _client(world, role)
    response = client.post(url, form_data(form, action=name, _selected_action=[row.pk]))
    if allowed:
        assert name in offered
        if name == "delete_selected":
            # The confirmation page, then its "Yes, I'm sure".
            [confirm] = lxml.html.fromstring(response.content).xpath(
                '//form[.//input[@name="post"]]'
            )
            response = client.post(url, form_data(confirm))
        assert acted(), [str(m) for m in response.wsgi_request._messages]
    else:
        assert offered is None or name not in offered
        if role == "anonymous":
            assert response["Location"].startswith(reverse("admin:login"))
        elif not _may(_person(world, role), model, "view"):
            assert response.status_code == 403
        else:  # back to the list, the action refused as one it does not know
            assert (response.status_code, response.get("Location", url)) in {(200, url), (302, url)}
        assert not acted()
        assert _written() == before
