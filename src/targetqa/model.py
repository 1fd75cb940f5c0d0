"""The data every stage of targetqa passes along.

Reading (ingest), table finding (extract), checking and scoring all speak these types, so a
PDF, a DOCX and a text report become the same `Document` and every check works on all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TableKind = Literal["project", "department", "final"]
Severity = Literal["error", "warning", "info"]


@dataclass
class Row:
    """One indicator row, cells kept as written (only whitespace and converter debris removed)."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    description: str = ""
    operator: str = ""
    value: str = ""
    unit: str = ""
    basis: str = ""
    expected: str = ""
    actual: str = ""
    line: int = 0
    page: int | None = None
    row_no: int = 0
    # The raw value cell before it was split into operator/value/unit, for evidence.
    value_text: str = ""
    # 自评表 score columns (分值 = the row's weight, 得分 = points given), where the table has them;
    # None when the table has no such column or the extraction does not read it.
    points: float | None = None
    score: float | None = None

    def cells(self) -> dict[str, str]:
        return {
            "level1": self.level1,
            "level2": self.level2,
            "level3": self.level3,
            "description": self.description,
            "operator": self.operator,
            "value": self.value,
            "unit": self.unit,
            "basis": self.basis,
            "expected": self.expected,
            "actual": self.actual,
        }

    @property
    def shown_value(self) -> str:
        """The value the way a reader sees it in the table: operator, number and unit together."""
        parts = [self.operator, self.value, self.unit]
        return " ".join(p for p in parts if p) or self.expected


@dataclass
class Table:
    """A project (or department-level, or 决算 completion) performance table."""

    table_no: int
    kind: TableKind = "project"
    title: str = ""
    project: str = ""
    project_code: str = ""
    budget: float | None = None  # in 万元, whatever unit the table used
    budget_text: str = ""
    mid_budget: float | None = None  # 中期资金总额 (万元): the years the 中期 goals span, this one included
    purpose: str = ""
    plan: list[tuple[str, float]] = field(default_factory=list)  # (月底 label, cumulative amount)
    plan_unit: str = ""  # "%" when the plan is a cumulative percentage, else "" (money)
    goals: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    line: int = 0
    page: int | None = None
    unparsed: list[int] = field(default_factory=list)  # source lines of rows that could not be read
    # how sure the reader is of its reading: the share of the table's text its rows explain (1.0: every cell)
    confidence: float = 1.0


@dataclass
class Block:
    """A paragraph of prose (goals, explanations) with the line it starts on."""

    text: str
    line: int
    page: int | None = None


@dataclass
class Statement:
    """What the document says about its own tables: '编报绩效目标的项目共25个，涉及资金11381.60万元'."""

    projects: int | None
    amount: float | None  # 万元
    text: str
    line: int


@dataclass
class Document:
    path: str
    department: str = ""
    region: str = ""
    year: int | None = None
    kind: str = ""  # 预算 / 决算
    tables: list[Table] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    fmt: str = "txt"
    notes: list[str] = field(default_factory=list)  # extraction notes (garbled text layer, ...)
    text_ok: bool = True
    # tables found but not read with confidence: (source line, title, why) — none of their rows is judged
    unread: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [r for t in self.tables for r in t.rows]

    @property
    def name(self) -> str:
        from pathlib import Path

        return Path(self.path).name


@dataclass
class Finding:
    code: str
    name: str
    family: str
    severity: Severity
    message: str
    evidence: str = ""
    table_no: int | None = None
    row_no: int | None = None
    line: int | None = None
    page: int | None = None
    project: str = ""
    row: Row | None = None
    # Filled by the pipeline from the document:
    file: str = ""
    department: str = ""
    year: int | None = None


class InputError(Exception):
    """A file that cannot be read; the message (Chinese) says why and is shown as one line."""


class ModelError(Exception):
    """The reference statistics are missing, incomplete or stale; the message (Chinese) names the
    folder and the command that rebuilds them. Never caught to go on without them."""
