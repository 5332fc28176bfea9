"""Two people in two browsers edit one page: the second save is refused, their text kept."""

import pytest
import reversion

from tests.browser.test_editorial_story import expect_message, log_in
from tests.claims.test_admin_views import KINDS, stored
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Where a person types on each change page.
TYPED_IN = {
    "question": "textarea[name=text]",
    "claim": "textarea[name=text]",
    "source": "input[name=title]",
}


@pytest.fixture
def desk(browser, live_server):
    """A browser of its own for each person, signed in: `desk(username)` gives its page."""
    contexts = []

    def sign_in(username: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, live_server, username)
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.mark.parametrize("name", list(KINDS))
def test_second_save_is_refused_naming_the_first_and_keeps_the_text(desk, live_server, name):
    obj = KINDS[name].make()
    with reversion.create_revision():
        reversion.add_to_revision(obj)
    UserFactory(username="eokafor", first_name="Edith", last_name="Okafor", groups=["Editors"])
    UserFactory(username="sreyes", first_name="Sam", last_name="Reyes", groups=["Editors"])
    opts = obj._meta
    url = f"{live_server.url}/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"
    field = TYPED_IN[name]
    edith, sam = desk("eokafor"), desk("sreyes")
    edith.goto(url)
    sam.goto(url)

    edith.fill(field, "Edith's wording.")
    edith.click("input[name=_continue]")
    expect_message(edith, "changed successfully")

    sam.fill(field, "Sam's wording, typed with care.")
    sam.click("input[name=_continue]")
    errors = sam.inner_text("ul.errorlist.nonfield")
    assert "Not saved: Edith Okafor changed this on" in errors, errors
    assert "eokafor" not in errors
    assert sam.input_value(field) == "Sam's wording, typed with care."
    assert stored(obj) == "Edith's wording."

    # The link shows what Edith changed.
    sam.click("ul.errorlist.nonfield a.stale-compare")
    assert "Edith" in sam.inner_text("#content")
