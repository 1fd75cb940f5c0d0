"""Tables printed without their header: rows that open with a level label and end with a target.

A page excerpt that starts below the header row, or a header kept as an image, leaves rows such
as `产出指标 | 数量指标 | 培训人次 | ≥100人次` with nothing naming the columns. Where several such
rows stand together (and no header is printed above them), the columns are what the rows show: a
level label (一级, then 二级), the name, the target; a cell between the name and the target is its
description, one after the target a remark. The rows are then read as any other table's, with
the same doubts: a stretch the grammar cannot read is reported unread, never guessed.
"""

from __future__ import annotations

from targetqa import rx
from targetqa.extract.cells import Atom, fold_text
from targetqa.extract.grammar import is_whole_target
from targetqa.extract.header import Header
from targetqa.taxonomy import label_level

MIN_ROWS = 3  # rows in one stretch: each ends with a target, or opens with a level label
MIN_LABELLED = 2  # ... of which open with a level label; or two rows, the first with both levels
_CELLS = rx.compile(r"\s*[|\t]\s*")


def implied_headers(atoms: list[Atom], lines: list[str], before: int) -> list[Header]:
    """Headers for stretches of label-led rows among atoms[:before] (above the first printed header)."""
    out: list[Header] = []
    stretch: list[tuple[int, list[str]]] = []  # (index of the line's first atom, its cells)
    spaced = False
    for start, cells, by_spaces in _lines(atoms[:before], lines):
        row = _row_like(cells)
        if row and by_spaces == spaced:
            stretch.append((start, cells))
            continue
        out += _header_of(stretch, spaced)
        stretch, spaced = ([(start, cells)] if row else []), by_spaces
    return out + _header_of(stretch, spaced)


def _row_like(cells: list[str]) -> bool:
    """Cells an indicator row could be: ending with a target, or opening with a level label."""
    return len(cells) >= 2 and (is_whole_target(cells[-1]) or (bool(_level(cells[0])) and len(cells) >= 3))


def _lines(atoms: list[Atom], lines: list[str]) -> list[tuple[int, list[str], bool]]:
    """(index of the first atom, cells, parted by spaces only) of each line: cells parted by
    pipes or tabs, else by spaces (where a cell may hold spaces itself)."""
    out: list[tuple[int, list[str], bool]] = []
    seen: set[int] = set()
    for k, atom in enumerate(atoms):
        if atom.line in seen or atom.glue not in ("line", "blank"):
            continue
        seen.add(atom.line)
        text = lines[atom.line - 1]
        if rx.search(r"[|\t]", text):
            out.append((k, [c for c in _CELLS.split(text.strip(" |\t")) if c.strip()], False))
        else:
            out.append((k, text.split(), True))
    return out


def _level(cell: str) -> str:
    return label_level(fold_text(cell)[0])


def _header_of(stretch: list[tuple[int, list[str]]], spaced: bool) -> list[Header]:
    """The header a stretch of rows implies; where spaces part the cells, a name's own spaces
    make more cells than there are columns: the levels, the name and the target only."""
    labelled = [cells for _, cells in stretch if _level(cells[0])]
    first = stretch[0][1] if stretch else []
    whole_first = len(first) >= 4 and _level(first[0]) == "level1" and _level(first[1]) == "level2"
    if len(stretch) < (2 if whole_first else MIN_ROWS) or (len(labelled) < MIN_LABELLED and not whole_first):
        return []
    widest = max(labelled, key=len)
    levels = ["level1", "level2"] if _level(widest[0]) == "level1" else ["level2"]
    if len(widest) > len(levels) + 1 and levels == ["level1", "level2"] and _level(widest[1]) != "level2":
        levels = ["level1"]  # '产出指标 | 培训人次 | ≥100人次': no 二级 column
    if spaced:
        start = stretch[0][0]
        return [Header([*levels, "level3", "value"], start, start, one_line=True)]
    rest = len(widest) - len(levels)  # name, target and the cells between or after
    if rest < 2 or rest > 4:
        return []
    target = max(k for k, c in enumerate(widest) if is_whole_target(c)) - len(levels)
    if target < 1:
        return []
    between, after = target - 1, rest - target - 1
    if between > 1 or after > 1:
        return []
    fields = [*levels, "level3", *(["description"] * between), "value", *(["remark"] * after)]
    start = stretch[0][0]
    return [Header(fields, start, start, one_line=True)]
