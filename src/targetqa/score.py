"""Scores: 0–100 per table and per report, higher is better, normalised by row count.

The formula (also in the README):
- a finding weighs w = 1 (error), 0.4 (warning), 0.1 (info);
- a row loses p_r = min(1, Σ w of its findings): no row can lose more than itself;
- a table-level finding (copied table, missing 产出 rows …) costs the table q_t·rows_t with
  q_t = min(1, Σ w_t of the table's findings), w_t = 1 (error), 0.15 (warning), 0.03 (info):
  an error at table level (a copied table) voids the table, a warning (a goal that repeats the
  project name) costs about one row of a six-row table;
- table loss L_t = min(rows_t, Σ p_r + q_t·rows_t); table score = 100·(1 − L_t / rows_t);
- document-level findings (repeated paragraphs, totals that disagree) cost D = Σ 2·w row
  equivalents, capped at 20 % of all rows;
- report score = 100·(1 − (Σ L_t + D) / N), N = all indicator rows; one decimal.
A report with no readable indicator row gets no score (None, shown as n/a), never 100.
A report with tables found but not read (EXT003) is scored on the read tables only, and its score
says so: coverage = tables read / tables found, shown beside the score (72.5（已读表 1/2）).
The loss is split over families in proportion to each family's weight, for the breakdown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from targetqa.model import Document, Finding

WEIGHTS = {"error": 1.0, "warning": 0.4, "info": 0.1}
TABLE_WEIGHTS = {"error": 1.0, "warning": 0.15, "info": 0.03}
DOC_ROW_EQUIVALENT = 2.0
DOC_CAP = 0.2


@dataclass
class TableScore:
    table_no: int
    project: str
    rows: int
    score: float
    loss: float


@dataclass
class ReportScore:
    score: float | None
    rows: int
    tables: int  # tables read (with indicator rows): the score covers these
    families: dict[str, float] = field(default_factory=dict)  # points lost per family
    table_scores: list[TableScore] = field(default_factory=list)
    reason: str = ""  # why there is no score
    tables_found: int = 0  # tables read plus tables found but not read (EXT003); 0 when not known

    @property
    def coverage(self) -> float | None:
        """Share of the tables found that the score covers (1.0 when every table was read)."""
        found = max(self.tables_found, self.tables)
        return self.tables / found if found else None

    @property
    def coverage_text(self) -> str:
        """'已读表 1/2' when some tables could not be read, else ''."""
        found = max(self.tables_found, self.tables)
        return f"已读表 {self.tables}/{found}" if found > self.tables else ""

    @property
    def shown(self) -> str:
        """The score as printed; a score of part of the tables says so (72.5（已读表 1/2）)."""
        if self.score is None:
            return "n/a"
        partial = self.coverage_text
        return f"{self.score:.1f}（{partial}）" if partial else f"{self.score:.1f}"


def tables_found(doc: Document) -> int:
    """Tables with indicator rows plus tables found but not read with confidence."""
    return sum(1 for t in doc.tables if t.rows) + len(doc.unread)


def _split(loss: float, weights: dict[str, float], into: dict[str, float]) -> None:
    total = sum(weights.values())
    if total <= 0 or loss <= 0:
        return
    for family, w in weights.items():
        into[family] += loss * w / total


def score_report(doc: Document, findings: list[Finding]) -> ReportScore:
    tables = [t for t in doc.tables if t.rows]
    n = sum(len(t.rows) for t in tables)
    found = tables_found(doc)
    if not doc.text_ok:
        return ReportScore(None, n, len(tables), reason="文本层无法读取：" + "；".join(doc.notes), tables_found=found)
    if n == 0:
        unread = f"，另有 {len(doc.unread)} 张表未能可靠读取" if doc.unread else ""
        return ReportScore(None, 0, len(doc.tables), reason=f"未找到可读取的指标行（表 {len(doc.tables)} 张，指标行 0 行{unread}）",
                           tables_found=found)
    by_row: dict[tuple[int, int], list[Finding]] = defaultdict(list)
    by_table: dict[int, list[Finding]] = defaultdict(list)
    by_doc: list[Finding] = []
    # table_no is 0 for every department-level table, so findings are matched to tables by
    # number and, where that is ambiguous, by the row object they carry.
    key_of: dict[int, list[int]] = {}
    for k, t in enumerate(tables):
        key_of.setdefault(t.table_no, []).append(k)
    for f in findings:
        if f.family == "EXT":
            continue  # what could not be read is said, not charged: the score covers the read tables
        if f.table_no is None:
            by_doc.append(f)
            continue
        ks = key_of.get(f.table_no, [])
        if not ks:
            by_doc.append(f)
            continue
        k = ks[0]
        if len(ks) > 1 and f.row is not None:
            k = next((i for i in ks if any(r is f.row for r in tables[i].rows)), k)
        if f.row_no is None:
            by_table[k].append(f)
        else:
            by_row[(k, f.row_no)].append(f)
    families: dict[str, float] = defaultdict(float)
    total_loss = 0.0
    table_scores: list[TableScore] = []
    for k, t in enumerate(tables):
        rows_t = len(t.rows)
        row_loss = 0.0
        fam_w: dict[str, float] = defaultdict(float)
        for r in t.rows:
            fs = by_row.get((k, r.row_no), [])
            w = sum(WEIGHTS[f.severity] for f in fs)
            row_loss += min(1.0, w)
            for f in fs:
                fam_w[f.family] += WEIGHTS[f.severity] * (min(1.0, w) / w if w else 0)
        tw = sum(TABLE_WEIGHTS[f.severity] for f in by_table.get(k, []))
        q = min(1.0, tw)
        for f in by_table.get(k, []):
            fam_w[f.family] += TABLE_WEIGHTS[f.severity] / tw * q * rows_t if tw else 0
        loss = min(float(rows_t), row_loss + q * rows_t)
        total_loss += loss
        _split(loss, fam_w, families)
        table_scores.append(TableScore(t.table_no, t.project, rows_t, round(100 * (1 - loss / rows_t), 1), loss))
    doc_w: dict[str, float] = defaultdict(float)
    for f in by_doc:
        doc_w[f.family] += DOC_ROW_EQUIVALENT * WEIGHTS[f.severity]
    d = min(DOC_CAP * n, sum(doc_w.values()))
    _split(d, doc_w, families)
    total_loss += d
    score = round(100 * (1 - min(1.0, total_loss / n)), 1)
    points = {fam: round(100 * loss / n, 1) for fam, loss in sorted(families.items()) if loss > 0}
    return ReportScore(score, n, len(tables), points, table_scores, tables_found=found)
