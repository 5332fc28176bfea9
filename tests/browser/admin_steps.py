"""Steps the browser stories take in the admin: signing in, and reading the message a page shows."""

import re

from playwright.sync_api import expect

# The password tests.factories.UserFactory gives every user.
PASSWORD = "correct horse battery staple"


def log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def expect_message(page, pattern: str) -> None:
    # Waits for the message: a click that submits a form returns before the next page has
    # loaded, and reading the list at once may read the page being left.
    expect(page.locator("ul.messagelist")).to_contain_text(re.compile(pattern, re.IGNORECASE))
