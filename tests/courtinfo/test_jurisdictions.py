"""Tests for the list of jurisdictions and recognising them in text."""

from pathlib import Path

import pytest

from claims.importer.parse import parse_document
from courtinfo.jurisdictions import (
    JURISDICTIONS,
    find_jurisdiction,
    infer_jurisdiction,
    named_jurisdictions,
    names_for,
)


def test_every_state_dc_the_territories_and_the_federal_level_are_listed():
    kinds = [kind for _code, _name, kind in JURISDICTIONS]
    assert len(JURISDICTIONS) == 57
    assert (kinds.count("state"), kinds.count("district")) == (50, 1)
    assert (kinds.count("territory"), kinds.count("federal")) == (5, 1)


def test_codes_and_names_are_unique():
    assert len({code for code, _, _ in JURISDICTIONS}) == len(JURISDICTIONS)
    assert len({name for _, name, _ in JURISDICTIONS}) == len(JURISDICTIONS)


def test_district_territories_and_federal_rows():
    rows = {row[0]: row for row in JURISDICTIONS}
    assert rows["DC"] == ("DC", "District of Columbia", "district")
    assert rows["VI"] == ("VI", "U.S. Virgin Islands", "territory")
    assert rows["US"] == ("US", "United States", "federal")
    assert {code for code, _, kind in JURISDICTIONS if kind == "territory"} == {
        "PR",
        "GU",
        "VI",
        "AS",
        "MP",
    }


FIXTURES = Path(__file__).parent.parent / "fixtures"


def question_texts(name: str) -> list[str]:
    document = parse_document((FIXTURES / name).read_bytes(), name=name)
    return [question.text for question in document.questions]


def test_seed_questions_name_missouri():
    assert infer_jurisdiction(question_texts("000_185f39eb3d0e638c.txt")) == "MO"


def test_kansas_document_questions_name_kansas():
    assert infer_jurisdiction(question_texts("kansas_open_records.txt")) == "KS"


def test_single_state_is_inferred():
    texts = ["What is the policy in Missouri?", "How do courts share data with ICE?"]
    assert infer_jurisdiction(texts) == "MO"


def test_state_named_many_times_is_inferred_once():
    assert infer_jurisdiction(["Missouri?", "In Missouri, and MISSOURI?"]) == "MO"


def test_no_jurisdiction_named_is_refused():
    with pytest.raises(ValueError, match="No state, district or territory is named"):
        infer_jurisdiction(["How do courts share data with ICE?"])


def test_several_jurisdictions_named_are_refused_and_listed():
    with pytest.raises(ValueError) as caught:
        infer_jurisdiction(["Is Missouri like Kansas?", "What about Kansas?"])
    assert str(caught.value) == (
        "Several jurisdictions are named (Kansas (KS), Missouri (MO)), so it is unclear which one."
    )


def test_west_virginia_is_not_also_virginia():
    assert infer_jurisdiction(["What is the rule in West Virginia?"]) == "WV"


def test_virginia_and_west_virginia_together_are_two():
    assert named_jurisdictions(["West Virginia and Virginia"]) == ["VA", "WV"]


def test_arkansas_is_not_also_kansas():
    assert infer_jurisdiction(["What is the rule in Arkansas?"]) == "AR"


def test_washington_dc_is_not_washington_state():
    assert infer_jurisdiction(["What is the rule in Washington, D.C.?"]) == "DC"
    assert infer_jurisdiction(["What is the rule in Washington?"]) == "WA"


def test_territory_is_inferred():
    assert infer_jurisdiction(["What is the rule in the U.S. Virgin Islands?"]) == "VI"
    assert infer_jurisdiction(["What is the rule in Puerto Rico?"]) == "PR"


def test_united_states_alone_names_no_jurisdiction():
    with pytest.raises(ValueError):
        infer_jurisdiction(["What does United States law say?"])


def test_united_states_beside_a_state_does_not_count():
    assert infer_jurisdiction(["Do United States agencies ask Missouri courts?"]) == "MO"


def test_kansas_city_names_no_state():
    assert infer_jurisdiction(["Do Kansas City courts in Missouri share data?"]) == "MO"


def test_name_inside_another_word_does_not_count():
    assert named_jurisdictions(["Indianapolis and Guamanian courts"]) == []


def test_lower_case_common_words_do_not_count():
    assert named_jurisdictions(["a georgia peach in washington state"]) == []


def test_find_jurisdiction_by_code_in_any_case():
    assert find_jurisdiction("mo") == ("MO", "Missouri", "state")
    assert find_jurisdiction("KS") == ("KS", "Kansas", "state")
    assert find_jurisdiction(" us ") == ("US", "United States", "federal")


def test_find_jurisdiction_by_name_in_any_case():
    assert find_jurisdiction("missouri") == ("MO", "Missouri", "state")
    assert find_jurisdiction("NEW  YORK") == ("NY", "New York", "state")
    assert find_jurisdiction("west-virginia") == ("WV", "West Virginia", "state")
    assert find_jurisdiction("us virgin islands") == ("VI", "U.S. Virgin Islands", "territory")
    assert find_jurisdiction("Washington, D.C.") == ("DC", "District of Columbia", "district")


def test_find_jurisdiction_of_unknown_value_is_none():
    assert find_jurisdiction("Atlantis") is None
    assert find_jurisdiction("") is None


def test_names_for_gives_the_name_first_then_other_names():
    assert names_for("MO") == ("Missouri",)
    assert names_for("DC")[0] == "District of Columbia"
    assert "Washington, D.C." in names_for("DC")
