"""Assign atoms to the columns of their header: one row grammar for every flattened layout.

A row is the header's columns in order; the level columns at its start may be missing (merged
cells carried down from the row above), trailing columns may be empty, a cell may be several
atoms (a cell with spaces, or wrapped over lines). A small dynamic programme over (atom, column)
chooses the reading whose cells best fit their columns' types: a level label under 一级/二级, a
number with a unit under 指标值, an operator under 符号, a score under 分值. Where the page gives
separators they bind (a pipe is always a boundary); where cells run together, the boundaries
the vocabularies suggest are only offers the programme may take or join back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from targetqa import rx
from targetqa.extract.cells import (
    DATE,
    LABEL,
    NUMBER,
    OPERATOR,
    PER,
    QUALITATIVE,
    UNIT,
    VALUE,
    Atom,
    fold_text,
    join_atoms,
)
from targetqa.taxonomy import canonical_level1, canonical_level2, is_level2_like

NEG = float("-inf")
MAX_SPAN = 8
# cost of joining two atoms into one cell, and of cutting between them, by their glue
_JOIN = {"blank": 1.2, "line": 1.2, "wrap": 0.0, "hard": NEG, "space": 0.3, "run": 0.05, "split": 0.0}
_CUT = {"blank": 0.0, "line": 0.0, "wrap": 3.0, "hard": 0.0, "space": 0.0, "run": 0.0, "split": 0.3}
# where each line is one cell, a wrapped cell is common and a cut inside a line is not
_JOIN_CELLS = {**_JOIN, "line": 0.6}
_CUT_CELLS = {**_CUT, "run": 2.5, "split": 2.5}
_ROW = 0.5  # every row costs a little: a reading does not win by cutting rows into pieces
# a row that starts inside a line: expected where the table runs together, rare otherwise
_ROW_MID_LINE = {"run": 0.8, "cells": 4.0, "rows": float("inf")}
_BREAK_IN_ROW = 1.5  # a line break inside a row whose header stood on one line
_SKIP = 1.0  # an atom read as no cell of any row
_SKIP_ROW_NUMBER = 0.2  # a row number ('11.00') before a row's cells
_JOIN_BLANK = 3.0  # where blank lines part rows, no cell goes on over one
_ROW_AFTER_BLANK = 0.5  # ... and a row that starts after one is expected
_ROW_NOT_AFTER_BLANK = 2.0

_VALUE_RE = rx.compile(rf"^(?:{VALUE}|{DATE}|{OPERATOR}?\s*{NUMBER}\s*{PER[:-1]}+)$")
_NUMBER_RE = rx.compile(rf"^{NUMBER}$")
_DATE_RE = rx.compile(rf"^{DATE}$")
_CODE_LIKE = rx.compile(r"0\d+|\d{7,}")
_WORDS = rx.compile(r"[\u4e00-\u9fffA-Za-z]")
_CLAUSES = rx.compile(r"[,，;；]")
# what every level label holds, once folded: a level word, or 指标/值/目标 after the form's name
_LABELISH = rx.compile(r"指标|值|目标|产出|效益|效果|满意|成本|数量|质量|时效|影响")
# '2021年12月31日前完成', '≥90%以上完成': a target with a few words after it, still one cell
_TARGET_WITH_WORDS = rx.compile(rf"^(?:{DATE}|{VALUE})[\u4e00-\u9fff]{{1,4}}[。.]?$")
_OPERATOR_RE = rx.compile(rf"^{OPERATOR}$")
_KIND_RE = rx.compile(r"^-?(?:定量|定性|正向|反向)(?:指标)?$")
_UNIT_RE = rx.compile(rf"^(?:{UNIT}{PER}|-)$")
_QUAL_RE = rx.compile(rf"^(?:{QUALITATIVE})$")
_SCORING = rx.compile(r"扣分|扣\d|得\d+分|酌情")
_CJK = rx.compile(r"[\u4e00-\u9fff]")
_LABEL_INSIDE = rx.compile(LABEL)
# prose about the form, not a cell: a full stop, or the form's own column names
_SENTENCE = rx.compile(r"。.|[一二三]级指标")
# what starts a basis or a remark, never an indicator's name
_NOT_A_NAME = rx.compile(r"^(?:按|根据|依据|指标$|指标值$|指标\s*[^\d\s]|[:：,，、)）])|[:：]$")


@dataclass(frozen=True)
class Kind:
    """What a candidate cell looks like; every column asks the same few questions."""

    level1: bool
    level2: bool
    level2_like: bool
    value: bool
    number: bool
    operator: bool
    unit: bool
    qualitative: bool
    date: bool
    scoring: bool
    text: bool
    length: int
    unbalanced: bool
    holds_label: bool


@lru_cache(maxsize=65536)
def kind_of(key: str) -> Kind:
    k = key.strip()
    if _CODE_LIKE.fullmatch(k):
        k = "#" + k  # '0534-4366343', '3714240016': a phone number or a code, not a quantity
    labelish = len(k) <= 40 and bool(_LABELISH.search(k))  # the label tests fold the text: only where one may be
    return Kind(
        level1=labelish and canonical_level1(k) is not None,
        level2=labelish and canonical_level2(k) is not None,
        level2_like=labelish and is_level2_like(k),
        value=bool(_VALUE_RE.match(k)),
        number=bool(_NUMBER_RE.match(k)),
        operator=bool(_OPERATOR_RE.match(k) or _KIND_RE.match(k)),
        unit=bool(_UNIT_RE.match(k)),
        qualitative=bool(_QUAL_RE.match(k)),
        date=bool(_DATE_RE.match(k)),
        scoring=bool(_SCORING.search(k)),
        text=bool(_CJK.search(k)),
        length=len(k),
        unbalanced=any(k.count(a) != k.count(b) for a, b in ("()", "（）", "【】", "[]", "《》")),
        holds_label=bool(_LABEL_INSIDE.search(k)),
    )


def reads_as_target(text: str) -> bool:
    """Could this cell be a stated target: a value, a date, a target in words, or a short phrase?"""
    c = kind_of(fold_text(text)[0])
    return c.value or c.number or c.qualitative or c.date or (c.text and c.length <= 12)


def is_whole_target(text: str) -> bool:
    """Is this cell a target on its own: a value, a number, a date or a target in words (no
    phrase, as `reads_as_target` lets pass, and no fragment of one)?"""
    c = kind_of(fold_text(text)[0])
    return bool(c.value or c.number or c.qualitative or c.date)


def _label(c: Kind) -> bool:
    return c.level1 or c.level2 or c.level2_like


@lru_cache(maxsize=131072)
def fit(column: str, key: str) -> float:
    """How well a cell's text fits a column; NEG where it cannot stand there."""
    if not key:
        return _EMPTY.get(column, 0.0)
    c = kind_of(key)
    if column == "level1":
        return 4.0 if c.level1 else NEG
    if column in ("level2", "level2_alt"):
        if c.level2:
            return 4.0
        return 2.5 if c.level2_like else NEG
    if column in ("level3", "level3_alt"):
        if c.number or (c.value and not c.date) or c.operator or (c.unit and not c.text):
            return -4.0
        if c.scoring or c.unbalanced or _SENTENCE.search(key):
            return -3.0
        if _label(c):
            return -0.5
        if c.holds_label:
            return -2.0  # '-定性社会效益指标残疾学生入学率': cells of two rows joined
        if c.date:
            return -1.0
        if not _WORDS.search(key):
            return NEG  # '-', '…': no words, no name
        if not c.text or _NOT_A_NAME.match(key):
            return NEG if key.strip() in ("指标", "指标值") else -1.0
        return 1.0 - 0.03 * max(0, c.length - 15) - (1.0 if _CLAUSES.search(key) else 0.0)
    if column == "description":
        if c.value or c.number or _label(c) or c.unbalanced:
            return -2.0
        return 0.6 if c.text else -1.0
    if column == "operator":
        return 3.0 if c.operator else NEG
    if column in ("value", "expected", "value_alt", "grade"):
        if _label(c):
            return -3.0
        if c.value or c.date:
            return 3.0
        if c.qualitative or _TARGET_WITH_WORDS.match(key):
            return 2.5 if not c.qualitative else 2.0
        if c.scoring:
            return -2.0
        return 0.3 if c.length <= 12 else -0.3
    if column == "actual":
        if c.value or c.number or c.qualitative:
            return 2.1  # before the score columns, a number is the outcome first
        return 0.5 if c.length <= 12 and not _label(c) else -1.0
    if column == "unit":
        if c.unit:
            return 3.0
        return -0.5 if c.text and c.length <= 8 and not _label(c) else -2.0  # '单位（文字描述）': a word
    if column == "score":
        if c.number and _score_number(key):
            return 2.0
        return NEG
    # basis, remark, ignore: words, a little
    if _label(c):
        return -2.0
    if c.value or c.number:
        return -1.0
    return 0.3 if c.text else 0.0


_EMPTY = {
    "level3": NEG, "description": -0.2, "value": -1.5, "expected": -1.5, "actual": -0.3, "score": -0.3,
    "operator": 0.0, "unit": 0.0, "basis": 0.0, "remark": 0.0, "value_alt": 0.0, "level2_alt": 0.0,
    "level3_alt": 0.0, "grade": 0.0, "ignore": 0.0, "level1": NEG, "level2": NEG,
}


def _score_number(key: str) -> bool:
    try:
        return 0 <= float(key) <= 100
    except ValueError:
        return False


@dataclass
class ParsedRow:
    """One row as the grammar read it: column → (text, line), and what it took from the text."""

    cells: dict[str, tuple[str, int]] = field(default_factory=dict)
    atoms: int = 0
    lines: set[int] = field(default_factory=set)  # source lines its cells come from
    scores: list[str] = field(default_factory=list)  # the score columns' cells in column order (分值, 得分)
    cuts: int = 0  # cells that start inside a line of text


@dataclass
class Reading:
    rows: list[ParsedRow]
    content_atoms: int  # atoms with text that is not a row number: what the rows should explain


def read_rows(atoms: list[Atom], fields: list[str], mode: str, continued: bool = False) -> Reading:
    """The best reading of `atoms` as rows of `fields` (see module docstring).

    `mode` is what a line is in this table: ``rows`` (each row on a line, as its header),
    ``cells`` (each cell on a line, as its header) or ``run`` (the table run together on a line
    or two, so rows start inside lines). `continued`: the table goes on from before a page break,
    so its first row may leave its levels to the rows above.
    """
    one_line = mode == "rows"
    if fields and fields[0] == "index":  # 序号 first: the rows' numbers are skipped, as rows are read
        atoms, fields = _row_numbers(atoms), fields[1:]
    n, m = len(atoms), len(fields)
    starts = [k for k, f in enumerate(fields) if f in ("level1", "level2", "level3") or (k == 0 and f == "ignore")]
    first_level3 = fields.index("level3")
    # a column printed between the levels and the name ('一级 | 二级 | 指标值 | 三级'): a row whose
    # levels are merged starts there
    lead = next(k for k, f in enumerate(fields) if f not in ("level1", "level2"))
    if lead < first_level3 and lead not in starts:
        starts.append(lead)
    join_cost, cut_cost = (_JOIN_CELLS, _CUT_CELLS) if mode == "cells" else (_JOIN, _CUT)
    blank_rows = _blank_lines_part_rows(atoms)
    if blank_rows:
        join_cost = {**join_cost, "blank": _JOIN_BLANK}
        atoms = _number_keeps_blank(atoms)
    else:
        join_cost = {**join_cost, "blank": join_cost["line"]}
        atoms = [a if a.glue != "blank" else Atom(a.text, a.key, a.line, "line") for a in atoms]
    cells = _span_table(atoms, join_cost)
    # state scores: R[i][j] in a row before column j; S[i][started]
    R = [[NEG] * (m + 1) for _ in range(n + 1)]
    S = [[NEG, NEG] for _ in range(n + 1)]
    back_r: dict[tuple[int, int], tuple] = {}
    back_s: dict[tuple[int, int], tuple] = {}
    S[0][0] = 0.0
    for i in range(n + 1):
        _fill_empties(R, back_r, fields, i, 0)
        if R[i][m] > S[i][1]:
            S[i][1] = R[i][m]
            back_s[(i, 1)] = ("end", i)
        for started in (0, 1):
            if S[i][started] == NEG or i == n:
                continue
            glue = atoms[i].glue
            cost = 0.0 if glue in ("line", "blank") else _ROW_MID_LINE[mode]
            if blank_rows:
                cost += -_ROW_AFTER_BLANK if glue == "blank" else _ROW_NOT_AFTER_BLANK
            for s in starts:
                if s in (first_level3, lead) and not started and s != starts[0] and not continued:
                    continue  # the first row names its levels
                score = S[i][started] - cost - _ROW
                if score > R[i][s]:
                    R[i][s] = score
                    back_r[(i, s)] = ("start", started)
        _fill_empties(R, back_r, fields, i, min(starts))
        if i == n:
            break
        for j in range(m):
            if R[i][j] == NEG:
                continue
            for k in range(i + 1, min(n, i + MAX_SPAN) + 1):
                text, key, join = cells[i][k - i - 1]
                if join == NEG:
                    break
                f = fit_empty_cell(fields[j]) if not atoms[i].key and k == i + 1 else fit(fields[j], key)
                if f == NEG:
                    continue
                score = R[i][j] + f - join
                if k < n:
                    score -= cut_cost[atoms[k].glue]
                if j > first_level3 and (
                    atoms[i].glue == "blank" or (one_line and atoms[i].glue == "line")
                ):
                    score -= _BREAK_IN_ROW  # a row's cell on the next line: the row wrapped
                if score > R[k][j + 1]:
                    R[k][j + 1] = score
                    back_r[(k, j + 1)] = ("cell", i, j)
        for started in (0, 1):
            skip = _skip_cost(atoms[i])
            if S[i][started] - skip > S[i + 1][started]:
                S[i + 1][started] = S[i][started] - skip
                back_s[(i + 1, started)] = ("skip", started)
    return _backtrack(atoms, fields, cells, S, back_r, back_s)


def _row_numbers(atoms: list[Atom]) -> list[Atom]:
    """In a table whose first column is 序号, the numbers 1, 2, 3 … in turn are the rows' numbers.

    Each is keyed as a row number ('4、'), which rows skip at little cost, so that a row whose
    target is words ('较高') does not take the next row's number for its value; and the row
    starts after it as if at the start of the line. The text stays as printed.
    """
    out = list(atoms)
    expected = 1
    for k, a in enumerate(out):
        after = out[k + 1] if k + 1 < len(out) else None
        whole = a.glue not in ("run", "split") and (after is None or after.glue not in ("run", "split"))  # a cell, not part of one
        if a.key != str(expected) or not whole or (after is not None and after.key == a.key):
            continue
        out[k] = Atom(a.text, a.key + "、", a.line, a.glue)
        if after is not None and a.glue in ("line", "blank") and after.glue in ("hard", "space"):
            out[k + 1] = Atom(after.text, after.key, after.line, a.glue)
        expected += 1
    return out


def _blank_lines_part_rows(atoms: list[Atom]) -> bool:
    """Do blank lines stand between rows (some lines), rather than between every line or none?"""
    starts = [a.glue for a in atoms if a.glue in ("line", "blank")]
    if len(starts) < 6:
        return False
    share = starts.count("blank") / len(starts)
    return 0.05 < share < 0.6


def _number_keeps_blank(atoms: list[Atom]) -> list[Atom]:
    """'(blank) 11.00 | 产出指标 …': the row starts after its number, as if after the blank line."""
    out = list(atoms)
    for k in range(len(out) - 1):
        if out[k].glue == "blank" and _ROW_NUMBER.match(out[k].key) and out[k + 1].glue == "line":
            nxt = out[k + 1]
            out[k + 1] = Atom(nxt.text, nxt.key, nxt.line, "blank")
    return out


def fit_empty_cell(column: str) -> float:
    """A cell the layout shows empty: a merged level carried down, or a column left blank."""
    if column in ("level1", "level2", "level2_alt"):
        return 0.0
    return _EMPTY.get(column, 0.0)


_ROW_NUMBER = rx.compile(r"^\d{1,3}(?:\.0+)?[、.]?$")


def _skip_cost(atom: Atom) -> float:
    """What leaving an atom out of every row costs: nothing for an empty cell, little for a row number."""
    if not atom.key:
        return 0.0
    return _SKIP_ROW_NUMBER if _ROW_NUMBER.match(atom.key) else _SKIP


def _span_table(atoms: list[Atom], join_cost: dict[str, float]) -> list[list[tuple[str, str, float]]]:
    """For each atom, the cells of 1..MAX_SPAN atoms starting there: text, key, cost of joining."""
    out = []
    for i in range(len(atoms)):
        row = []
        join = 0.0
        for k in range(i, min(len(atoms), i + MAX_SPAN)):
            if k > i:
                join += join_cost[atoms[k].glue] if atoms[k].key and atoms[i].key else NEG
            part = atoms[i : k + 1]
            key = "".join(a.key if a.glue != "space" or n == 0 else " " + a.key for n, a in enumerate(part))
            row.append((join_atoms(part), key, join))
        out.append(row)
    return out


def _fill_empties(R, back_r, fields, i, lo):
    m = len(fields)
    for j in range(lo, m):
        if R[i][j] == NEG:
            continue
        e = _EMPTY.get(fields[j], 0.0)
        if e == NEG:
            continue
        if R[i][j] + e > R[i][j + 1]:
            R[i][j + 1] = R[i][j] + e
            back_r[(i, j + 1)] = ("empty", j)


def _backtrack(atoms, fields, cells, S, back_r, back_s) -> Reading:
    n, m = len(atoms), len(fields)
    content = sum(1 for a in atoms if a.key and not _ROW_NUMBER.match(a.key))
    started = 1 if S[n][1] >= S[n][0] else 0
    if S[n][started] == NEG:
        return Reading([], content)
    rows: list[ParsedRow] = []
    i, state = n, ("S", started)
    current: ParsedRow | None = None
    while True:
        if state[0] == "S":
            st = state[1]
            step = back_s.get((i, st))
            if step is None:
                break
            if step[0] == "skip":
                i -= 1
                state = ("S", step[1])
            else:  # a row ended here
                current = ParsedRow()
                state = ("R", m)
        else:
            j = state[1]
            step = back_r[(i, j)]
            if step[0] == "empty":
                state = ("R", step[1])
            elif step[0] == "cell":
                k0, col = step[1], step[2]
                text, _, _ = cells[k0][i - k0 - 1]
                assert current is not None
                current.cells[fields[col]] = (text, atoms[k0].line)
                if fields[col] == "score":
                    current.scores.insert(0, text)  # read back to front
                current.atoms += sum(1 for a in atoms[k0:i] if a.key)
                current.lines.update(a.line for a in atoms[k0:i] if a.key)
                current.cuts += atoms[k0].glue in ("run", "split", "space")
                i = k0
                state = ("R", col)
            else:  # row start
                assert current is not None
                rows.append(current)
                current = None
                state = ("S", step[1])
    rows.reverse()
    return Reading(rows, content)
