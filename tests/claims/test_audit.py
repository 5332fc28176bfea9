"""Risk rules for claims: each rule's flagged and passing texts, and how reasons make a risk."""

from datetime import date

import pytest

from claims.audit import KINDS, RULES, audit_claim

TODAY = date(2025, 6, 1)


def _audit(text, **facts):
    facts = {
        "citation_count": 1,
        "verified_on": None,
        "review_due_on": None,
        "today": TODAY,
    } | facts
    return audit_claim(text=text, **facts)


def _kinds(audit):
    return [reason.split(":", 1)[0] for reason in audit.reasons]


def _reason(audit, kind):
    (reason,) = [reason for reason in audit.reasons if reason.startswith(f"{kind}: ")]
    return reason


def test_rules_table_covers_every_kind():
    assert {rule.kind for rule in RULES} == set(KINDS)


@pytest.mark.parametrize(
    "text",
    [
        "Courts typically share records with ICE.",
        "As of my last update, courts share records with ICE.",
        "As of my knowledge, courts share records.",
        "Courts may share records with ICE.",
        "In general, courts share records.",
    ],
)
def test_hedge_flags_words_that_avoid_saying_what_the_rule_is(text):
    assert "hedge" in _kinds(_audit(text))


def test_hedge_reason_quotes_the_word_and_says_what_to_check():
    reason = _reason(_audit("Courts typically share records."), "hedge")
    assert reason == "hedge: says 'typically'; find what the rule actually is and say it plainly."


@pytest.mark.parametrize("text", ["Courts share records on request.", "Mayors disagree."])
def test_hedge_passes_a_plain_statement(text):
    assert "hedge" not in _kinds(_audit(text))


def test_uncited_flags_a_claim_without_citations():
    assert "uncited" in _kinds(_audit("Courts share records.", citation_count=0))


def test_uncited_passes_a_cited_claim():
    assert "uncited" not in _kinds(_audit("Courts share records.", citation_count=2))


def test_uncited_passes_text_marked_not_a_claim():
    audit = _audit("Here are the key points.", citation_count=0, is_claim=False)
    assert "uncited" not in _kinds(audit)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Missouri passed Senate Bill 5 in 2017.", "'Senate Bill 5', '2017'"),
        ("The Missouri Immigrant Protection Act bars it.", "'Missouri Immigrant Protection Act'"),
        ("About 40 percent of requests are refused.", "'40 percent'"),
        ("The rule took effect on August 28, 2018.", "'August 28, 2018'"),
        ("Officers join the 287(g) program.", "'287(g)'"),
    ],
)
def test_specific_flags_numbers_dates_and_named_laws(text, quoted):
    assert f"specific: says {quoted};" in _reason(_audit(text), "specific")


def test_specific_leaves_numbers_inside_a_citation_to_the_citation_rule():
    audit = _audit("Mo. Rev. Stat. § 67.307 governs it.", cited=["Mo. Rev. Stat. § 67.307"])
    assert "specific" not in _kinds(audit)


def test_specific_passes_a_claim_without_numbers_or_names():
    assert "specific" not in _kinds(_audit("Courts share records on request."))


@pytest.mark.parametrize(
    "text",
    [
        "Courts always share records.",
        "ICE never asks for records.",
        "There are no known cases of misuse.",
        "This law effectively requires courts to share records.",
        "All courts share records.",
    ],
)
def test_absolute_flags_statements_without_exceptions(text):
    assert "absolute" in _kinds(_audit(text))


@pytest.mark.parametrize("text", ["Courts are allowed to share.", "Overall, courts share."])
def test_absolute_passes_words_that_only_contain_an_absolute(text):
    assert "absolute" not in _kinds(_audit(text))


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Data is protected through various measures.", "'various measures'"),
        ("Some groups oppose it.", "'Some groups'"),
        ("Certain counties differ.", "'Certain counties'"),
        ("In recent years, scrutiny grew.", "'In recent years'"),
    ],
)
def test_vague_flags_unnamed_who_and_when(text, quoted):
    assert f"vague: says {quoted};" in _reason(_audit(text), "vague")


def test_vague_passes_a_named_actor():
    assert "vague" not in _kinds(_audit("The ACLU of Missouri opposes it."))


def test_citation_flags_a_law_no_cited_source_backs():
    audit = _audit("Mo. Rev. Stat. § 67.307 bars it.", cited=["8 U.S.C. § 1373"])
    assert _reason(audit, "citation").startswith("citation: names 'Mo. Rev. Stat. § 67.307';")


def test_citation_flags_a_law_in_an_uncited_claim():
    assert "citation" in _kinds(_audit("8 U.S.C. § 1373 applies.", citation_count=0))


def test_citation_passes_a_law_its_source_cites_under_another_name():
    audit = _audit("K.S.A. 45-215 governs records.", cited=["Kan. Stat. Ann. § 45-215"])
    assert "citation" not in _kinds(audit)


def test_citation_passes_a_subsection_of_the_cited_section():
    audit = _audit("8 U.S.C. § 1357(g) allows it.", cited=["8 U.S.C. § 1357"])
    assert "citation" not in _kinds(audit)


def test_stale_flags_a_claim_verified_long_ago():
    audit = _audit("Courts share records.", verified_on=date(2024, 1, 1), stale_after_days=180)
    assert _reason(audit, "stale").startswith("stale: was last verified on 2024-01-01")


def test_stale_passes_a_recent_verification():
    audit = _audit("Courts share records.", verified_on=date(2025, 5, 1), stale_after_days=180)
    assert "stale" not in _kinds(audit)


def test_stale_flags_a_review_date_that_has_passed():
    audit = _audit("Courts share records.", review_due_on=date(2025, 5, 31))
    assert _reason(audit, "stale").startswith("stale: its answer's review was due on 2025-05-31")


def test_stale_passes_a_review_due_today():
    assert "stale" not in _kinds(_audit("Courts share records.", review_due_on=TODAY))


def test_specific_without_a_source_is_high():
    assert _audit("Missouri passed Senate Bill 5 in 2017.", citation_count=0).risk == "high"


def test_absolute_without_a_source_is_only_medium():
    assert _audit("Courts always share records.", citation_count=0).risk == "medium"


def test_specific_with_a_source_is_medium():
    assert _audit("Missouri passed Senate Bill 5 in 2017.").risk == "medium"


def test_unbacked_citation_is_high_even_with_a_source():
    assert _audit("8 U.S.C. § 1373 applies.", cited=["8 C.F.R. § 287.7"]).risk == "high"


def test_hedge_alone_is_medium():
    assert _audit("Courts typically share records.").risk == "medium"


def test_uncited_alone_is_medium():
    assert _audit("Courts share records.", citation_count=0).risk == "medium"


def test_claim_with_no_reason_is_low():
    audit = _audit("Courts share records on request.")
    assert (audit.risk, audit.reasons) == ("low", [])


def test_every_reason_starts_with_an_allowed_kind_and_ends_a_sentence():
    audit = _audit(
        "As of my last update, all courts are informed under 8 U.S.C. § 1373 since 2017 "
        "through various measures, the American Civil Liberties Union says there is no statute.",
        citation_count=0,
        verified_on=date(2020, 1, 1),
    )
    assert sorted(_kinds(audit)) == sorted(KINDS)
    assert all(reason.endswith(".") for reason in audit.reasons)
