"""Risk rules for claims: each rule's flagged and passing texts, and how reasons make a risk."""

from datetime import date
from pathlib import Path

import pytest

from claims.audit import KINDS, RULES, ClaimFacts, audit_claim
from claims.importer.parse import parse_document

TODAY = date(2025, 6, 1)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIXTURES / "000_185f39eb3d0e638c.txt"


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


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "Missouri state law does not have specific statutes mandating cooperation with ICE.",
            "'does not have specific statutes'",
        ),
        ("There is no statewide policy on sharing.", "'There is no statewide policy'"),
        ("There are no agreements with ICE.", "'There are no agreements'"),
        ("We are not aware of any cases on point.", "'not aware of any'"),
        ("There is no filing fee for a protection order.", "'There is no filing fee'"),
    ],
)
def test_absence_flags_what_the_law_is_said_not_to_contain(text, quoted):
    reason = _reason(_audit(text), "absence")
    assert reason.startswith(f"absence: says {quoted};")
    assert "search the statutes, court rules and cases" in reason


@pytest.mark.parametrize(
    "text", ["Missouri has a statute on detainers.", "The court does not sit on Mondays."]
)
def test_absence_passes_a_statement_of_what_exists(text):
    assert "absence" not in _kinds(_audit(text))


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Individuals are informed about the potential sharing.", "'are informed'"),
        ("Court personnel receive training on ICE requests.", "'receive training'"),
        ("Court personnel are trained on requests.", "'are trained'"),
        ("The courts have established clear policies.", "'have established clear policies'"),
        ("Landlords are prohibited from cutting utilities.", "'are prohibited from'"),
        ("This law effectively requires courts to share.", "'law effectively requires'"),
    ],
)
def test_procedure_flags_duties_and_practices_stated_as_fact(text, quoted):
    reason = _reason(_audit(text), "procedure")
    assert reason.startswith(f"procedure: says {quoted};")
    assert "find the statute, rule, form or policy" in reason


@pytest.mark.parametrize(
    "text", ["Courts share records on request.", "Immigration law is complex."]
)
def test_procedure_passes_a_statement_without_a_duty_or_practice(text):
    assert "procedure" not in _kinds(_audit(text))


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("The American Civil Liberties Union opposes it.", "'American Civil Liberties Union'"),
        ("The Board of Pardons reviews it.", "'Board of Pardons'"),
        (
            "Missouri Immigrant and Refugee Advocates object.",
            "'Missouri Immigrant and Refugee Advocates'",
        ),
    ],
)
def test_named_flags_bodies_and_programmes(text, quoted):
    reason = _reason(_audit(text), "named")
    assert reason.startswith(f"named: names {quoted};")
    assert "check that the body or programme exists" in reason


def test_named_passes_a_text_without_a_named_body():
    assert "named" not in _kinds(_audit("Advocacy groups oppose it."))


@pytest.mark.parametrize(
    "text",
    [
        "As of my last update, courts share records.",
        "As of my most recent information, the process takes a year.",
        "As far as I know, every county has an advocate.",
    ],
)
def test_knowledge_hedge_is_high_even_with_a_source(text):
    audit = _audit(text)
    assert audit.risk == "high"
    assert "check the current law before anything else" in _reason(audit, "hedge")


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Some reports suggest more arrests.", "'Some reports suggest'"),
        ("Advocates say the measures helped.", "'Advocates say'"),
        ("Anecdotal evidence points to more arrests.", "'Anecdotal evidence'"),
    ],
)
def test_unnamed_attribution_is_vague_and_high_without_a_source(text, quoted):
    audit = _audit(text, citation_count=0)
    assert _reason(audit, "vague").startswith(f"vague: says {quoted};")
    assert audit.risk == "high"


def test_unnamed_attribution_passes_a_named_speaker():
    assert "vague" not in _kinds(_audit("The ACLU of Missouri says the measures helped."))


@pytest.mark.parametrize(
    "text",
    [
        "It is essential for stakeholders to consider the broader impacts on all individuals.",
        "It is important for individuals to consult an attorney in every case.",
        "Stakeholders should consider the rights of all individuals.",
        "Data Security: Implement safeguards to protect all shared information.",
        "Tenants should always keep copies of every receipt.",
    ],
)
def test_advice_and_importance_rank_low_whatever_absolute_words_they_hold(text):
    assert _audit(text, citation_count=0).risk == "low"


def test_importance_framing_is_not_advice():
    text = "It is important to note that courts are informed of every request."
    assert _audit(text, citation_count=0).risk == "high"


def test_claim_with_an_anchored_quote_is_low():
    text = "Court personnel are trained on ICE requests under Senate Bill 5."
    assert _audit(text, citation_count=0).risk == "high"
    assert _audit(text, anchored=True).risk == "low"


def test_anchored_quote_does_not_back_a_law_no_source_cites():
    audit = _audit("8 U.S.C. § 1373 applies.", cited=["8 C.F.R. § 287.7"], anchored=True)
    assert audit.risk == "high"


def test_anchored_claim_whose_review_lapsed_is_medium():
    audit = _audit("Courts share records.", review_due_on=date(2025, 5, 1), anchored=True)
    assert audit.risk == "medium"


def test_duty_with_a_source_is_medium():
    assert _audit("Court personnel are trained on requests.").risk == "medium"


def _claims_of(path):
    document = parse_document(path.read_bytes(), name=path.name)
    return [
        text.strip()
        for question in document.questions
        for block in question.blocks
        for text in block.claims
    ]


def _marked(document):
    # Each document's sidecar lists, one a line, the claims a careful reviewer must check first.
    sidecar = FIXTURES / "audit" / f"{document.stem}.check"
    lines = sidecar.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _uncited_audits(path):
    return {text: _audit(text, citation_count=0) for text in _claims_of(path)}


# Precision and recall of `high` against the hand marks; README "Audit" has the table.
MEASURED = [
    ("000_185f39eb3d0e638c.txt", 0.9, 0.85),
    ("audit/texas-evictions.txt", 0.8, 0.9),
    ("audit/ohio-protective-orders.txt", 0.9, 0.8),
    ("audit/pennsylvania-expungement.txt", 0.8, 0.85),
]


@pytest.mark.parametrize(("name", "precision_floor", "recall_floor"), MEASURED)
def test_high_finds_the_claims_marked_check_first(name, precision_floor, recall_floor):
    path = FIXTURES / name
    audits = _uncited_audits(path)
    marked = _marked(path)
    assert marked <= set(audits), "a marked claim is not a claim of the document"
    high = {text for text, audit in audits.items() if audit.risk == "high"}
    found = len(high & marked)
    assert found / len(high) >= precision_floor
    assert found / len(marked) >= recall_floor


def test_high_is_at_most_two_fifths_of_the_seed():
    audits = _uncited_audits(SEED).values()
    assert sum(audit.risk == "high" for audit in audits) <= 0.4 * len(audits)


@pytest.mark.parametrize(
    ("start", "kind", "check"),
    [
        ("Missouri state law does not have specific statutes", "absence", "search the statutes"),
        ("Missouri does not have a specific statewide policy", "absence", "search the statutes"),
        ("Individuals are informed about the potential sharing", "procedure", "find the statute"),
        ("Policies and Procedures: The state court system", "procedure", "find the statute"),
        ("In Missouri, court personnel are provided with", "procedure", "find the statute"),
        ("In fact, Missouri passed a law known as", "specific", "check each number"),
        ("As of my last update", "hedge", "check the current law"),
        ("However, anecdotal evidence and certain reports", "vague", "find the report"),
    ],
)
def test_seed_false_claims_are_high_with_a_reason_saying_what_to_check(start, kind, check):
    audits = _uncited_audits(SEED)
    (text,) = [text for text in audits if text.startswith(start)]
    audit = audits[text]
    assert audit.risk == "high"
    assert check in _reason(audit, kind)


@pytest.mark.parametrize(
    "start",
    [
        "It is essential for stakeholders to consider",
        "It is essential for state courts to carefully consider",
        "However, it is always essential for stakeholders",
        "Data Security: Implement safeguards",
    ],
)
def test_seed_advice_is_low(start):
    audits = _uncited_audits(SEED)
    (text,) = [text for text in audits if text.startswith(start)]
    assert audits[text].risk == "low"


def _seed_claim_texts() -> list[str]:
    document = parse_document(SEED.read_bytes(), name=SEED.name)
    return [
        text
        for question in document.questions
        for block in question.blocks
        for text in block.claims
    ]


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule.text_only], ids=lambda r: r.kind)
def test_a_rule_remembered_by_text_reads_nothing_but_the_text(rule):
    # Its findings are kept per text: the same text with every other fact changed must give
    # the same finding, or remembering it would show another claim's result.
    texts = [*_seed_claim_texts(), "Under 8 U.S.C. § 1357(g) it typically never applies."]
    one = {"citation_count": 0, "cited": (), "verified_on": None, "review_due_on": None}
    other = {
        "citation_count": 3,
        "cited": ("8 U.S.C. § 1357(g)",),
        "verified_on": date(2020, 1, 1),
        "review_due_on": date(2021, 1, 1),
        "is_claim": False,
        "anchored": True,
        "stale_after_days": 1,
    }
    for text in texts:
        first = rule.finds(
            ClaimFacts(
                text=text, today=TODAY, stale_after_days=180, is_claim=True, anchored=False, **one
            )
        )
        second = rule.finds(ClaimFacts(text=text, today=date(2030, 1, 1), **other))
        assert first == second, (rule.kind, text)


def test_the_rules_not_remembered_are_those_reading_sources_and_dates():
    assert {rule.kind for rule in RULES if not rule.text_only} == {"citation", "uncited", "stale"}


def test_an_audit_is_the_same_asked_twice_with_other_facts():
    text = "Under 8 U.S.C. § 1357(g) the sheriff typically never shares records."

    cited = _audit(text, cited=["8 U.S.C. § 1357(g)"])
    uncited = _audit(text, citation_count=0)

    assert "citation" not in _kinds(cited)
    assert {"citation", "uncited"} <= set(_kinds(uncited))
    assert _audit(text, cited=["8 U.S.C. § 1357(g)"]) == cited
