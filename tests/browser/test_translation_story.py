"""Spanish, clicked through: a translator translates, a reviewer approves, a publisher publishes,
a reader switches language on the question page; axe checks the Spanish page."""

import pytest

from courtinfo.models import Answer, Translation
from tests.browser.test_editorial_story import expect_message, log_in
from tests.browser.test_public_reading import _serious_violations, axe_path  # noqa: F401
from tests.factories import PublicationFactory, SourceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH = (
    "Court records are generally open to the public.",
    "Some records are closed by rule.",
    "A court order can require sharing.",
)
SPANISH = (
    "Los expedientes judiciales suelen ser públicos.",
    "Algunos expedientes están cerrados por norma.",
    "Una orden judicial puede exigir que se compartan.",
)


def test_translation_story_from_the_admin_to_the_reader(page, live_server, axe_path):  # noqa: F811
    UserFactory(username="tra", groups=["Translators"], first_name="Tere", last_name="Traductora")
    UserFactory(username="rev", groups=["Reviewers"], first_name="Rae", last_name="Reviewer")
    UserFactory(username="pub", groups=["Publishers"], first_name="Pat", last_name="Publisher")
    statute = SourceFactory(title="Missouri Sunshine Law")
    english = PublicationFactory(
        blocks=[("paragraph", None, [(text, [statute]) for text in ENGLISH])]
    )
    english_url = english.get_absolute_url()
    claims = list(english.answer.claims.order_by("position"))

    # The translator starts the translation from the list of untranslated answers.
    log_in(page, live_server, "tra")
    page.goto(f"{live_server.url}/admin/courtinfo/translation/")
    page.click("text=Start the translation")
    page.fill("textarea[name='question_text']", "¿Pueden los tribunales compartir información?")
    for claim, text in zip(claims, SPANISH, strict=True):
        page.fill(f"textarea[name='claim_{claim.pk}']", text)
    page.click("input[name=_save]")
    expect_message(page, "Saved 4 translated texts")
    page.click("button.transition-submit")
    expect_message(page, "in review")

    # A reviewer approves it; the translator could not have.
    log_in(page, live_server, "rev")
    translation = Translation.objects.get(answer=english.answer)
    page.goto(f"{live_server.url}/admin/courtinfo/translation/{translation.pk}/change/")
    page.click("button.transition-approve")
    expect_message(page, "approved")

    # The publisher publishes it.
    log_in(page, live_server, "pub")
    page.goto(f"{live_server.url}/admin/courtinfo/translation/{translation.pk}/change/")
    page.click("button.transition-publish")
    expect_message(page, "published")
    translation.refresh_from_db()
    assert translation.status == Answer.Status.PUBLISHED

    # A reader on the English page switches to Spanish and stays on the same question.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{english_url}")
    page.click("nav.languages >> text=Español")
    assert page.url == f"{live_server.url}/es{english_url}"
    assert page.get_attribute("html", "lang") == "es"
    assert page.inner_text("h1") == "¿Pueden los tribunales compartir información?"
    assert page.locator("span.claim").all_inner_texts() == list(SPANISH)
    assert _serious_violations(page, axe_path) == []
    page.click("nav.languages >> text=English")
    assert page.url == f"{live_server.url}{english_url}"
