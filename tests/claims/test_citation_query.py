"""Reading a search query for legal citations: normalised citations and the other words."""

import pytest

from claims.citations import split_query


@pytest.mark.parametrize(
    "query",
    [
        "RSMo 544.470",
        "Mo. Rev. Stat. § 544.470",
        "Mo. Rev. Stat. 544.470",
        "section 544.470, RSMo",
        "RSMo 544.470(2)",
    ],
)
def test_every_written_form_of_a_citation_gives_its_normalised_section(query):
    assert split_query(query) == (["Mo. Rev. Stat. § 544.470"], "")


def test_the_words_around_a_citation_are_kept_in_order():
    assert split_query("bail RSMo 544.470 hearing  K.S.A. 45-215 records") == (
        ["Mo. Rev. Stat. § 544.470", "Kan. Stat. Ann. § 45-215"],
        "bail hearing records",
    )


def test_a_citation_named_twice_is_given_once():
    assert split_query("RSMo 544.470 or Mo. Rev. Stat. § 544.470") == (
        ["Mo. Rev. Stat. § 544.470"],
        "or",
    )


@pytest.mark.parametrize("query", ["§ 544.470", "544.470", "court records", ""])
def test_a_query_without_a_full_citation_is_left_as_it_is(query):
    assert split_query(query) == ([], query)
