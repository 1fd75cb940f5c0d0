"""The ranking as plain data: what the console, CSV, XLSX and HTML writers show.

`targetqa leaderboard` builds one line per department, year and kind (预算/决算) from the whole
store; `targetqa score --html/--xlsx` builds one line per report. Both go through `rank_lines`,
so the order rule is one: score high to low, reports without a score last, then department,
year and file for a stable order.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from targetqa.pipeline import ReportResult

KIND_ZH = {"预算": "预算", "决算": "决算", "": "—"}


@dataclass
class BoardLine:
    department: str
    key: str
    region: str
    year: int | None
    kind: str
    score: float | None
    tables: int
    rows: int
    results: list[ReportResult] = field(default_factory=list)
    rank: int | None = None
    families: dict[str, int] = field(default_factory=dict)  # finding counts by family
    points: dict[str, float] = field(default_factory=dict)  # points lost by family
    worst_table: str = ""
    worst_table_score: float | None = None
    prev_year: int | None = None
    prev_score: float | None = None
    reason: str = ""  # why there is no score

    @property
    def delta(self) -> float | None:
        if self.score is None or self.prev_score is None:
            return None
        return round(self.score - self.prev_score, 1)

    @property
    def findings(self) -> int:
        return sum(self.families.values())

    @property
    def files(self) -> list[str]:
        return [Path(r.doc.path).name for r in self.results]

    @property
    def shown_score(self) -> str:
        return "n/a" if self.score is None else f"{self.score:.1f}"

    @property
    def shown_delta(self) -> str:
        d = self.delta
        if d is None:
            return ""
        return f"{d:+.1f}（{self.prev_year}）"

    @property
    def family_text(self) -> str:
        return " ".join(f"{fam} {n}" for fam, n in sorted(self.families.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def year_text(self) -> str:
        return "" if self.year is None else str(self.year)


@dataclass
class BoardFailure:
    file: str
    error: str


@dataclass
class Board:
    title: str
    lines: list[BoardLine]
    failures: list[BoardFailure] = field(default_factory=list)
    generated: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M"))
    rules: str = ""  # which rules ran, in words
    note: str = ""  # run summary (parsed / reused / seconds)
    per_report: bool = False  # one line per report (targetqa score) rather than per department-year

    @property
    def families(self) -> list[str]:
        """Families with at least one finding, in catalogue order."""
        from targetqa.checks import FAMILIES

        seen = {fam for line in self.lines for fam in line.families}
        return [f for f in FAMILIES if f in seen] + sorted(seen - set(FAMILIES))

    def family_totals(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for line in self.lines:
            total.update(line.families)
        return {fam: total[fam] for fam in self.families}


def make_line(results: list[ReportResult], key: str, department: str, region: str) -> BoardLine:
    """Combine the reports of one department-year (usually one) into a line.

    Several reports (say a PDF and a Word copy, or 本级 and a 汇总) give the row-weighted mean of
    their scores; counts add up.
    """
    first = results[0].doc
    scored = [r for r in results if r.score is not None and r.score.score is not None]
    rows = sum(r.score.rows for r in results if r.score is not None)
    tables = sum(r.score.tables for r in results if r.score is not None)
    if scored:
        weight = sum(r.score.rows for r in scored) or 1  # type: ignore[union-attr]
        score = round(sum(r.score.score * r.score.rows for r in scored) / weight, 1)  # type: ignore[union-attr,operator]
    else:
        score = None
    families: Counter[str] = Counter(f.family for r in results for f in r.findings)
    points: Counter[str] = Counter()
    all_rows = max(1, sum(x.score.rows for x in scored))  # type: ignore[union-attr]
    for r in scored:
        for fam, p in r.score.families.items():  # type: ignore[union-attr]
            points[fam] += p * r.score.rows / all_rows  # type: ignore[union-attr]
    worst = None
    for r in scored:
        for t in r.score.table_scores:  # type: ignore[union-attr]
            if worst is None or (t.score, -t.rows) < (worst.score, -worst.rows):
                worst = t
    reason = "；".join(dict.fromkeys(r.score.reason for r in results if r.score is not None and r.score.reason))
    return BoardLine(
        department=department or first.department or "（部门未识别）",
        key=key,
        region=region or first.region,
        year=first.year,
        kind=first.kind,
        score=score,
        tables=tables,
        rows=rows,
        results=list(results),
        families=dict(families),
        points={k: round(v, 1) for k, v in sorted(points.items())},
        worst_table=(f"表{worst.table_no} {worst.project}".strip() if worst else ""),
        worst_table_score=worst.score if worst else None,
        reason=reason if score is None else "",
    )


def _order(line: BoardLine) -> tuple:
    return (
        line.score is None,
        -(line.score or 0.0),
        line.department,
        line.year or 0,
        line.kind,
        line.files[0] if line.files else "",
    )


def rank_lines(lines: Iterable[BoardLine]) -> list[BoardLine]:
    """Sort by score (high first, unscored last) and number them; equal scores share a rank."""
    ordered = sorted(lines, key=_order)
    prev: float | None = None
    rank = 0
    for k, line in enumerate(ordered, start=1):
        if line.score is None:
            line.rank = None
            continue
        if line.score != prev:
            rank, prev = k, line.score
        line.rank = rank
    return ordered


def set_previous(lines: list[BoardLine], history: Iterable[BoardLine]) -> None:
    """Fill prev_year/prev_score from the same department's latest earlier year of the same kind."""
    by_key: dict[tuple[str, str], list[BoardLine]] = {}
    for h in history:
        if h.year is not None and h.score is not None:
            by_key.setdefault((h.key, h.kind), []).append(h)
    for line in lines:
        if line.year is None:
            continue
        earlier = [h for h in by_key.get((line.key, line.kind), []) if h.year is not None and h.year < line.year]
        if earlier:
            best = max(earlier, key=lambda h: h.year or 0)
            line.prev_year, line.prev_score = best.year, best.score


def board_for_results(results: list[ReportResult], title: str, rules: str = "",
                      failures: list[BoardFailure] | None = None) -> Board:
    """One line per report, for `targetqa score --html/--xlsx`."""
    lines = [make_line([r], key=r.doc.path, department=r.doc.department, region=r.doc.region) for r in results]
    return Board(title=title, lines=rank_lines(lines), failures=failures or [], rules=rules, per_report=True)


RANKING_COLUMNS = [
    "rank", "department", "region", "year", "kind", "score", "tables", "rows", "findings",
    "EXT", "STR", "UNIT", "CAT", "DIR", "VAL", "ECHO", "DUP", "BOIL", "REP", "BUD",
    "worst_table", "worst_table_score", "prev_year", "prev_score", "change", "files", "department_key", "error",
]


def ranking_records(board: Board) -> list[dict[str, object]]:
    """Rows of the ranking CSV; files that could not be read come last with their error."""
    records: list[dict[str, object]] = []
    for line in board.lines:
        rec: dict[str, object] = {
            "rank": line.rank if line.rank is not None else "",
            "department": line.department,
            "region": line.region,
            "year": line.year_text,
            "kind": line.kind,
            "score": "" if line.score is None else line.score,
            "tables": line.tables,
            "rows": line.rows,
            "findings": line.findings,
            "worst_table": line.worst_table,
            "worst_table_score": "" if line.worst_table_score is None else line.worst_table_score,
            "prev_year": line.prev_year or "",
            "prev_score": "" if line.prev_score is None else line.prev_score,
            "change": "" if line.delta is None else line.delta,
            "files": "；".join(line.files),
            "department_key": line.key,
            "error": line.reason,
        }
        for fam in [*RANKING_COLUMNS[9:20], *(f for f in line.families if f not in RANKING_COLUMNS)]:
            rec[fam] = line.families.get(fam, 0)
        records.append(rec)
    for failure in board.failures:
        records.append({"files": Path(failure.file).name, "error": failure.error})
    return records


def ranking_columns(board: Board) -> list[str]:
    """The CSV columns, with any family the catalogue gains later added after the known ones."""
    extra = [f for f in board.families if f not in RANKING_COLUMNS]
    return RANKING_COLUMNS[:20] + extra + RANKING_COLUMNS[20:]
