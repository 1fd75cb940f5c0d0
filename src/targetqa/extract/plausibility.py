"""How plausible a table's rows are as read, so that two readings of the same text can be compared.

A row reads right when its labels are level labels, its name is words (not a number, an operator
or a label) and its value reads as a target. The same measure serves three ends for each table of
a report: whether the cell-row reading is *settled* (the row grammar need not read its lines),
which reading to keep where both read it (`choose_tables`), and whether the reading kept is no
reading at all (`misread`: reported unread, never judged).
"""

from __future__ import annotations

from targetqa import rx
from targetqa.extract.cells import UNIT, fold_text
from targetqa.extract.grammar import kind_of, reads_as_target
from targetqa.extract.values import QUALITATIVE_OPERATORS
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
    if not row.level1 and not row.level2:
        score -= 0.5  # a row under no level at all
    if not row.level3.strip():
        score -= 1.0  # no name: a page may leave it out, a reader that lost it reads worse
    as_label = (name.level1 or name.level2 or name.level2_like) and rx.search(r"(?:指标|值|目标)$", fold_text(row.level3)[0])
    note = rx.fullmatch(r"[(（][^()（）]*[)）]", row.level3.strip())  # '(50分)': the label's note, not a name
    if row.level3 and (name.number or name.value or name.operator or name.unbalanced or as_label or note):
        score -= 2.0  # a broken name: whatever the value, the row was not read right
    if row.description and _STATED.fullmatch(fold_text(row.description)[0].replace(" ", "")):
        score -= 1.0  # '1座' as the description: the row's target taken for another column
    target = row.value or row.expected
    if not target:
        score -= 0.5  # a reading that finds the row's value is the better one
    else:
        if reads_as_target(" ".join(p for p in (row.operator, row.value, row.unit) if p) or target):
            score += 1.0
        elif len(_TARGETS.findall(fold_text(target)[0])) >= 2:
            score -= 1.0  # '创建基地2个推广品种3种…': the cells of several rows run into one
    return max(-2.0, min(1.0, score))


_TARGETS = rx.compile(rf"[\u4e00-\u9fff]\s*\d+(?:\.\d+)?{UNIT}")
_MARGIN = 0.25  # the row grammar replaces a cell-row reading only where it reads clearly better
_TRUSTED = 0.5  # ... and only where that reading is doubtful itself
_MORE_ROWS = 2  # or where it has a broken row the grammar reads whole, without finding many more rows


_WHOLE = 0.85  # a grammar reading that explains this share of the table's text may replace one with fewer good rows


def _reads_as_target(row: Row) -> bool:
    shown = " ".join(p for p in (row.operator, row.value, row.unit) if p) or row.expected
    if not shown:
        return False
    # '文字描述 按规定时间足额拨付': a target in words, whatever its length
    return row.operator in QUALITATIVE_OPERATORS or reads_as_target(shown)


def _better_values(flat: list[Row], cell: list[Row]) -> bool:
    """Row by row (matched by name), does the grammar find targets where the other reading has none?"""
    theirs = {fold_text(r.level3)[0]: r for r in cell if r.level3}
    ours = {fold_text(r.level3)[0]: r for r in flat if r.level3}
    both = theirs.keys() & ours.keys()
    won = sum(
        1
        for n in both
        if _reads_as_target(ours[n]) and not _reads_as_target(theirs[n]) and not _part_of(ours[n], theirs[n])
    )
    lost = sum(
        1
        for n in both
        if _reads_as_target(theirs[n]) and (not _reads_as_target(ours[n]) or _filled(theirs[n]) > _filled(ours[n]))
    )
    return won > 0 and lost == 0


def _ran_together(flat: list[Row], cell: list[Row]) -> bool:
    """Did the cell-row reading run rows together: one of its rows holds two of the grammar's names?"""
    names = [fold_text(r.level3)[0] for r in flat if len(r.level3) >= 4]
    for row in cell:
        text = fold_text(row.level3 + "|" + row.value)[0]
        found = [n for n in names if n in text]
        found = [n for n in found if not any(n != m and n in m for m in found)]  # '会影响力' is in '社会影响力'
        name = fold_text(row.level3)[0]
        if len(set(found)) >= 2 or any(name.count(n) >= 2 for n in found):
            return True
    return False


def _all_of(theirs: list[Row], ours: list[Row]) -> bool:
    """Does the grammar read every row of the other reading, with its name and target, and more?"""
    mine = {(fold_text(r.level3)[0], _shown(r)) for r in ours}
    return all((fold_text(r.level3)[0], _shown(r)) in mine for r in theirs)


def _part_of(ours: Row, theirs: Row) -> bool:
    """Is the grammar's target only a piece of the other reading's (a list of targets cut short)?"""
    mine = fold_text(ours.value_text or ours.value)[0].replace(" ", "")
    other = fold_text(theirs.value_text or theirs.value)[0].replace(" ", "")
    return bool(mine) and mine in other and mine != other


def _filled(row: Row) -> int:
    """How many of a row's cells a reading filled: a better reading does not leave cells behind."""
    return sum(1 for k, v in row.cells().items() if v and k != "basis")  # a basis may take in a footnote


def _total(rows: list[Row]) -> float:
    return sum(row_plausibility(r) for r in rows)


def _mean(rows: list[Row]) -> float:
    """Mean plausibility per row: a reading must not win by cutting rows into more rows."""
    return sum(row_plausibility(r) for r in rows) / len(rows) if rows else -2.0


def _span(table: Table) -> tuple[int, int]:
    lines = [r.line for r in table.rows if r.line] or [table.line]
    return min(lines), max(lines)


def is_settled(table: Table, lines: list[str] | None = None, lost: set[str] | None = None) -> bool:
    """Is this cell-row reading one the row grammar could not replace (see `choose_tables`)?

    Every row reads right and states a target, so no reading can be clearly better, find targets
    it lacks or mend a broken row of it. The grammar then need not read these lines at all: it is
    the slower reader by an order of magnitude, and most tables of most reports are settled.
    `lines`: the text the table was read from, `lost`: its `lost_targets` in them.
    """
    if not table.rows or lost or table.confidence < 1:
        return False
    if lines is not None and (_skipped_rows(table, lines) or _rows_after(table, lines)):
        return False
    scores = [row_plausibility(r) for r in table.rows]
    return (
        min(scores) >= 0
        and sum(scores) / len(scores) >= _TRUSTED
        and all(_reads_as_target(r) and not _may_hold_two_rows(r) for r in table.rows)
    )


_ROW_LIKE = rx.compile(r"(?:数量|质量|时效|成本|效益|满意度)指标.*\d")


def _skipped_rows(table: Table, lines: list[str]) -> bool:
    """Between the table's title and its first row, a line that reads as an indicator row (a
    level-2 label and a number): the reader began the table late and left rows behind."""
    first = min(r.line for r in table.rows)
    return any(_ROW_LIKE.search(fold_text(lines[n - 1])[0]) for n in range(max(table.line, 1), min(first, len(lines) + 1)))


def _rows_after(table: Table, lines: list[str], look: int = 3) -> bool:
    """Just after the table's last row, a line that reads as an indicator row (cells of which one
    is a level label or a number with its unit): the reader ended the table early."""
    n, seen = max(r.line for r in table.rows), 0
    while n < len(lines) and seen < look:
        text = lines[n]
        n += 1
        if not text.strip():
            continue
        seen += 1
        pieces = [fold_text(p)[0].replace(" ", "") for p in _PIECES.split(text) if p.strip()]
        if len(pieces) >= 2 and any(canonical_level2(p) or canonical_level1(p) or _STATED.fullmatch(p) for p in pieces):
            return True
    return False


_PIECES = rx.compile(r"\t|\s*\|\s*|\s{2,}")
# a number with its unit (of any name: 座, 平方米, 元/人): a row's target
_STATED = rx.compile(rf"[≥≤<>=＞＜]*\d+(?:\.\d+)?(?:{UNIT}|[\u4e00-\u9fff](?:/[\u4e00-\u9fff]{{1,3}})?)")


def _shown(row: Row) -> str:
    return fold_text(row.operator + row.value + row.unit or row.expected)[0].replace(" ", "")


def lost_targets(table: Table, lines: list[str]) -> set[str]:
    """Targets printed among the table's rows (a number with its unit, a cell of its own) that no
    row holds: the reader lost them, and took something else for those rows' values."""
    if not table.rows:
        return set()
    held = "|".join(
        fold_text(" ".join((r.level3, r.description, r.value_text, r.operator + r.value + r.unit, r.expected, r.actual, r.basis)))[0]
        for r in table.rows
    ).replace(" ", "")
    lo, hi = min(r.line for r in table.rows), max(r.line for r in table.rows)
    lost = set()
    for n in range(max(lo, 1), min(hi, len(lines)) + 1):
        for piece in _PIECES.split(lines[n - 1]):
            key = fold_text(piece)[0].replace(" ", "")
            if key and _STATED.fullmatch(key) and key not in held:
                lost.add(key)
    return lost


_TWICE = rx.compile(r"(.{4,})\1")  # '经费支出合规性经费支出合规性': a cell printed twice, run into the next


def _may_hold_two_rows(row: Row) -> bool:
    """Could this row be two of the grammar's rows run together (what `_ran_together` finds)?"""
    name, said = fold_text(row.level3)[0], fold_text(row.description + row.basis)[0]
    return bool(_TARGETS.search(name) or len(_TARGETS.findall(said)) >= 2 or _TWICE.search(name) or _TWICE.search(said))


_MISREAD_SHARE = 0.5  # a reading with this share of broken rows is no reading


def misread(table: Table) -> str:
    """Why a table's rows cannot have been read right (most of them broken: names that are
    numbers or targets, cells of several rows in one), or "" when they may have been."""
    broken = sum(1 for r in table.rows if row_plausibility(r) <= -1)
    if len(table.rows) >= 2 and broken >= _MISREAD_SHARE * len(table.rows):
        return f"{broken}/{len(table.rows)} 行读出的指标名称或指标值不成立（列与表头对不上）"
    return ""


def choose_tables(cell_tables: list[Table], flat_tables: list[Table], lost: dict[int, set[str]] | None = None) -> list[Table]:
    """Per stretch of text, the reading whose rows are more plausible (the cell-row one unless clearly worse).

    `lost`: per cell-row table (by id), the targets printed among its rows that none of them holds
    (`lost_targets`); a confident grammar reading that holds them all replaces it."""
    lost = lost or {}
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
        plausible = min(map(row_plausibility, flat.rows)) >= 0
        broken = min(map(row_plausibility, their_rows)) < 0 and plausible
        more = len(flat.rows) - len(their_rows)
        better = _mean(flat.rows) > theirs + _MARGIN
        whole = flat.confidence >= _WHOLE and _total(flat.rows) > _total(their_rows)
        sure = flat.confidence >= _WHOLE
        gain = sure and 0 <= more <= _MORE_ROWS and _better_values(flat.rows, their_rows)
        gain = gain or (sure and more > 0 and plausible and _ran_together(flat.rows, their_rows))
        fixes = broken and sure and more <= _MORE_ROWS and (more >= 0 or whole)
        fixes = fixes or (sure and more > 0 and plausible and _all_of(their_rows, flat.rows))
        missing = set().union(*(lost.get(id(t), set()) for t in rivals))
        fixes = fixes or (sure and more >= 0 and plausible and bool(missing) and missing <= {_shown(r) for r in flat.rows})
        # a reading that put cells where its header has no column for them, against a sure one
        # whose every row reads right
        doubted = min(t.confidence for t in rivals) < 1 and sure and plausible and _mean(flat.rows) >= theirs
        if (better and (theirs < 0 or (theirs < _TRUSTED and more >= 0))) or gain or fixes or doubted:
            kept = [t for t in kept if all(t is not r for r in rivals)]
            added.append(flat)
    return kept + added
