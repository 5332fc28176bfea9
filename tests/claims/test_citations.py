"""Finding legal citations in text: normalised forms, spans and kinds, without a database."""

import socket

import pytest

from claims.citations import citation_keys, find_citations
from claims.models import Source


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Mo. Rev. Stat. § 67.307", "Mo. Rev. Stat. § 67.307"),
        ("Mo.Rev.Stat. § 67.307", "Mo. Rev. Stat. § 67.307"),
        ("Mo. Ann. Stat. § 67.307", "Mo. Rev. Stat. § 67.307"),
        ("Mo. Rev. Stat. 67.307", "Mo. Rev. Stat. § 67.307"),
        ("RSMo 544.470", "Mo. Rev. Stat. § 544.470"),
        ("Section 544.470, RSMo", "Mo. Rev. Stat. § 544.470"),
        ("§ 610.021(3), RSMo", "Mo. Rev. Stat. § 610.021(3)"),
        ("R.S.Mo. § 544.470", "Mo. Rev. Stat. § 544.470"),
        ("8 U.S.C. § 1373", "8 U.S.C. § 1373"),
        ("8 U.S.C. § 1357(g)", "8 U.S.C. § 1357(g)"),
        ("8 U.S.C. §1357(g)(1)", "8 U.S.C. § 1357(g)(1)"),
        ("8 U.S.C. §§ 1373 et seq.", "8 U.S.C. §§ 1373 et seq."),
        ("8 USC 1373", "8 U.S.C. § 1373"),
        ("8 U.S.C.A. § 1373", "8 U.S.C. § 1373"),
        ("8 U.S.C. sec. 1373", "8 U.S.C. § 1373"),
        ("8 C.F.R. § 287.7", "8 C.F.R. § 287.7"),
        ("8 CFR 287.7", "8 C.F.R. § 287.7"),
        ("Kan. Stat. Ann. § 21-6810", "Kan. Stat. Ann. § 21-6810"),
        ("K.S.A. 45-215", "Kan. Stat. Ann. § 45-215"),
        ("Tex. Gov't Code Ann. § 752.053", "Tex. Gov't Code Ann. § 752.053"),
        ("Mo. Sup. Ct. R. 33.01", "Mo. Sup. Ct. R. 33.01"),
        ("Missouri Supreme Court Rule 33.01", "Mo. Sup. Ct. R. 33.01"),
        ("Fed. R. Civ. P. 45(c)", "Fed. R. Civ. P. 45(c)"),
        ("INA § 287(g)", "INA § 287(g)"),
        ("Arizona v. United States, 567 U.S. 387 (2012)", "567 U.S. 387"),
    ],
)
def test_citation_is_normalised(text, normalized):
    found = find_citations(f"See {text} for the rule.")
    assert [item.normalized for item in found] == [normalized]


def test_span_covers_the_citation_with_its_subsection():
    text = "ICE deputises officers under 8 U.S.C. § 1357(g), the 287(g) program."
    (found,) = find_citations(text)
    assert text[found.span[0] : found.span[1]] == "8 U.S.C. § 1357(g)"


def test_base_leaves_out_the_subsection():
    (found,) = find_citations("8 U.S.C. § 1357(g)(1) allows it.")
    assert (found.base, found.pin) == ("8 U.S.C. § 1357", "(g)(1)")


def test_case_span_runs_from_the_case_name_to_the_year():
    text = "See Arizona v. United States, 567 U.S. 387, 400 (2012)."
    (found,) = find_citations(text)
    assert (
        text[found.span[0] : found.span[1]] == "Arizona v. United States, 567 U.S. 387, 400 (2012)"
    )
    assert found.pin == "400"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mo. Rev. Stat. § 67.307", Source.Kind.STATUTE),
        ("K.S.A. 45-215", Source.Kind.STATUTE),
        ("8 C.F.R. § 287.7", Source.Kind.REGULATION),
        ("Mo. Sup. Ct. R. 33.01", Source.Kind.COURT_RULE),
        ("Arizona v. United States, 567 U.S. 387 (2012)", Source.Kind.CASE),
    ],
)
def test_kind_is_a_source_kind(text, kind):
    (found,) = find_citations(text)
    assert found.kind == kind


def test_several_citations_come_in_text_order():
    text = "Both K.S.A. 45-215 and Mo. Rev. Stat. § 67.307 and 8 CFR 287.7 apply."
    assert [item.normalized for item in find_citations(text)] == [
        "Kan. Stat. Ann. § 45-215",
        "Mo. Rev. Stat. § 67.307",
        "8 C.F.R. § 287.7",
    ]


def test_a_citation_found_two_ways_is_reported_once():
    assert len(find_citations("Kan. Stat. Ann. § 21-6810")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "the 287(g) program",
        "Senate Bill 5 passed in 2017 with 67.3 percent",
        "Id. at 400.",
        "567 U.S. at 400",
        "a bare § sign",
        "Rule 33.01 of some court",
    ],
)
def test_text_without_a_full_citation_has_none(text):
    assert find_citations(text) == []


def test_keys_hold_normalised_and_base_forms():
    assert citation_keys("K.S.A. 45-215(a)") == {
        "Kan. Stat. Ann. § 45-215(a)",
        "Kan. Stat. Ann. § 45-215",
    }


def test_finding_citations_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("find_citations opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert find_citations("8 U.S.C. § 1373 and 567 U.S. 387 (2012)")
