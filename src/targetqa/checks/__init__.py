"""The checks of one document at a time: the rule machinery (`registry`) and the row, table and
document rules. The whole catalog, with the comparison's rules, is `targetqa.catalog`."""

from __future__ import annotations

from targetqa.checks.registry import FAMILIES, RULES, Rule, catalog_order


def check_rules() -> list[Rule]:
    """The rules of this package (row, table and document scope), in catalog order."""
    from targetqa.checks import document_rules, row_rules, table_rules, template_rules  # noqa: F401 - importing registers them

    return catalog_order(r for r in RULES.values() if r.scope != "corpus")


__all__ = ["FAMILIES", "Rule", "check_rules"]
