"""The whole rule catalog: the checks' rules and the comparison's, and the choice of rules for a run.

The layer above `checks` and `compare`, which register their rules in `checks.registry`
without importing each other.

`CODES` lists every published code, as ruff's code table does: a run chooses its codes from it
without importing a rule module (`targetqa score` then imports the checks in the process that
reads the report, and only the comparison here; tests/test_catalog.py keeps the list equal to
the registered rules).
"""

from __future__ import annotations

from targetqa.checks import FAMILIES, Rule, check_rules
from targetqa.checks.registry import catalog_order
from targetqa.compare import corpus_rules


def _family(name: str, *numbers: int) -> tuple[str, ...]:
    return tuple(f"{name}{n:03d}" for n in numbers)


CODES: tuple[str, ...] = (
    *_family("EXT", 1, 2, 3, 4),
    *_family("STR", *range(1, 8)),
    *_family("UNIT", *range(1, 12)),
    *_family("CAT", *range(1, 9), 101),
    *_family("DIR", *range(1, 6)),
    *_family("VAL", *range(1, 11)),
    *_family("ECHO", *range(1, 6)),
    *_family("DUP", *range(1, 7)),
    *_family("BOIL", 1, 2),
    *_family("REP", 1, 2, 3),
    *_family("BUD", *range(1, 10)),
    *_family("TPL", 1, 2, 3, 4),
)


def all_rules() -> list[Rule]:
    return catalog_order(check_rules() + corpus_rules())


def selected_codes(select: list[str] | None = None, ignore: list[str] | None = None) -> list[str]:
    """Codes that start with a selected prefix and with no ignored prefix (ruff semantics).

    The most specific prefix wins, so `--select UNIT --ignore UNIT007` keeps UNIT001–006 and
    `--ignore UNIT --select UNIT001` keeps UNIT001.
    """
    chosen: list[str] = []
    for code in CODES:
        best_sel = max((len(p) for p in (select or ["ALL"]) if p == "ALL" or code.startswith(p)), default=-1)
        best_ign = max((len(p) for p in (ignore or []) if p == "ALL" or code.startswith(p)), default=-1)
        if best_sel >= 0 and best_sel > best_ign:
            chosen.append(code)
    return chosen


def select_rules(select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
    """The rules of `selected_codes`, in catalog order."""
    return rules_with(set(selected_codes(select, ignore)))


def rules_with(codes: set[str]) -> list[Rule]:
    """The rules with these codes, in catalog order (importing every rule module)."""
    return [r for r in all_rules() if r.code in codes]


def unknown_codes(prefixes: list[str]) -> list[str]:
    return [p for p in prefixes if p != "ALL" and not any(c.startswith(p) for c in CODES)]


__all__ = ["CODES", "FAMILIES", "Rule", "all_rules", "rules_with", "select_rules", "selected_codes", "unknown_codes"]
