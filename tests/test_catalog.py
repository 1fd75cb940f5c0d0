"""The published code table (`catalog.CODES`) is the registered rules' codes, in catalog order."""

from __future__ import annotations

from targetqa.catalog import CODES, all_rules, select_rules, selected_codes, unknown_codes


def test_the_code_table_lists_every_registered_rule_in_catalog_order() -> None:
    assert CODES == tuple(r.code for r in all_rules())


def test_choosing_codes_from_the_table_chooses_the_rules_with_those_codes() -> None:
    for select, ignore in ((None, None), (["UNIT"], ["UNIT007"]), (["UNIT001"], ["UNIT"]), (["ALL"], ["DUP", "BOIL"])):
        assert selected_codes(select, ignore) == [r.code for r in select_rules(select, ignore)]
    assert selected_codes(["UNIT"], ["UNIT007"]) == [f"UNIT{n:03d}" for n in range(1, 12) if n != 7]
    assert unknown_codes(["UNIT", "XYZ", "CAT101", "CAT2"]) == ["XYZ", "CAT2"]
