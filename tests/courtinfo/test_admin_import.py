"""The admin import page: editors upload documents; each file is imported or refused alone."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Revision, Version

from claims.models import Claim
from courtinfo.importer.parse import MAX_FILE_BYTES
from courtinfo.models import Answer, Question, Topic
from tests.factories import TopicFactory, jurisdiction

SEED = Path(settings.BASE_DIR) / "courtinfo" / "demo" / "missouri-courts-ice.txt"
URL = reverse("admin:courtinfo_question_import")
NO_STATE = (
    b"1. Who may read a court file?\n"
    b"Anyone may read a court file unless a statute closes it.\n"
    b"2. May a clerk charge for copies?\n"
    b"- A clerk may charge what the copies cost.\n"
)
BAD = (
    b"1. Where are the records kept in Missouri?\n"
    b"In the clerk's office.\n"
    b"3. Who keeps them?\n"
    b"The clerk.\n"
)

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def seed(name: str = "missouri-courts-ice.txt") -> SimpleUploadedFile:
    return upload(name, SEED.read_bytes())


def post(client, *files, **fields):
    return client.post(URL, {"files": list(files), **fields})


def rows() -> dict[str, int]:
    models = (Topic, Question, Answer, Claim, Revision, Version)
    return {model.__name__: model.objects.count() for model in models}


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_editor_sees_the_import_form(client, editor):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and "multiple" in page
    assert 'enctype="multipart/form-data"' in page
    assert "Check only (dry run)" in page


def test_topic_field_suggests_existing_topics(client, editor):
    TopicFactory(name="Immigration enforcement", slug="immigration-enforcement")
    client.force_login(editor)
    page = client.get(URL).content.decode()
    assert 'list="topic-names"' in page
    assert '<option value="Immigration enforcement">' in page


def test_upload_of_the_seed_imports_twenty_drafts_as_the_editor(client, editor):
    client.force_login(editor)
    response = post(client, seed())
    assert response.status_code == 200
    assert Question.objects.count() == 20
    assert set(Answer.objects.values_list("status", flat=True)) == {Answer.Status.DRAFT}
    assert set(Question.objects.values_list("jurisdiction__code", flat=True)) == {"MO"}
    revisions = Revision.objects.all()
    assert revisions.count() == 20
    assert {r.comment for r in revisions} == {"Imported from missouri-courts-ice.txt"}
    assert {r.user_id for r in revisions} == {editor.pk}
    assert "20 questions (20 new" in response.content.decode()
    [(level, text)] = messages_of(response)
    assert level == "success" and "20 new" in text


def test_second_upload_of_the_same_file_changes_nothing(client, editor):
    client.force_login(editor)
    post(client, seed())
    before = rows()
    response = post(client, seed())
    assert rows() == before
    assert "20 unchanged" in response.content.decode()


def test_dry_run_writes_nothing(client, editor):
    client.force_login(editor)
    before = rows()
    response = post(client, seed(), topic="Courts and ICE", dry_run="on")
    assert rows() == before
    page = response.content.decode()
    assert "20 new" in page
    assert "nothing written" in page


def test_topic_is_created_and_given_to_the_questions(client, editor):
    client.force_login(editor)
    post(client, seed(), topic="Courts and ICE")
    topic = Topic.objects.get()
    assert topic.name == "Courts and ICE"
    assert Question.objects.filter(topic=topic).count() == 20


def test_bad_topic_name_is_a_form_error(client, editor):
    client.force_login(editor)
    before = rows()
    response = post(client, seed(), topic="!!!")
    assert response.status_code == 200
    assert rows() == before
    assert "at least one letter or digit" in response.content.decode()


def test_bad_file_is_refused_with_its_line_and_the_good_one_goes_through(client, editor):
    client.force_login(editor)
    response = post(client, upload("broken.txt", BAD), seed())
    assert Question.objects.count() == 20
    assert not Question.objects.filter(source_file="broken.txt").exists()
    page = response.content.decode()
    assert "broken.txt:3:" in page
    assert "20 new" in page
    levels = [level for level, _ in messages_of(response)]
    assert levels == ["error", "success"]


def test_file_naming_no_state_asks_for_a_jurisdiction(client, editor):
    client.force_login(editor)
    before = rows()
    response = post(client, upload("records.txt", NO_STATE))
    assert rows() == before
    page = response.content.decode()
    assert "records.txt" in page
    assert "Choose the jurisdiction" in page
    [(level, _)] = messages_of(response)
    assert level == "error"


def test_file_naming_no_state_imports_into_the_chosen_jurisdiction(client, editor):
    client.force_login(editor)
    kansas = jurisdiction("KS")
    post(client, upload("records.txt", NO_STATE), jurisdiction=kansas.pk)
    assert Question.objects.filter(jurisdiction=kansas).count() == 2


def test_chosen_jurisdiction_that_differs_from_the_questions_is_a_warning(client, editor):
    client.force_login(editor)
    response = post(client, seed(), jurisdiction=jurisdiction("KS").pk)
    assert Question.objects.filter(jurisdiction__code="KS").count() == 20
    assert "though its questions name" in response.content.decode()
    [(level, _)] = messages_of(response)
    assert level == "warning"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", b"\xff\xfe\xfd not text", bytes(range(256))],
    ids=["png", "not-utf8", "all-bytes"],
)
def test_binary_upload_is_refused_without_a_server_error(client, editor, data):
    client.force_login(editor)
    before = rows()
    response = post(client, upload("picture.png", data))
    assert response.status_code == 200
    assert rows() == before
    page = response.content.decode()
    assert "Refused, nothing written: picture.png:" in page
    assert "UTF-8" in page


def test_empty_upload_is_refused_as_empty(client, editor):
    client.force_login(editor)
    response = post(client, upload("empty.txt", b""))
    assert response.status_code == 200
    assert "empty.txt: the file is empty" in response.content.decode()


def test_upload_over_the_size_limit_is_refused(client, editor):
    client.force_login(editor)
    response = post(client, upload("huge.txt", b"x" * (MAX_FILE_BYTES + 1)))
    assert response.status_code == 200
    assert "huge.txt: the file is larger than the limit" in response.content.decode()
    assert Question.objects.count() == 0


def test_post_without_files_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_hostile_file_name_is_escaped(client, editor):
    client.force_login(editor)
    name = "<img src=x onerror=alert(1)>.txt"
    response = post(client, upload(name, BAD))
    page = response.content.decode()
    assert name not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.txt:3:" in page


@pytest.mark.parametrize("role", ["reviewer", "publisher", "outsider"])
def test_people_who_cannot_add_questions_get_403(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert post(client, seed()).status_code == 403
    assert Question.objects.count() == 0


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_changelist_offers_the_import_button_to_editors(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:courtinfo_question_changelist")).content.decode()
    assert f'href="{URL}"' in page


def test_changelist_hides_the_import_button_from_publishers(client, publisher):
    client.force_login(publisher)
    response = client.get(reverse("admin:courtinfo_question_changelist"))
    assert response.status_code == 200
    assert f'href="{URL}"' not in response.content.decode()
