"""courtinfo.addresses.address: the same string reverse() gives, whatever a reversal reads."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils.translation import override

from courtinfo.addresses import address

SLUG_PAGES = [
    ("public:home", ()),
    ("public:search", ()),
    ("public:jurisdiction", ("missouri",)),
    ("public:topic", ("courts-and-immigration",)),
    ("public:compare", ("can-courts-share-records",)),
    ("public:question", ("new-york", "can_a-court-1")),
    ("public:history", ("missouri", "q-20")),
    ("public:report", ("missouri", "q-20")),
]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("view", "args"), SLUG_PAGES)
def test_the_address_of_a_page_named_by_slugs_is_reverses(view, args, language):
    with override(language):
        assert address(view, *args) == reverse(view, args=args)
        # The second time comes from what the first one kept.
        assert address(view, *args) == reverse(view, args=args)


def test_each_language_has_its_own_address():
    with override("es"):
        spanish = address("public:question", "missouri", "q-1")
    with override("en"):
        english = address("public:question", "missouri", "q-1")

    assert (english, spanish) == ("/missouri/q-1/", "/es/missouri/q-1/")


def test_keyword_values_go_where_the_address_puts_them_in_any_order():
    expected = reverse("public:question", kwargs={"jurisdiction": "ohio", "question": "q-2"})

    assert address("public:question", question="q-2", jurisdiction="ohio") == expected
    assert address("public:question", jurisdiction="ohio", question="q-2") == expected


def test_the_script_prefix_is_part_of_the_address():
    set_script_prefix("/legal-info/")
    try:
        assert address("public:jurisdiction", "ohio") == "/legal-info/ohio/"
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert address("public:jurisdiction", "ohio") == "/ohio/"


@override_settings(ROOT_URLCONF="bench.urls")
def test_another_url_configuration_is_reversed_afresh():
    assert address("public:jurisdiction", "ohio") == reverse("public:jurisdiction", args=["ohio"])


def test_a_number_is_reversed_as_before():
    assert address("public:source", 12) == "/sources/12/"
    assert address("public:source", source_id=12) == "/sources/12/"


@pytest.mark.parametrize("value", ["two words", "é-slug", "a/b", "", "placeholder-0placeholder0"])
def test_a_value_that_is_no_slug_fails_or_passes_as_reverse_does(value):
    try:
        expected = reverse("public:jurisdiction", args=[value])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            address("public:jurisdiction", value)
    else:
        assert address("public:jurisdiction", value) == expected


def test_positional_and_keyword_values_together_are_refused_as_reverse_refuses_them():
    with pytest.raises(ValueError):
        address("public:question", "ohio", question="q-1")
