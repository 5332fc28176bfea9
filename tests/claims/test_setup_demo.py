"""Tests for the setup_demo management command."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from reversion.models import Version

from claims.models import Claim, Review
from claims.workflow import TransitionError, verify_claim
from courtinfo.models import Answer, Publication, Question, TranslationPublication

pytestmark = pytest.mark.django_db

ROLES = {
    "editor": "Editors",
    "reviewer": "Reviewers",
    "publisher": "Publishers",
    "translator": "Translators",
}
USERNAMES = {*ROLES, "admin"}


@pytest.fixture(autouse=True)
def environment(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.delenv("PORT", raising=False)


def setup_demo() -> str:
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def printed_passwords(out: str) -> dict[str, str]:
    """The account lines: two spaces, the username, its password, its role in brackets."""
    found = {}
    for line in out.splitlines():
        words = line.split()
        if line.startswith("  ") and len(words) >= 2 and words[0] in USERNAMES:
            found[words[0]] = words[1]
    return found


def test_imports_the_seed_as_drafts_under_its_topic():
    out = setup_demo()

    assert Question.objects.filter(jurisdiction__code="MO").count() == 20
    assert {q.topic.name for q in Question.objects.all()} == {
        "State courts and immigration enforcement"
    }
    assert Answer.objects.filter(status="draft").count() == 17
    assert f"20 questions, {Claim.objects.count()} claims" in out


def test_the_demo_editor_is_the_author_of_every_imported_claim():
    setup_demo()

    editor = get_user_model().objects.get(username="editor")
    imported = Claim.objects.exclude(answer__status="published")
    assert imported.exists()
    assert set(imported.values_list("author", "updated_by")) == {(editor.pk, editor.pk)}
    assert set(Claim.objects.values_list("author", flat=True)) == {editor.pk}
    assert not get_user_model().objects.filter(username="importer").exists()


def test_the_demo_editor_cannot_verify_the_text_it_imported():
    setup_demo()

    editor = get_user_model().objects.get(username="editor")
    editor.groups.add(Group.objects.get(name="Reviewers"))
    claim = Claim.objects.filter(answer__status="draft").first()
    with pytest.raises(TransitionError, match="You wrote the current text"):
        verify_claim(claim, by=editor, verdict=Claim.Status.NOT_A_CLAIM)


def test_publishes_three_samples_through_the_workflow_citing_an_unchecked_source():
    setup_demo()

    published = Answer.objects.filter(status="published", live_publication__isnull=False)
    assert sorted(published.values_list("question__position", flat=True)) == [1, 2, 14]
    assert Review.objects.filter(action="approve", actor__username="reviewer").count() == 3
    assert Review.objects.filter(action="publish", actor__username="publisher").count() == 3
    sources = {
        source["title"]
        for publication in Publication.objects.all()
        for source in publication.payload["sources"]
    }
    assert sources == {"Demonstration only: this claim has NOT been checked against any source"}


@override_settings(COURTINFO_DEMO=True)
def test_sample_pages_carry_the_demonstration_banner_in_demo_mode(client):
    setup_demo()

    for publication in Publication.objects.all():
        page = client.get(publication.get_absolute_url()).content.decode()
        assert "Demonstration data — not verified legal information." in page


def test_creates_five_staff_accounts_in_their_roles():
    setup_demo()

    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == {"editor", "reviewer", "publisher", "translator", "admin"}
    assert all(user.is_staff for user in users.values())
    for username, group in ROLES.items():
        assert list(users[username].groups.values_list("name", flat=True)) == [group]
        assert not users[username].is_superuser
    assert users["admin"].is_superuser


def test_prints_each_random_password_once_and_it_works():
    out = setup_demo()

    passwords = printed_passwords(out)
    assert set(passwords) == USERNAMES
    assert len(set(passwords.values())) == 5
    for user in get_user_model().objects.all():
        assert len(passwords[user.username]) >= 16
        assert user.check_password(passwords[user.username])
        assert out.count(passwords[user.username]) == 1


def test_demo_password_from_the_environment_is_used_and_not_echoed(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-1234")

    out = setup_demo()

    assert all(u.check_password("demo-pass-1234") for u in get_user_model().objects.all())
    assert "demo-pass-1234" not in out
    assert "DEMO_PASSWORD" in out


def test_second_run_keeps_content_and_accounts_and_prints_no_password():
    first = setup_demo()
    hashes = dict(get_user_model().objects.values_list("username", "password"))
    versions = Version.objects.count()

    second = setup_demo()

    assert dict(get_user_model().objects.values_list("username", "password")) == hashes
    assert Version.objects.count() == versions
    assert "unchanged" in second
    assert "changepassword editor" in second
    assert printed_passwords(second) == {}
    assert not any(password in second for password in printed_passwords(first).values())


def test_prints_the_admin_and_public_urls_on_the_chosen_port(monkeypatch):
    monkeypatch.setenv("PORT", "8123")

    out = setup_demo()

    assert "http://127.0.0.1:8123/admin/" in out
    assert "http://127.0.0.1:8123/ " in out


def test_one_sample_spanish_translation_is_published_through_the_workflow_once():
    setup_demo()
    setup_demo()

    (translated,) = TranslationPublication.objects.all()
    translation = translated.translation
    assert translation.language == "es"
    assert translated.payload["question"]["text"].startswith("¿Existe un acuerdo formal")
    translators = set(translation.claims.values_list("translator__username", flat=True))
    assert translators == {"translator"}
    assert translation.approved_by.username == "reviewer"
    assert translated.published_by.username == "publisher"
    # Its English is the unchecked demo content, and says so in every claim's citation.
    english = translated.source_publication.payload
    assert english["sources"][0]["title"].startswith("Demonstration only")
