"""Finding legal citations in text: normalised forms, spans and kinds, without a database."""

import socket

import pytest

from claims.citations import citation_keys, find_citations, official_text
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
        ("8 U.S.C. §§ 1373 et seq.", "8 U.S.C. § 1373 et seq."),
        ("8 USC 1373", "8 U.S.C. § 1373"),
        ("8 U.S.C.A. § 1373", "8 U.S.C. § 1373"),
        ("8 U.S.C. sec. 1373", "8 U.S.C. § 1373"),
        ("8 C.F.R. § 287.7", "8 C.F.R. § 287.7"),
        ("8 CFR 287.7", "8 C.F.R. § 287.7"),
        ("Kan. Stat. Ann. § 21-6810", "Kan. Stat. Ann. § 21-6810"),
        ("K.S.A. 45-215", "Kan. Stat. Ann. § 45-215"),
        ("Tex. Gov't Code Ann. § 752.053", "Tex. Gov't Code Ann. § 752.053"),
        # Texas codes with and without "Ann.", abbreviated or spelt out, with curly apostrophes.
        ("Tex. Gov't Code § 752.053", "Tex. Gov't Code Ann. § 752.053"),
        ("Tex. Gov’t Code Ann. § 752.053", "Tex. Gov't Code Ann. § 752.053"),
        ("Texas Government Code Section 752.053", "Tex. Gov't Code Ann. § 752.053"),
        ("Tex. Prop. Code § 24.005", "Tex. Prop. Code Ann. § 24.005"),
        ("Tex. Prop. Code Ann. § 24.005", "Tex. Prop. Code Ann. § 24.005"),
        ("Texas Property Code § 24.005", "Tex. Prop. Code Ann. § 24.005"),
        ("Tex. Fam. Code § 85.001", "Tex. Fam. Code Ann. § 85.001"),
        ("Texas Local Government Code § 1.001", "Tex. Loc. Gov't Code Ann. § 1.001"),
        ("Tex. Code Crim. Proc. art. 2.251", "Tex. Code Crim. Proc. Ann. art. 2.251"),
        ("Texas Code of Criminal Procedure Article 2.251", "Tex. Code Crim. Proc. Ann. art. 2.251"),
        # Other states' Bluebook (T1) forms, and the short names their own courts use.
        ("Cal. Penal Code § 7284.6", "Cal. Penal Code § 7284.6"),
        ("Cal. Gov't Code § 7284.6", "Cal. Gov't Code § 7284.6"),
        ("N.Y. Exec. Law § 259-i", "N.Y. Exec. Law § 259-i"),
        ("Ala. Code § 35-9A-421", "Ala. Code § 35-9A-421"),
        ("Fla. Stat. § 908.104", "Fla. Stat. § 908.104"),
        ("Ohio Rev. Code Ann. § 1923.04", "Ohio Rev. Code Ann. § 1923.04"),
        ("18 Pa. Cons. Stat. § 9122", "18 Pa. Cons. Stat. § 9122"),
        ("42 Pa.C.S. § 9122", "42 Pa. Cons. Stat. § 9122"),
        ("735 ILCS 5/9-106", "735 Ill. Comp. Stat. 5/9-106"),
        ("735 Ill. Comp. Stat. 5/9-106", "735 Ill. Comp. Stat. 5/9-106"),
        ("Wash. Rev. Code § 59.18.057", "Wash. Rev. Code § 59.18.057"),
        ("Wash. Rev. Code Ann. § 59.18.057", "Wash. Rev. Code § 59.18.057"),
        ("RCW 59.18.057", "Wash. Rev. Code § 59.18.057"),
        ("Or. Rev. Stat. § 90.394", "Or. Rev. Stat. § 90.394"),
        ("ORS 90.394", "Or. Rev. Stat. § 90.394"),
        ("NRS 40.253", "Nev. Rev. Stat. § 40.253"),
        ("KRS 383.660", "Ky. Rev. Stat. Ann. § 383.660"),
        ("Ky. Rev. Stat. Ann. § 383.660", "Ky. Rev. Stat. Ann. § 383.660"),
        ("MCL 600.5714", "Mich. Comp. Laws § 600.5714"),
        ("Mich. Comp. Laws § 600.5714", "Mich. Comp. Laws § 600.5714"),
        ("A.R.S. § 33-1368", "Ariz. Rev. Stat. § 33-1368"),
        ("Ariz. Rev. Stat. § 33-1368", "Ariz. Rev. Stat. § 33-1368"),
        ("O.C.G.A. § 44-7-50", "Ga. Code Ann. § 44-7-50"),
        ("Ga. Code Ann. § 44-7-50", "Ga. Code Ann. § 44-7-50"),
        ("C.R.S. 13-40-104", "Colo. Rev. Stat. § 13-40-104"),
        ("Colo. Rev. Stat. § 13-40-104", "Colo. Rev. Stat. § 13-40-104"),
        ("Minn. Stat. § 504B.321", "Minn. Stat. § 504B.321"),
        ("Conn. Gen. Stat. § 47a-23", "Conn. Gen. Stat. § 47a-23"),
        ("Utah Code Ann. § 78B-6-802", "Utah Code Ann. § 78B-6-802"),
        ("R.I. Gen. Laws § 34-18-36", "R.I. Gen. Laws § 34-18-36"),
        ("N.J. Stat. Ann. § 2A:18-61.1", "N.J. Stat. Ann. § 2A:18-61.1"),
        ("N.J.S.A. 2A:18-61.1", "N.J. Stat. Ann. § 2A:18-61.1"),
        ("La. Stat. Ann. § 9:3259", "La. Stat. Ann. § 9:3259"),
        ("Mass. Gen. Laws ch. 186, § 11", "Mass. Gen. Laws ch. 186, § 11"),
        ("Okla. Stat. tit. 41, § 111", "Okla. Stat. tit. 41, § 111"),
        ("N.C. Gen. Stat. § 42-26", "N.C. Gen. Stat. § 42-26"),
        ("Va. Code Ann. § 55.1-1245", "Va. Code Ann. § 55.1-1245"),
        ("Ind. Code § 32-31-1-6", "Ind. Code § 32-31-1-6"),
        ("Tenn. Code Ann. § 66-28-505", "Tenn. Code Ann. § 66-28-505"),
        ("D.C. Code § 42-3505.01", "D.C. Code § 42-3505.01"),
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


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("8 U.S.C. §§ 1373, 1644", ["8 U.S.C. § 1373", "8 U.S.C. § 1644"]),
        ("8 U.S.C. §§ 1373 and 1644(a)", ["8 U.S.C. § 1373", "8 U.S.C. § 1644(a)"]),
        ("8 U.S.C. §§ 1373-1375", ["8 U.S.C. § 1373", "8 U.S.C. § 1375"]),
        ("K.S.A. §§ 45-215, 45-217", ["Kan. Stat. Ann. § 45-215", "Kan. Stat. Ann. § 45-217"]),
        (
            "Mo. Rev. Stat. §§ 67.307, 650.475 and 544.472",
            ["Mo. Rev. Stat. § 67.307", "Mo. Rev. Stat. § 650.475", "Mo. Rev. Stat. § 544.472"],
        ),
        (
            "Sections 67.307 and 650.475, RSMo",
            ["Mo. Rev. Stat. § 67.307", "Mo. Rev. Stat. § 650.475"],
        ),
        ("§§ 67.307, 650.475, RSMo", ["Mo. Rev. Stat. § 67.307", "Mo. Rev. Stat. § 650.475"]),
    ],
)
def test_each_section_after_a_double_section_sign_is_a_citation(text, normalized):
    found = find_citations(f"See {text}.")
    assert [item.normalized for item in found] == normalized


def test_each_listed_section_spans_its_own_number():
    text = "See 8 U.S.C. §§ 1373, 1644."
    first, second = find_citations(text)
    assert text[first.span[0] : first.span[1]] == "8 U.S.C. §§ 1373"
    assert text[second.span[0] : second.span[1]] == "1644"


def test_a_single_section_sign_lists_nothing_after_it():
    found = find_citations("8 U.S.C. § 1373, 45 days later the court ruled.")
    assert [item.normalized for item in found] == ["8 U.S.C. § 1373"]


@pytest.mark.parametrize(
    "text",
    [
        # Short state names with no section after them.
        "The RCW applies to landlords.",
        "An MCL injury in 2019 kept him out.",
        "ORS 5 times a year.",
        "KRS officers visited.",
        "A.R.S. rules and C.R.S. rules differ.",
        # Texas names without a section, or with a year instead of one.
        "The Texas Property Code is long.",
        "Tex. Prop. Code",
        "The Texas Government Code was amended in 2019.",
        # Neither a code nor a section.
        "In 1373 the court met; in 1644 it did not.",
    ],
)
def test_text_that_is_not_a_citation_finds_nothing(text):
    assert find_citations(text) == []


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            "8 U.S.C. § 1373",
            "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1373"
            "&num=0&edition=prelim",
        ),
        ("8 C.F.R. § 287.7", "https://www.ecfr.gov/current/title-8/section-287.7"),
        ("RSMo 544.470", "https://revisor.mo.gov/main/OneSection.aspx?section=544.470"),
        (
            "K.S.A. 45-215",
            "https://www.ksrevisor.org/statutes/chapters/ch45/045_002_0015.html",
        ),
        (
            "K.S.A. 44-512a",
            "https://www.ksrevisor.org/statutes/chapters/ch44/044_005_0012a.html",
        ),
        (
            "Tex. Gov't Code § 752.053",
            "https://statutes.capitol.texas.gov/Docs/GV/htm/GV.752.htm#752.053",
        ),
        (
            "Tex. Prop. Code § 24.005",
            "https://statutes.capitol.texas.gov/Docs/PR/htm/PR.24.htm#24.005",
        ),
        (
            "Tex. Code Crim. Proc. art. 2.251",
            "https://statutes.capitol.texas.gov/Docs/CR/htm/CR.2.htm#2.251",
        ),
        (
            "Cal. Penal Code § 7284.6",
            "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml"
            "?lawCode=PEN&sectionNum=7284.6",
        ),
        ("N.Y. Exec. Law § 259-i", "https://www.nysenate.gov/legislation/laws/EXC/259-I"),
        (
            "Ohio Rev. Code Ann. § 1923.04",
            "https://codes.ohio.gov/ohio-revised-code/section-1923.04",
        ),
        ("RCW 59.18.057", "https://app.leg.wa.gov/RCW/default.aspx?cite=59.18.057"),
        (
            "Fla. Stat. § 908.104",
            "https://www.leg.state.fl.us/statutes/index.cfm?App_mode=Display_Statute"
            "&URL=0900-0999/0908/Sections/0908.104.html",
        ),
        ("A.R.S. § 33-1368", "https://www.azleg.gov/ars/33/01368.htm"),
        (
            "MCL 600.5714",
            "https://www.legislature.mi.gov/Laws/MCL?objectName=mcl-600-5714",
        ),
    ],
)
def test_official_page_of_a_citation(text, url):
    (found,) = find_citations(text)
    official = official_text(found.base)
    assert official is not None and official.url == url and official.publisher


@pytest.mark.parametrize(
    "citation", ["Ga. Code Ann. § 44-7-50", "567 U.S. 387", "Mo. Sup. Ct. R. 33.01", "nonsense"]
)
def test_no_official_page_where_none_is_known(citation):
    assert official_text(citation) is None
