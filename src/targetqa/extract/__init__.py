"""From clean lines (or cell rows from a DOCX/XLSX/PDF reader) to a `Document` with its tables.

Two readings of a text report are made and compared table by table: the cell-row reader
(`tables`, for text that keeps its cells: tab rows, one cell per tab line, markdown, PDF text)
and the row grammar over flattened text (`flattened`: cells → header → rows → tables). Each
table is scored by one plausibility measure (`plausibility`) and the better reading is kept.
Indicators written as lists under level headings, outside any table, are read last (`listed`).
"""

from __future__ import annotations

from targetqa.extract.facts import fill_facts
from targetqa.extract.flattened import read_flattened
from targetqa.extract.layout import Item, read_items
from targetqa.extract.listed import read_listed
from targetqa.extract.plausibility import choose_tables
from targetqa.extract.tables import find_tables, number_tables
from targetqa.model import Document

__all__ = ["extract_items", "extract_lines"]


def extract_items(doc: Document, items: list[Item]) -> Document:
    """Fill `doc` from items already grouped into cell rows and text lines."""
    fill_facts(doc, items)
    doc.tables = find_tables(items)
    return doc


def extract_lines(doc: Document) -> Document:
    items = read_items(doc.lines)
    fill_facts(doc, items)
    flat = read_flattened(doc.lines)
    tables = choose_tables(find_tables(items), flat.tables)
    covered = [(min(r.line for r in t.rows), max(r.line for r in t.rows)) for t in tables if t.rows]
    taken = {n for lo, hi in covered for n in range(lo, hi + 1)}
    doc.tables = number_tables(tables + read_listed(doc.lines, taken))
    # a table the grammar could not read, but the cell-row reader did, is read
    doc.unread = [
        (u.line, u.title, u.reason) for u in flat.unread if not any(u.line <= hi and lo <= u.last_line for lo, hi in covered)
    ]
    return doc
