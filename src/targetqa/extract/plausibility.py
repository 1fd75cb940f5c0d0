"""How plausible a table's rows are as read, so that two readings of the same text can be compared.

A row reads right when its labels are level labels, its name is words (not a number, an operator
or a label) and its value reads as a target. The same measure serves to choose between the
cell-row reader and the row grammar for each table of a text report.
"""

from __future__ import annotations

from targetqa.extract.cells import fold_text
from targetqa.extract.grammar import kind_of
from targetqa.model import Row, Table
from targetqa.taxonomy import canonical_level1, canonical_level2, is_level2_like


def row_plausibility(row: Row) -> float:
    """+1 for a row that reads right, down to -2 for one that cannot be what the table says."""
    score = 0.0
    if row.level2 and not (canonical_level2(row.level2) or is_level2_like(row.level2)):
        score -= 1.0
    if row.level1 and not canonical_level1(row.level1):
        score -= 0.5
    name = kind_of(fold_text(row.level3)[0])
    if row.level3 and (name.number or name.value or name.operator or name.unbalanced or (name.level2 and not name.text)):
        score -= 2.0  # a broken name: whatever the value, the row was not read right
    target = row.value or row.expected
    if target:
        shown = kind_of(fold_text(" ".join(p for p in (row.operator, row.value, row.unit) if p) or target)[0])
        if shown.value or shown.number or shown.qualitative or shown.date or (shown.text and shown.length <= 12):
            score += 1.0
    return max(-2.0, min(1.0, score))


_MARGIN = 0.25  # the row grammar replaces a cell-row reading only where it reads clearly better
_TRUSTED = 0.5  # ... and only where that reading is doubtful itself
_MORE_ROWS = 2  # or where it has a broken row the grammar reads whole, without finding many more rows


_WHOLE = 0.85  # a grammar reading that explains this share of the table's text may replace one with fewer good rows


def _total(rows: list[Row]) -> float:
    return sum(row_plausibility(r) for r in rows)


def _mean(rows: list[Row]) -> float:
    """Mean plausibility per row: a reading must not win by cutting rows into more rows."""
    return sum(row_plausibility(r) for r in rows) / len(rows) if rows else -2.0


def _span(table: Table) -> tuple[int, int]:
    lines = [r.line for r in table.rows if r.line] or [table.line]
    return min(lines), max(lines)


def choose_tables(cell_tables: list[Table], flat_tables: list[Table]) -> list[Table]:
    """Per stretch of text, the reading whose rows are more plausible (the cell-row one unless clearly worse)."""
    kept = list(cell_tables)
    added: list[Table] = []
    for flat in flat_tables:
        lo, hi = _span(flat)
        rivals = [t for t in cell_tables if t.rows and not (_span(t)[1] < lo or _span(t)[0] > hi)]
        if not rivals or any(_span(t) == (lo, hi) for t in added):  # a second value group goes with its first
            added.append(flat)
            continue
        their_rows = [r for t in rivals for r in t.rows]
        theirs = _mean(their_rows)
        misread = min(map(row_plausibility, their_rows)) < 0 <= min(map(row_plausibility, flat.rows))
        more = len(flat.rows) - len(their_rows)
        better = _mean(flat.rows) > theirs + _MARGIN
        whole = flat.confidence >= _WHOLE and _total(flat.rows) > _total(their_rows)
        sure = flat.confidence >= _WHOLE
        if (better and (theirs < 0 or (theirs < _TRUSTED and more >= 0))) or (misread and sure and (0 <= more <= _MORE_ROWS or whole)):
            kept = [t for t in kept if all(t is not r for r in rivals)]
            added.append(flat)
    return kept + added
