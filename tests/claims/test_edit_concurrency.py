"""Two saves at once: change forms that opened the same version, a save racing a publication."""

import threading
import time

import lxml.html
import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.workflow import publish_answer
from courtinfo.models import Answer
from tests.claims.test_admin_content import approved
from tests.claims.test_admin_views import KINDS, stored
from tests.factories import ClaimFactory, UserFactory
from tests.html_forms import error_text, form_data, open_change_form
from tests.races import POSTGRES_RACE, Worker

pytestmark = POSTGRES_RACE

ROUNDS = 20


def person(username: str, first: str, last: str, groups=("Editors",)) -> Client:
    client = Client()
    client.force_login(
        UserFactory(username=username, first_name=first, last_name=last, groups=list(groups))
    )
    return client


def wait_until_blocked(worker: Worker, timeout: float = 15) -> None:
    """Return once `worker` is done or some connection waits for a lock another one holds."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while worker.is_alive() and time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    assert not worker.is_alive(), "The save neither finished nor waited for a lock."


def assert_refused_as_stale(response, by: str) -> None:
    assert not isinstance(response, Exception), repr(response)
    assert response.status_code == 200, response.status_code
    assert f"Not saved: {by} changed this on" in error_text(response.content.decode())


@pytest.mark.parametrize("name", list(KINDS))
def test_second_save_waits_for_the_first_and_is_refused(monkeypatch, name):
    kind = KINDS[name]
    obj = kind.make()
    first = person("edith", "Edith", "Okafor")
    second = person("sam", "Sam", "Reyes")
    url, first_form = open_change_form(first, obj)
    _, second_form = open_change_form(second, obj)

    # The first save stops after its check, holding its locks, until the second has posted.
    model_admin = admin.site._registry[type(obj)]
    checked, go_on = threading.Event(), threading.Event()
    save_model = model_admin.save_model

    def save_after_the_other_posts(request, *args):
        if request.user.username == "edith":
            checked.set()
            go_on.wait(timeout=30)
        return save_model(request, *args)

    monkeypatch.setattr(model_admin, "save_model", save_after_the_other_posts)
    first_save = Worker(lambda: first.post(url, form_data(first_form, **{kind.field: "First."})))
    second_save = Worker(
        lambda: second.post(url, form_data(second_form, **{kind.field: "Second."}))
    )
    first_save.start()
    assert checked.wait(timeout=30)
    second_save.start()
    wait_until_blocked(second_save)
    go_on.set()
    first_save.join(timeout=60)
    second_save.join(timeout=60)

    assert first_save.result.status_code == 302, first_save.result
    assert_refused_as_stale(second_save.result, by="Edith Okafor")
    assert stored(obj) == "First."


@pytest.mark.parametrize("name", ["claim"])
def test_saves_released_together_one_wins(name):
    kind = KINDS[name]
    people = [person("edith", "Edith", "Okafor"), person("sam", "Sam", "Reyes")]
    names = {"First.": "Edith Okafor", "Second.": "Sam Reyes"}
    for _ in range(ROUNDS // 2):
        obj = kind.make()
        forms = [open_change_form(client, obj) for client in people]
        barrier = threading.Barrier(2, timeout=30)

        def save(client, url, form, text, barrier=barrier):
            data = form_data(form, **{kind.field: text})
            barrier.wait()
            return client.post(url, data)

        saves = [
            Worker(lambda c=client, f=form, t=text: save(c, *f, t))
            for client, form, text in zip(people, forms, names, strict=True)
        ]
        for worker in saves:
            worker.start()
        for worker in saves:
            worker.join(timeout=60)

        won = [w for w in saves if getattr(w.result, "status_code", None) == 302]
        assert len(won) == 1, [w.result for w in saves]
        (lost,) = [w for w in saves if w is not won[0]]
        winner = stored(obj)
        assert_refused_as_stale(lost.result, by=names[winner])


def test_claims_editor_saves_released_together_one_wins():
    # The answer page's claims editor: both people opened the same version of the claim.
    people = [person("edith", "Edith", "Okafor"), person("sam", "Sam", "Reyes")]
    names = {"First.": "Edith Okafor", "Second.": "Sam Reyes"}
    for _ in range(ROUNDS // 2):
        claim = ClaimFactory(text="Original claim.")
        url = reverse("admin:courtinfo_answer_change", args=[claim.answer_id])
        forms = []
        for client in people:
            page = lxml.html.fromstring(client.get(url).content)
            [form] = page.xpath(
                f'//form[contains(@class, "claim-edit-form")][.//input[@value="{claim.pk}"]]'
            )
            forms.append(form)
        barrier = threading.Barrier(2, timeout=30)

        def save(client, form, text, barrier=barrier):
            data = form_data(form, press=("op", "edit"), text=text)
            barrier.wait()
            response = client.post(form.get("action"), data)
            page = lxml.html.fromstring(client.get(response["Location"]).content)
            return " ".join(e.text_content() for e in page.xpath('//*[@role="alert"]'))

        saves = [
            Worker(lambda c=client, f=form, t=text: save(c, f, t))
            for client, form, text in zip(people, forms, names, strict=True)
        ]
        for worker in saves:
            worker.start()
        for worker in saves:
            worker.join(timeout=60)

        refusals = [w.result for w in saves]
        assert not any(isinstance(r, Exception) for r in refusals), refusals
        claim.refresh_from_db()
        assert claim.text in names
        assert sorted(bool(r) for r in refusals) == [False, True], refusals
        assert f"{names[claim.text]} changed this on" in "".join(refusals)


def _published_and_live(answer: Answer) -> bool:
    answer.refresh_from_db()
    return answer.status == Answer.Status.PUBLISHED and answer.live_publication_id is not None


def _race_with_publishing(save) -> list[object]:
    """ROUNDS times: `save(answer)` and a publisher pressing publish a moment after it.

    The moment varies from round to round (0 to 80 ms), so that either may reach the row first.
    """
    editor = UserFactory(username="ed", groups=["Editors"], first_name="Ed", last_name="Itor")
    reviewer = UserFactory(username="rev", groups=["Reviewers"])
    publisher = UserFactory(username="pub", groups=["Publishers"])
    failures, saves = [], []
    for round_ in range(ROUNDS):
        answer = approved(editor, reviewer, count=2)
        barrier = threading.Barrier(2, timeout=30)
        prepared = save(answer, editor)

        def publish(answer=answer, barrier=barrier, delay=(round_ % 5) * 0.02):
            copy = Answer.objects.get(pk=answer.pk)
            barrier.wait()
            time.sleep(delay)
            return publish_answer(copy, by=publisher)

        def saving(prepared=prepared, barrier=barrier):
            barrier.wait()
            return prepared()

        workers = [Worker(saving), Worker(publish)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        saved, published = (w.result for w in workers)
        assert not isinstance(published, Exception), repr(published)
        saves.append(saved)
        if not _published_and_live(answer):
            failures.append(round_)
    assert failures == [], f"{len(failures)} of {ROUNDS} rounds undid the publication"
    return saves


def test_answer_page_saved_while_publishing_never_undoes_the_publication():
    def open_answer_page(answer, editor):
        client = Client()
        client.force_login(editor)
        url, form = open_change_form(client, answer)
        # The editor presses Save on a page opened before the publisher pressed Publish.
        return lambda: client.post(url, form_data(form))

    outcomes = _race_with_publishing(open_answer_page)
    for response in outcomes:
        assert not isinstance(response, Exception), repr(response)
        if response.status_code != 302:
            assert_refused_as_stale(response, by="pub")


def test_direct_save_while_publishing_never_undoes_the_publication():
    # A save that expects no version (a script, a revert, the importer) relies on workflow
    # columns never being written by content saves.
    def load_for_a_script(answer, editor):
        stale = Answer.objects.get(pk=answer.pk)
        stale.updated_by = editor
        return stale.save

    outcomes = _race_with_publishing(load_for_a_script)
    assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
