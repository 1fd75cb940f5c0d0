"""From clean lines (or cell rows from a DOCX/XLSX/PDF reader) to a `Document` with its tables."""

from __future__ import annotations

from targetqa.extract.facts import fill_facts
from targetqa.extract.layout import Item, read_items
from targetqa.extract.tables import find_tables
from targetqa.model import Document

__all__ = ["extract_items", "extract_lines"]


def extract_items(doc: Document, items: list[Item]) -> Document:
    """Fill `doc` from items already grouped into cell rows and text lines."""
    fill_facts(doc, items)
    doc.tables = find_tables(items)
    return doc


def extract_lines(doc: Document) -> Document:
    return extract_items(doc, read_items(doc.lines))
