"""The audit_content command over the seed document and made-up claims."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.audit import KINDS
from claims.models import Claim
from courtinfo.editing import workflow_writes
from tests.factories import (
    AnswerFactory,
    CitationFactory,
    ClaimFactory,
    QuestionFactory,
    jurisdiction,
)

SEED = "claims/demo/missouri-courts-ice.txt"


def _audit_json(*args):
    out = StringIO()
    call_command("audit_content", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def seed(db):
    call_command("import_qa", SEED, stdout=StringIO())


def _kansas_claim(text="Kansas courts share records on request."):
    question = QuestionFactory(jurisdiction=jurisdiction("KS"), text="What does Kansas do?")
    return ClaimFactory(answer=AnswerFactory(question=question), text=text)


def test_json_lists_every_seed_claim_exactly_once(seed):
    report = _audit_json()
    ids = [entry["claim"] for entry in report]
    assert sorted(ids) == sorted(Claim.objects.values_list("pk", flat=True))
    assert len(ids) == len(set(ids))


def test_json_entries_have_a_risk_and_reasons_of_allowed_kinds(seed):
    for entry in _audit_json():
        assert set(entry) == {"claim", "risk", "reasons"}
        assert entry["risk"] in {"high", "medium", "low"}
        assert all(reason.split(": ", 1)[0] in KINDS for reason in entry["reasons"])


def test_seed_senate_bill_claim_is_specific_and_high(seed):
    claim = Claim.objects.get(answer__question__position=10, text__contains="Senate Bill 5")
    (entry,) = [entry for entry in _audit_json() if entry["claim"] == claim.pk]
    (specific,) = [reason for reason in entry["reasons"] if reason.startswith("specific: ")]
    assert "'Senate Bill 5'" in specific and "'2017'" in specific
    assert entry["risk"] == "high"


def test_high_comes_before_medium_before_low(seed):
    cited = ClaimFactory(text="Courts share records on request.")
    CitationFactory(claim=cited)
    risks = [entry["risk"] for entry in _audit_json()]
    assert {"high", "medium", "low"} <= set(risks)
    order = {"high": 0, "medium": 1, "low": 2}
    assert risks == sorted(risks, key=order.__getitem__)


def test_jurisdiction_filter_keeps_only_its_claims_in_any_case(seed):
    kansas = _kansas_claim()
    assert [entry["claim"] for entry in _audit_json("--jurisdiction", "ks")] == [kansas.pk]
    missouri = {entry["claim"] for entry in _audit_json("--jurisdiction", "Mo")}
    assert kansas.pk not in missouri and len(missouri) == Claim.objects.count() - 1


def test_unknown_jurisdiction_is_an_error_naming_it(db):
    with pytest.raises(CommandError, match="'ZZ'"):
        call_command("audit_content", "--jurisdiction", "ZZ", stdout=StringIO())


def test_claim_verified_long_ago_is_stale(db, settings):
    settings.COURTINFO_REVIEW_INTERVAL_DAYS = 30
    claim = ClaimFactory(text="Courts share records on request.")
    CitationFactory(claim=claim)
    with workflow_writes():
        # Well past the 30 days: the audit compares local dates, and a day's difference can
        # vanish across a change of daylight saving time near midnight.
        Claim.objects.filter(pk=claim.pk).update(verified_at=timezone.now() - timedelta(days=45))
    (entry,) = _audit_json()
    assert [reason.split(":")[0] for reason in entry["reasons"]] == ["stale"]


def test_claim_with_a_source_backing_its_citation_is_low(db):
    claim = ClaimFactory(text="Mo. Rev. Stat. § 67.307 governs sanctuary policies.")
    CitationFactory(claim=claim, source__citation="Mo. Rev. Stat. § 67.307")
    assert _audit_json() == [{"claim": claim.pk, "risk": "low", "reasons": []}]


def test_table_shows_risk_claim_jurisdiction_question_and_text(seed):
    claim = Claim.objects.get(answer__question__position=10, text__contains="Senate Bill 5")
    out = StringIO()
    call_command("audit_content", stdout=out)
    (row,) = [line for line in out.getvalue().splitlines() if line.split()[1:2] == [str(claim.pk)]]
    assert row.split()[:4] == ["high", str(claim.pk), "MO", "10"]
    assert " ".join(claim.text.split())[:69] in row
    assert f"{Claim.objects.count()} claims:" in out.getvalue()


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow_with_claims(db, django_assert_max_num_queries, count):
    for _ in range(count):
        CitationFactory(claim=_kansas_claim())
    with django_assert_max_num_queries(3):
        report = _audit_json("--jurisdiction", "KS")
    assert len(report) == count


def test_claim_whose_quote_is_anchored_in_an_archived_copy_is_low(db):
    claim = ClaimFactory(text="Court personnel are trained on every request from ICE.")
    CitationFactory(claim=claim, anchor={"found": True, "exact": "trained", "start": 0, "end": 7})
    (entry,) = _audit_json()
    assert entry["risk"] == "low"


def test_claim_whose_quote_was_not_found_in_the_copy_is_not_lowered(db):
    claim = ClaimFactory(text="Court personnel are trained on every request from ICE.")
    CitationFactory(claim=claim, anchor={"found": False, "closest": ""})
    (entry,) = _audit_json()
    assert entry["risk"] == "medium"
    assert any(reason.startswith("procedure: ") for reason in entry["reasons"])


def test_seed_statute_absence_claim_is_high_naming_what_to_search(seed):
    claim = Claim.objects.get(text__startswith="Missouri state law does not have specific statutes")
    (entry,) = [entry for entry in _audit_json() if entry["claim"] == claim.pk]
    assert entry["risk"] == "high"
    (absence,) = [reason for reason in entry["reasons"] if reason.startswith("absence: ")]
    assert "search the statutes, court rules and cases" in absence
