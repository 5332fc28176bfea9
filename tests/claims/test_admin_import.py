"""The admin import page: editors upload documents; each file is imported or refused alone."""

from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reversion.models import Revision, Version

from claims import workflow
from claims.importer.load import import_document
from claims.importer.parse import MAX_FILE_BYTES, parse_document
from claims.models import Claim
from claims.workflow import TransitionError, verify_claim
from courtinfo.models import Answer, Question, Topic
from tests.factories import TopicFactory, UserFactory, jurisdiction
from tests.html_forms import form_data

SEED = Path(settings.BASE_DIR) / "claims" / "demo" / "missouri-courts-ice.txt"
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


class ImportFormReader(HTMLParser):
    """The import form as the page renders it.

    The values of its hidden and text inputs, the names of its file inputs and checkboxes, and
    each select's options by label.
    """

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.values: dict[str, str] = {}
        self.file_fields: list[str] = []
        self.checkboxes: list[str] = []
        self.options: dict[str, dict[str, str]] = {}
        self._select: str | None = None
        self._option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "import-form":
            self.inside = True
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind == "file":
                self.file_fields.append(attrs["name"])
            elif kind == "checkbox":
                self.checkboxes.append(attrs["name"])
            elif kind in ("hidden", "text"):
                self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self._select = attrs["name"]
            self.options[self._select] = {}
        elif tag == "option" and self._select:
            self._option = attrs.get("value", "")

    def handle_data(self, data):
        if self._select and self._option is not None and data.strip():
            self.options[self._select][data.strip()] = self._option
            self._option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None


def read_form(client) -> ImportFormReader:
    response = client.get(URL)
    assert response.status_code == 200
    reader = ImportFormReader()
    reader.feed(response.content.decode())
    assert reader.values.get("csrfmiddlewaretoken") and len(reader.file_fields) == 1
    return reader


def post(client, *files, topic=None, jurisdiction=None, check_only=False):
    """Post the files as the rendered form would: its token, its field names, its options.

    `jurisdiction` is the label of an option of the page's only select.
    """
    form = read_form(client)
    data = {**form.values, form.file_fields[0]: list(files)}
    if topic is not None:
        [text_field] = [name for name in form.values if name != "csrfmiddlewaretoken"]
        data[text_field] = topic
    if jurisdiction is not None:
        [(select, options)] = form.options.items()
        data[select] = options[jurisdiction]
    if check_only:
        [checkbox] = form.checkboxes
        data[checkbox] = "on"
    return client.post(URL, data)


@pytest.fixture
def browser():
    """A client that enforces CSRF, as a browser's requests meet it."""
    return Client(enforce_csrf_checks=True)


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
    revision = Revision.objects.get()
    assert revision.comment == "Imported from missouri-courts-ice.txt"
    assert revision.user_id == editor.pk
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
    response = post(client, seed(), topic="Courts and ICE", check_only=True)
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
    post(client, upload("records.txt", NO_STATE), jurisdiction="Kansas")
    assert Question.objects.filter(jurisdiction=kansas).count() == 2


def test_chosen_jurisdiction_that_differs_from_the_questions_is_a_warning(client, editor):
    client.force_login(editor)
    response = post(client, seed(), jurisdiction="Kansas")
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


def test_upload_over_the_size_limit_is_refused(client, editor, settings):
    settings.COURTINFO_IMPORT_MAX_UPLOAD_BYTES = 2 * MAX_FILE_BYTES
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
    assert client.post(URL, {"files": [seed()]}).status_code == 403
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


def test_the_page_states_the_limits_of_an_upload(browser, editor):
    browser.force_login(editor)
    page = browser.get(URL).content.decode()
    assert "One upload takes at most 100 files and 2 MB in all" in page
    assert "a document holds at most 100 questions" in page


def test_the_uploader_is_the_author_of_every_claim_and_cannot_verify_them(browser, superuser):
    browser.force_login(superuser)

    response = post(browser, seed())

    assert response.status_code == 200 and Question.objects.count() == 20
    assert set(Claim.objects.values_list("author", "updated_by")) == {(superuser.pk, superuser.pk)}
    with pytest.raises(TransitionError, match="You wrote the current text"):
        verify_claim(Claim.objects.first(), by=superuser, verdict=Claim.Status.NOT_A_CLAIM)


def test_a_reviewer_who_is_also_an_editor_cannot_verify_what_they_uploaded(browser):
    both = UserFactory(username="both", groups=["Editors", "Reviewers"])
    browser.force_login(both)

    post(browser, seed())

    with pytest.raises(TransitionError, match="You wrote the current text"):
        verify_claim(Claim.objects.first(), by=both, verdict=Claim.Status.NOT_A_CLAIM)


def test_a_post_without_the_pages_csrf_token_is_refused(browser, editor):
    browser.force_login(editor)

    response = browser.post(URL, {"files": [seed()]})

    assert response.status_code == 403
    assert not Question.objects.exists()


class UnreadableBody(BytesIO):
    """A request body that fails the test when anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(browser, editor):
    browser.force_login(editor)
    before = rows()

    response = browser.generic(
        "POST",
        URL,
        b"",
        content_type="multipart/form-data; boundary=edge",
        CONTENT_LENGTH=str(50_000_000),
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "50,000,000 bytes or more were sent" in page
    assert "may be at most 2,000,000 bytes (2 MB). Nothing was imported" in page
    assert 'id="import-form"' in page
    assert rows() == before


def test_files_over_the_limit_are_refused_as_they_are_read(browser, editor, settings):
    settings.COURTINFO_IMPORT_MAX_UPLOAD_BYTES = 10_000
    browser.force_login(editor)
    before = rows()

    response = post(browser, upload("small.txt", BAD), seed())

    assert response.status_code == 413
    page = response.content.decode()
    assert "the files sent together may be at most 10,000 bytes (0.01 MB)" in page
    assert rows() == before


def test_more_files_than_one_upload_takes_are_explained_on_the_page(browser, editor):
    browser.force_login(editor)
    before = rows()

    response = post(browser, *(upload(f"part{i}.txt", BAD) for i in range(101)))

    assert response.status_code == 400
    page = response.content.decode()
    assert "More than 100 files were sent; one upload takes at most 100." in page
    assert "send the files in several uploads" in page
    assert rows() == before


def test_a_number_of_thousands_of_digits_is_refused_on_the_page(browser, editor):
    browser.force_login(editor)
    huge = b"1. Is it so in Missouri?\n" + b"4" * 4_301 + b". Yes.\n"

    response = post(browser, upload("huge.txt", huge), seed())

    assert response.status_code == 200
    page = response.content.decode()
    assert "huge.txt:2: the number 444444444444… has 4,301 digits" in page
    assert Question.objects.count() == 20


def test_a_point_numbered_zero_is_refused_on_the_page(browser, editor):
    browser.force_login(editor)
    zero = b"1. Is it so in Missouri?\nYes.\n0. Point nought.\n"

    response = post(browser, upload("zero.txt", zero))

    assert "zero.txt:3: point 0: points are numbered from 1" in response.content.decode()
    assert not Question.objects.exists()


def test_a_document_over_the_question_limit_is_refused_on_the_page(browser, editor, settings):
    settings.COURTINFO_IMPORT_MAX_QUESTIONS = 19
    browser.force_login(editor)

    response = post(browser, seed())

    page = response.content.decode()
    assert "missouri-courts-ice.txt:" in page and "question 20 is one too many" in page
    assert "at most 19 questions" in page
    assert not Question.objects.exists()


# The import's one revision per file, in the admin: each imported answer and question keeps its
# own history, and reverts or is recovered alone.


def imported_seed(by) -> None:
    document = parse_document(SEED.read_bytes(), name="missouri-courts-ice.txt")
    import_document(document, topic_name="Courts and immigration", user=by)


def press_revert_form(client, url: str):
    """Open a revert or recover page and press its button, posting what the page rendered."""
    page = client.get(url)
    assert page.status_code == 200
    [form] = lxml.html.fromstring(page.content).xpath('//form[@class="revert-form"]')
    response = client.post(url, form_data(form))
    assert response.status_code == 302
    return response


def test_an_imported_answer_shows_the_import_in_its_history(client, editor):
    imported_seed(editor)
    answer = Answer.objects.get(question__position=2)

    client.force_login(editor)
    page = client.get(reverse("admin:courtinfo_answer_history", args=[answer.pk]))

    history = lxml.html.fromstring(page.content).xpath('//table[@id="change-history"]/tbody/tr')
    [imported] = [row.text_content() for row in history[1:]]
    assert "Imported from missouri-courts-ice.txt" in imported


def test_an_answer_edited_after_the_import_reverts_to_it_alone(client, editor, reviewer):
    imported_seed(editor)
    answer = Answer.objects.get(question__position=2)
    imported = list(answer.claims.values_list("text", flat=True))
    [version] = Version.objects.get_for_object(answer)
    neighbour = Claim.objects.get(answer__question__position=3, position=0)
    workflow.edit_claim(answer.claims.get(position=0), by=reviewer, text="A reviewer's wording.")
    workflow.add_claim(answer, by=reviewer, text="Added after the import.", block=0)
    workflow.edit_claim(neighbour, by=reviewer, text="Another answer's new wording.")

    client.force_login(editor)
    press_revert_form(
        client, reverse("admin:courtinfo_answer_revision", args=[answer.pk, version.pk])
    )

    assert list(answer.claims.values_list("text", flat=True)) == imported
    assert set(answer.claims.values_list("status", flat=True)) == {Claim.Status.UNVERIFIED}
    # The answer next to it was saved in the same revision; it keeps its edit.
    assert Claim.objects.get(pk=neighbour.pk).text == "Another answer's new wording."


def test_a_deleted_imported_question_and_answer_are_recovered_from_the_import(
    client, editor, superuser
):
    imported_seed(editor)
    question = Question.objects.get(position=2)
    answer, claims = question.answer, list(question.answer.claims.values_list("pk", "text"))
    client.force_login(superuser)
    url = reverse("admin:courtinfo_question_delete", args=[question.pk])
    [form] = lxml.html.fromstring(client.get(url).content).xpath('//form[.//input[@name="post"]]')
    client.post(url, form_data(form))
    assert not Answer.objects.filter(pk=answer.pk).exists()

    client.force_login(editor)
    for model, pk in (
        (Question, question.pk),
        (Answer, answer.pk),
        *((Claim, c) for c, _ in claims),
    ):
        deleted = Version.objects.get_deleted(model).get(object_id=str(pk))
        opts = model._meta
        press_revert_form(
            client, reverse(f"admin:{opts.app_label}_{opts.model_name}_recover", args=[deleted.pk])
        )

    assert Question.objects.get(pk=question.pk).text == question.text
    assert Answer.objects.get(pk=answer.pk).blocks == answer.blocks
    assert list(Answer.objects.get(pk=answer.pk).claims.values_list("pk", "text")) == claims
