"""The whole rule catalog: the checks' rules and the comparison's, and the choice of rules for a run.

The layer above `checks` and `compare`, which register their rules in `checks.registry`
without importing each other.
"""

from __future__ import annotations

from targetqa.checks import FAMILIES, Rule, check_rules
from targetqa.checks.registry import catalog_order
from targetqa.compare import corpus_rules


def all_rules() -> list[Rule]:
    return catalog_order(check_rules() + corpus_rules())


def select_rules(select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
    """Rules whose code starts with a selected prefix and with no ignored prefix (ruff semantics).

    The most specific prefix wins, so `--select UNIT --ignore UNIT007` keeps UNIT001–006 and
    `--ignore UNIT --select UNIT001` keeps UNIT001.
    """
    chosen: list[Rule] = []
    for r in all_rules():
        best_sel = max((len(p) for p in (select or ["ALL"]) if p == "ALL" or r.code.startswith(p)), default=-1)
        best_ign = max((len(p) for p in (ignore or []) if p == "ALL" or r.code.startswith(p)), default=-1)
        if best_sel >= 0 and best_sel > best_ign:
            chosen.append(r)
    return chosen


def unknown_codes(prefixes: list[str]) -> list[str]:
    codes = [r.code for r in all_rules()]
    return [p for p in prefixes if p != "ALL" and not any(c.startswith(p) for c in codes)]


__all__ = ["FAMILIES", "Rule", "all_rules", "select_rules", "unknown_codes"]
