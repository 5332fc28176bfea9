"""The stale-form guard on the change forms of questions, claims and sources.

An answer's page has nothing to type in its form: its claims are edited in the claims editor,
whose own guard is tested in test_admin_claims_editor.py.
"""

from dataclasses import dataclass
from typing import Any

import pytest
import reversion
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.test import Client
from django.utils.datastructures import MultiValueDict
from reversion.models import Version

from claims.models import Claim, Source
from courtinfo.models import Question
from tests.factories import (
    ClaimFactory,
    QuestionFactory,
    SourceFactory,
    UserFactory,
)
from tests.html_forms import error_text, find_form, form_data, open_change_form

pytestmark = pytest.mark.django_db


@dataclass
class Kind:
    """A model with a guarded change form, and the field a person types in on its page."""

    make: Any
    field: str


KINDS = {
    "question": Kind(lambda: QuestionFactory(text="Original question?"), "text"),
    "claim": Kind(lambda: ClaimFactory(text="Original claim."), "text"),
    "source": Kind(lambda: SourceFactory(title="Original title"), "title"),
}


def stored(obj) -> str:
    """What the typed field holds in the database now."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    return fresh.title if isinstance(fresh, Source) else fresh.text


def person(username: str, first: str = "", last: str = "") -> Client:
    client = Client()
    client.force_login(
        UserFactory(username=username, first_name=first, last_name=last, groups=["Editors"])
    )
    return client


@pytest.fixture(params=list(KINDS))
def kind(request) -> Kind:
    return KINDS[request.param]


def test_change_page_renders_the_version_it_opened(kind):
    obj = kind.make()
    type(obj)._base_manager.get(pk=obj.pk).save()
    _, form = open_change_form(person("ed"), obj)
    assert form_data(form)["opened_version"] == ["2"]


def test_change_message_leaves_out_the_version(kind):
    obj = kind.make()
    me = person("ed")
    url, form = open_change_form(me, obj)
    assert me.post(url, form_data(form, **{kind.field: "Typed by me."})).status_code == 302
    assert stored(obj) == "Typed by me."
    message = LogEntry.objects.get().get_change_message().lower()
    assert "opened" not in message and "version" not in message, message


@pytest.mark.parametrize("posted", [None, "", "seven", "3.0", "-1", "²", "9" * 40])
def test_post_without_a_version_number_is_refused(kind, posted):
    obj = kind.make()
    before = stored(obj)
    me = person("ed")
    url, form = open_change_form(me, obj)
    data = form_data(form, **{kind.field: "Typed by me."})
    if posted is None:
        del data["opened_version"]
    else:
        data["opened_version"] = [posted]
    response = me.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not saved" in error_text(page)
    assert "Typed by me." in page
    assert stored(obj) == before
    assert not LogEntry.objects.exists()


def test_second_save_from_the_same_version_is_refused_naming_the_first(kind):
    obj = kind.make()
    with reversion.create_revision():
        reversion.add_to_revision(obj)
    (opened,) = Version.objects.get_for_object(obj)
    first = person("edith", "Edith", "Okafor")
    second = person("sam")
    url, theirs = open_change_form(first, obj)
    _, mine = open_change_form(second, obj)
    assert first.post(url, form_data(theirs, **{kind.field: "First."})).status_code == 302

    response = second.post(url, form_data(mine, **{kind.field: "Second, kept."}))
    assert response.status_code == 200
    page = response.content.decode()
    errors = error_text(page)
    assert "Edith Okafor changed this on" in errors
    assert "edith" not in errors
    assert stored(obj) == "First."
    # The typed text is still in the form, ready to copy.
    kept = form_data(find_form(page, form_id=f"{obj._meta.model_name}_form"))
    assert [value.strip() for value in kept[kind.field]] == ["Second, kept."]
    # The link compares the version the second person opened with the one that replaced it.
    latest = Version.objects.get_for_object(obj).first()
    assert f"history/compare/?from={opened.pk}&amp;to={latest.pk}" in page
    compare = second.get(f"{url.removesuffix('change/')}history/compare/", {"from": opened.pk})
    assert "First" in compare.content.decode()


def test_reopened_page_saves(kind):
    obj = kind.make()
    first, second = person("edith", "Edith", "Okafor"), person("sam")
    url, theirs = open_change_form(first, obj)
    _, mine = open_change_form(second, obj)
    first.post(url, form_data(theirs, **{kind.field: "First."}))
    assert second.post(url, form_data(mine, **{kind.field: "Second."})).status_code == 200
    _, reopened = open_change_form(second, obj)
    assert second.post(url, form_data(reopened, **{kind.field: "Second."})).status_code == 302
    assert stored(obj) == "Second."


def test_link_goes_to_the_history_when_the_version_opened_was_never_recorded():
    source = SourceFactory(title="Original title")
    first, second = person("edith", "Edith", "Okafor"), person("sam")
    url, theirs = open_change_form(first, source)
    _, mine = open_change_form(second, source)
    first.post(url, form_data(theirs, title="First."))
    response = second.post(url, form_data(mine, title="Second."))
    page = response.content.decode()
    assert f'href="/admin/claims/source/{source.pk}/history/" class="stale-history"' in page


def test_change_made_outside_the_editorial_tools_is_named_a_colleague():
    question = QuestionFactory(text="Original question?")
    me = person("ed")
    url, form = open_change_form(me, question)
    script = Question.objects.get(pk=question.pk)
    script.text = "Changed by a script?"
    script.save()
    response = me.post(url, form_data(form, text="Mine?"))
    assert "a colleague changed this on" in error_text(response.content.decode())


def test_person_without_a_full_name_is_named_by_login(client):
    claim = ClaimFactory(text="Original claim.")
    first, second = person("sam"), person("kim")
    url, theirs = open_change_form(first, claim)
    _, mine = open_change_form(second, claim)
    first.post(url, form_data(theirs, text="First."))
    response = second.post(url, form_data(mine, text="Second."))
    assert "sam changed this on" in error_text(response.content.decode())


def test_row_deleted_while_the_form_is_checked_is_refused(rf):
    # The admin finds the object before it checks the form; a deletion in between is refused.
    claim = ClaimFactory(text="Original claim.")
    me = person("ed")
    url, page_form = open_change_form(me, claim)
    request = rf.post(url)
    request.user = UserFactory(username="ed")
    model_admin = admin.site._registry[Claim]
    form_class = model_admin.get_form(request, claim, change=True)
    form = form_class(MultiValueDict(form_data(page_form, text="Mine.")), instance=claim)
    Claim.objects.filter(pk=claim.pk).delete()
    with transaction.atomic():
        assert not form.is_valid()
    assert "someone deleted this" in str(form.non_field_errors())
