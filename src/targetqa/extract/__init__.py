"""From clean lines (or cell rows from a DOCX/XLSX/PDF reader) to a `Document` with its tables.

Two readings of a text report are made and compared table by table: the cell-row reader
(`tables`, for text that keeps its cells: tab rows, one cell per tab line, markdown, PDF text)
and the row grammar over flattened text (`flattened`: cells → header → rows → tables). Each
table is scored by one plausibility measure (`plausibility`) and the better reading is kept.
Indicators written as lists under level headings, outside any table, are read last (`listed`).
"""

from __future__ import annotations

from targetqa import rx
from targetqa.extract.delimited import mend_broken_rows
from targetqa.extract.facts import fill_facts
from targetqa.extract.flattened import FlatResult, read_flattened
from targetqa.extract.header import value_unit
from targetqa.extract.layout import CellRow, Item, join_wrapped, read_items
from targetqa.extract.listed import read_listed
from targetqa.extract.plausibility import (
    choose_tables,
    is_settled,
    lost_targets,
    misread,
)
from targetqa.extract.tables import find_tables, number_tables, project_from_page
from targetqa.model import Document, Table

__all__ = ["extract_items", "extract_lines"]


def extract_items(doc: Document, items: list[Item]) -> Document:
    """Fill `doc` from items a DOCX/XLSX/PDF reader grouped into cell rows and text lines.

    The row grammar reads the same cells, printed one row per line with tabs between cells (an
    empty cell stays an empty cell), so a table the cell-row reader misreads is read as a text one is.
    """
    lines: list[str] = []
    where: list[tuple[int, int | None]] = []
    for item in items:
        if isinstance(item, CellRow):
            lines.append("\t".join(join_wrapped(c) for c in item.cells))
        else:
            lines.append(item.text)
        where.append((item.line, item.page))
    return _extract(doc, items, lines, where)


def extract_lines(doc: Document) -> Document:
    lines = mend_broken_rows(doc.lines)
    return _extract(doc, read_items(lines), lines, None)


def _extract(doc: Document, items: list[Item], lines: list[str], where: list[tuple[int, int | None]] | None) -> Document:
    fill_facts(doc, items)
    cell_tables = find_tables(items)
    own_lines = lines if where is None else None  # the cell tables' line numbers are these lines'
    lost = {id(t): lost_targets(t, own_lines) for t in cell_tables} if own_lines is not None else {}
    settled = [t for t in cell_tables if is_settled(t, own_lines, lost.get(id(t)))]
    flat = read_flattened(_without(lines, settled, where))
    if where is not None:
        _place(flat, where)
    tables = choose_tables(cell_tables, flat.tables, lost)
    doubtful = [t for t in tables if any(t is c for c in cell_tables) and misread(t)]
    tables = [t for t in tables if all(t is not d for d in doubtful)]
    covered = [(min(r.line for r in t.rows), max(r.line for r in t.rows)) for t in tables if t.rows]
    taken = {n for lo, hi in covered for n in range(lo, hi + 1)}
    listed = read_listed(lines, taken) if where is None else []
    doc.tables = number_tables(tables + listed)
    at = {w: k for k, w in enumerate(where)} if where is not None else None
    for table in doc.tables:
        _unit_from_header(table, lines, at)
        _code_apart(table)
    floor = 0
    for table in doc.tables:  # a table whose head names no project: the page may, above it
        start = table.line or min((r.line for r in table.rows), default=0)
        if not table.project and where is None and table.kind != "department":
            table.project = project_from_page(lines, start, floor)
        floor = max((r.line for r in table.rows), default=floor)
    # a table the grammar could not read, but the cell-row reader did, is read
    doc.unread = [
        (u.line, u.title, u.reason) for u in flat.unread if not any(u.line <= hi and lo <= u.last_line for lo, hi in covered)
    ]
    # a table the cell-row reader found but could not read, and the grammar did not read either
    doc.unread += [(t.line or t.rows[0].line, t.title or t.project, misread(t)) for t in doubtful
                   if not any(u[0] == (t.line or t.rows[0].line) for u in doc.unread)]
    doc.unread.sort()
    return doc


def _unit_from_header(table: Table, lines: list[str], at: dict[tuple[int, int | None], int] | None) -> None:
    """Bare numbers under a value column whose header gives the unit ('指标值（万元）' / '≤50')
    take it: the table says what they count. `at`: (source line, page) -> index in `lines`, where
    the lines are a DOCX/XLSX/PDF reader's cell rows, not the text's own."""
    if not table.rows:
        return
    if at is None:
        first = min(r.line for r in table.rows)
        above = lines[max(table.line, first - 6, 1) - 1 : first - 1]
    else:
        top = min(table.rows, key=lambda r: (r.page or 0, r.line))
        first = at.get((top.line, top.page), -1)
        if first < 0:
            return
        above = lines[max(at.get((table.line, table.page), 0), first - 6, 0) : first]
    unit = value_unit(above)
    if not unit:
        return
    for row in table.rows:
        if row.value and not row.unit and _BARE_NUMBER.fullmatch(row.value.strip()):
            row.unit = unit


_BARE_NUMBER = rx.compile(r"\d+(?:\.\d+)?")
# '51000021R000000019951-工资性支出': the project's code written before its name
_CODE_FIRST = rx.compile(r"^\s*(\d[0-9A-Za-z]{9,})\s*[-－—_:：]?\s*(?=[\u4e00-\u9fff])(.+)$")


def _code_apart(table: Table) -> None:
    """A project name that starts with the project's code: the code and the name, each in its place."""
    found = _CODE_FIRST.match(table.project)
    if found:
        table.project_code = table.project_code or found.group(1)
        table.project = found.group(2).strip()


def _without(lines: list[str], settled: list[Table], where: list[tuple[int, int | None]] | None) -> list[str]:
    """The lines with the settled tables blanked out, numbered as before, for the row grammar."""
    if not settled:
        return lines
    blank: set[int] = set()
    for t in settled:
        first = min([r.line for r in t.rows] + ([t.line] if t.line else []))
        blank.update(range(first, max(r.line for r in t.rows) + 1))
    numbers = (n for n, _ in where) if where is not None else range(1, len(lines) + 1)
    return ["" if n in blank else text for n, text in zip(numbers, lines)]


def _place(flat: FlatResult, where: list[tuple[int, int | None]]) -> None:
    """Lines of the printed cell rows back to where the cells stand in the source (line or page)."""

    def at(n: int) -> tuple[int, int | None]:
        return where[n - 1] if 0 < n <= len(where) else (n, None)

    for table in flat.tables:
        table.line, table.page = at(table.line)
        for row in table.rows:
            row.line, row.page = at(row.line)
    for u in flat.unread:
        u.line, u.last_line = at(u.line)[0], at(u.last_line)[0]
