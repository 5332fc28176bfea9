"""Forms as a browser posts them: the fields a rendered page contains, plus what a person types."""

from __future__ import annotations

import lxml.html
from django.urls import reverse


def find_form(html: str, *, form_action: str | None = None, form_id: str | None = None):
    """The page's first form whose action ends with `form_action` (or whose id is `form_id`)."""
    page = lxml.html.fromstring(html)
    for form in page.forms:
        if form_id is not None and form.get("id") != form_id:
            continue
        if form_action is not None and not (form.get("action") or "").endswith(form_action):
            continue
        return form
    raise AssertionError(f"The page has no form with action {form_action!r} / id {form_id!r}.")


def form_data(form, *, press: tuple[str, str] | None = None, **typed) -> dict[str, list[str]]:
    """What submitting `form` sends: its rendered fields, `typed` over them, the pressed button.

    `typed` replaces a field's values (a list for several, e.g. ticked checkboxes).
    """
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    # lxml sends "on" for a ticked box or radio whose value is empty; a browser sends "".
    for box in form.xpath(".//input[@type='radio' or @type='checkbox'][@checked][@value='']"):
        values = data.get(box.get("name"), [])
        if "on" in values:
            values[values.index("on")] = ""
    for name, value in typed.items():
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    if press is not None:
        name, value = press
        buttons = form.xpath(".//button[@name=$n][@value=$v]", n=name, v=value)
        if not buttons:
            raise AssertionError(f"The form has no button {name}={value!r} to press.")
        data[name] = [value]
    return data


def open_form(client, url: str, *, form_action: str | None = None, form_id: str | None = None):
    """GET `url` as the client and return the matching form, to fill in and post later."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return find_form(page.content.decode(), form_action=form_action, form_id=form_id)


def open_change_form(client, obj) -> tuple[str, object]:
    """The admin change page of `obj` as the client sees it now: its URL and its form."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return url, open_form(client, url, form_id=f"{opts.model_name}_form")


def error_text(html: str) -> str:
    """The errors a change form came back with, as a person reads them."""
    page = lxml.html.fromstring(html)
    return " ".join(e.text_content() for e in page.xpath("//ul[contains(@class, 'errorlist')]"))


def submit(
    client, url: str, *, form_action: str | None = None, form_id: str | None = None, **kwargs
):
    """GET `url` as the client, fill in the matching form as a person would, and post it."""
    form = open_form(client, url, form_action=form_action, form_id=form_id)
    target = form.get("action") or url
    return client.post(target, form_data(form, **kwargs))
