"""Group the lines of a text report into cell rows and plain text lines.

Text reports come out of converters in three shapes, and a document may mix them:
- one cell per line: each cell on its own line behind a tab, rows separated by a blank line,
  a line without the tab continuing the cell above it (a cell with a line break);
- tab-separated rows: one row per line, cells split by tabs, an empty first cell meaning
  "same as above";
- plain text: prose, titles, and tables flattened by a PDF converter (handled in `pdftext`).
Recognising the shape per line, not per file, is what lets one reader serve all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A line that cannot be the continuation of a cell: a section or table heading.
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分|\d+[、.．]\S*绩效目标表)"
)


@dataclass
class CellRow:
    cells: list[str]
    lines: list[int]  # 1-based source line where each cell starts
    page: int | None = None

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0

    def compact(self) -> list[str]:
        return [compact(c) for c in self.cells]


@dataclass
class TextLine:
    text: str
    line: int
    page: int | None = None


Item = CellRow | TextLine


@dataclass
class _Open:
    cells: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def compact(text: str) -> str:
    """Text without any whitespace: for matching labels that a converter wrapped or spaced."""
    return re.sub(r"\s+", "", text)


def join_wrapped(text: str) -> str:
    """Join a cell's wrapped lines: no space between CJK pieces, one space between Latin words."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " " + part
        else:
            out += part
    return re.sub(r"[ \t]+", " ", out).strip()


def read_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    row: _Open | None = None
    last_was_cell = False

    def close() -> None:
        nonlocal row
        if row is not None and row.cells:
            items.append(CellRow([c.strip() for c in row.cells], row.lines))
        row = None

    for number, line in enumerate(lines, start=1):
        if line.startswith("\t") and line.count("\t") == 1:
            if row is None:
                row = _Open()
            row.cells.append(line[1:])
            row.lines.append(number)
            last_was_cell = True
            continue
        if "\t" in line.strip("\t") or (line.startswith("\t") and line.count("\t") > 1):
            close()
            cells = line.split("\t")
            if all(not c.strip() for c in cells):
                last_was_cell = False
                continue
            items.append(CellRow([c.strip() for c in cells], [number] * len(cells)))
            last_was_cell = False
            continue
        if not line.strip():
            close()
            last_was_cell = False
            continue
        if last_was_cell and row is not None and not _HEADING.match(line):
            row.cells[-1] += "\n" + line
            continue
        close()
        last_was_cell = False
        items.append(TextLine(line, number))
    close()
    return items
