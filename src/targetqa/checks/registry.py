"""The rule catalog: every check as data (code, name, severity, Chinese texts, a real example)
plus one small function.

Rule modules register their rules here when imported: the checks' own (row_rules, table_rules,
document_rules, see `targetqa.checks.check_rules`) and the comparison's (compare/rules.py). This
module imports neither; `targetqa.catalog` brings both together.

Modelled on ruff: codes are stable once published, families group them (UNIT, CAT, DIR …),
users select or ignore by code or prefix, and `targetqa rule CODE` prints the entry. A check
function only decides *whether* and says *what it saw*; the registry turns that into a
`Finding` with the rule's code, severity and message, so wording lives in one place.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from targetqa.model import Document, Finding, Row, Severity, Table

Scope = Literal["row", "table", "document", "corpus"]

FAMILIES: dict[str, str] = {
    "EXT": "抽取问题（未找到绩效表、文本层损坏）",
    "STR": "结构问题（缺产出/效益指标、层级标签错误、缺绩效目标）",
    "UNIT": "单位与指标性质矛盾",
    "CAT": "指标放错二级类别",
    "DIR": "运算符号与描述或指标性质矛盾",
    "VAL": "指标值不可考核或缺失",
    "ECHO": "照抄：描述重复指标名、目标重复项目名、依据重复指标",
    "DUP": "复制粘贴：整表或行与其他项目雷同",
    "BOIL": "模板化套话行",
    "REP": "重复段落或照搬往年文字",
    "BUD": "数字与表内预算不一致",
    "TPL": "模板残留（占位符、填表说明、标记符号）",
}


def figure(x: float) -> str:
    """A number for a message: `12.5`; one too large for a float (a 400-digit cell) is not `inf`."""
    return f"{x:g}" if math.isfinite(x) else "（超出可表示范围的数）"


@dataclass(frozen=True)
class Hit:
    """What a check saw: the values that fill the rule's message template, and the evidence."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: str = ""
    severity: Severity | None = None  # a check may lower or raise severity for this hit
    row: Row | None = None
    table: Table | None = None
    line: int | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: Scope
    title: str  # Chinese, one line
    message: str  # Chinese template, str.format(**hit.values)
    explanation: str  # Chinese: why this matters and what to write instead
    example: str  # a real example from corpora/
    check: Callable[..., Iterable[Hit]]
    convention: bool = False  # rests on reviewers' habit rather than a written rule (DOMAIN.md)

    @property
    def family(self) -> str:
        return "".join(ch for ch in self.code if ch.isalpha())


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    scope: Scope,
    title: str,
    message: str,
    explanation: str,
    example: str,
    convention: bool = False,
) -> Callable[[Callable[..., Iterable[Hit]]], Callable[..., Iterable[Hit]]]:
    def register(func: Callable[..., Iterable[Hit]]) -> Callable[..., Iterable[Hit]]:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, name, severity, scope, title, message, explanation, example, func, convention)
        return func

    return register


def catalog_order(rules) -> list[Rule]:  # noqa: ANN001 - an iterable of rules
    """Rules in the catalog's order: by family (FAMILIES), then code."""
    return sorted(rules, key=lambda r: (list(FAMILIES).index(r.family) if r.family in FAMILIES else 99, r.code))


def make_finding(rule_: Rule, hit: Hit, doc: Document, table: Table | None, row: Row | None) -> Finding:
    row = hit.row or row
    table = hit.table or table
    try:
        message = rule_.message.format(**hit.values)
    except (KeyError, IndexError):
        message = rule_.title
    return Finding(
        code=rule_.code,
        name=rule_.name,
        family=rule_.family,
        severity=hit.severity or rule_.severity,
        message=message,
        evidence=hit.evidence,
        table_no=table.table_no if table is not None else None,
        row_no=row.row_no if row is not None else None,
        line=hit.line or (row.line if row is not None else (table.line if table is not None else None)),
        page=(row.page if row is not None else (table.page if table is not None else None)),
        project=table.project if table is not None else "",
        row=row,
        file=doc.path,
        department=doc.department,
        year=doc.year,
    )


def run_rules(doc: Document, rules: list[Rule]) -> Iterator[Finding]:
    """Run row, table and document rules over one document, in document order.

    Rules read rows folded to simplified characters where the document needs it (checks/fold.py);
    every finding points at the printed table and row.
    """
    from targetqa.checks.fold import fold_table, needs_folding

    fold = needs_folding(doc)
    for rule_ in rules:
        if rule_.scope == "document":
            for hit in rule_.check(doc):
                yield make_finding(rule_, hit, doc, None, None)
    for table in doc.tables:
        read = fold_table(table) if fold else table
        printed = {id(r): p for r, p in zip(read.rows, table.rows)}
        for rule_ in rules:
            if rule_.scope == "table":
                for hit in rule_.check(read, doc):
                    if hit.row is not None and id(hit.row) in printed:
                        hit = replace(hit, row=printed[id(hit.row)])
                    if hit.table is read:
                        hit = replace(hit, table=table)
                    yield make_finding(rule_, hit, doc, table, None)
        for seen, row in zip(read.rows, table.rows):
            for rule_ in rules:
                if rule_.scope == "row":
                    for hit in rule_.check(seen, read, doc):
                        yield make_finding(rule_, hit, doc, table, row)
