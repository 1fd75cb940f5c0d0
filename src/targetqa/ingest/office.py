"""Read published DOCX, XLSX and PDF reports into the same items a text report gives.

Every format ends as a list of `CellRow`s (a real table row, one entry per grid column, a cell's
own line breaks kept as "\\n") and `TextLine`s (paragraphs, titles), handed to
`extract_items` exactly like the items of a text report, so tables, heads, rows and document
facts are found the same way and every check works unchanged.

The readers (`docx_reader`, `xlsx_reader`, `pdf_reader`) only know their format. What they share
lives here: a table is first read into a grid of `GCell`s that says, for every grid position,
whether it holds its own cell or is covered by a merged cell to its left ("h") or above ("v").
`Normalizer` turns grids into cell rows under one convention for all formats:
- a horizontally merged cell appears once, in its first column, and the columns it covers are
  empty, so every row of a table keeps the same positions as its header;
- a vertically merged cell under the 一级/二级 header columns appears once, then empty below
  (the extractor carries level1/level2 down, as it does for text reports); in any other column
  (a 指标值确定依据 merged over three rows) its text is repeated on every row it covers, because
  that is what the reader of the table sees for each row;
- a header row whose value column is split by a subheader row (指标值 over 符号 / 值 / 单位)
  is given with its merged cells collapsed, the shape text converters write and
  `columns.column_fields` expects.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from targetqa import rx
from targetqa.extract import columns, extract_items
from targetqa.extract.layout import CellRow, Item, TextLine, compact, join_wrapped
from targetqa.ingest.clean import clean_line
from targetqa.limits import limit, megabytes, over
from targetqa.model import Document

_LEVEL_HEADER = rx.compile(r"一级|二级")


@dataclass
class GCell:
    """One grid position of a table as read from the file."""

    text: str = ""
    cover: str = ""  # "" its own cell, "h" covered by a merge on its left, "v" by one above
    origin: int = -1  # for "v": the grid row the merged cell starts on
    vspan: int = 1  # for an own cell: how many grid rows it spans (PDF: where a page cuts a merge)
    full: bool = False  # PDF: its last line runs to the cell's right edge (the text may go on)


def clean_cell(text: str) -> str:
    """Clean a cell the way text reports are cleaned, keeping its own line breaks."""
    lines = [clean_line(part.replace("\t", " ")).strip() for part in text.replace("\r", "\n").split("\n")]
    return "\n".join(p for p in lines if p)


class Normalizer:
    """Turn grids into cell rows (see the module docstring for the convention)."""

    def rows(self, grid: list[list[GCell]]) -> list[list[str]]:
        out: list[list[str]] = []
        levels: set[int] | None = None  # columns under 一级/二级 in the current table
        fill_from = len(grid)  # rows before the first header: no filling (a table's head)
        for r, row in enumerate(grid):
            own = [c.text if not c.cover else "" for c in row]
            if columns.is_header(own):
                levels = set()
                for k, c in enumerate(row):
                    if not c.cover and _LEVEL_HEADER.search(compact(c.text)):
                        levels.add(k)
                        k2 = k + 1
                        while k2 < len(row) and row[k2].cover == "h":
                            levels.add(k2)
                            k2 += 1
                nxt = grid[r + 1] if r + 1 < len(grid) else None
                sub = nxt is not None and columns.is_subheader(
                    columns.strip_row_number([c.text if not c.cover else "" for c in nxt])
                )
                fill_from = r + (2 if sub else 1)
                if sub and any(c.cover == "h" for c in row):
                    own = [c.text for c in row if c.cover != "h"]
                out.append(own)
                continue
            if r >= fill_from and levels is not None:
                for k, c in enumerate(row):
                    if c.cover == "v" and k not in levels and fill_from <= c.origin < r:
                        own[k] = grid[c.origin][k].text
            out.append(own)
        return out


class Builder:
    """Collects items and the document's lines; an item's line numbers index into the lines."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.lines: list[str] = []
        self.pages: list[int | None] = []  # page of each line (PDF), for rows and tables
        self.norm = Normalizer()

    def _line(self, text: str, page: int | None) -> int:
        self.lines.append(text)
        self.pages.append(page)
        return len(self.lines)

    def text(self, text: str, page: int | None = None, *, in_items: bool = True) -> None:
        """A paragraph: one TextLine for each of its lines; empty lines are left out."""
        for part in text.replace("\r", "\n").split("\n"):
            part = clean_line(part.replace("\t", " ")).strip()
            if not part:
                continue
            number = self._line(part, page)
            if in_items:
                self.items.append(TextLine(part, number, page))

    def grid(self, grid: list[list[GCell]], page: int | None = None, row_pages: list[int] | None = None) -> None:
        """A table read as a grid; rows with no text at all are dropped, like blank text lines."""
        for k, cells in enumerate(self.norm.rows(grid)):
            if not any(c.strip() for c in cells):
                continue
            p = row_pages[k] if row_pages else page
            number = self._line("\t".join(join_wrapped(c) for c in cells), p)
            self.items.append(CellRow(cells, [number] * len(cells), p))

    def cells(self, cells: list[str], page: int | None = None) -> None:
        """A row already read into cells (a PDF table rebuilt from text positions)."""
        cells = [clean_cell(c) for c in cells]
        if not any(c.strip() for c in cells):
            return
        number = self._line("\t".join(join_wrapped(c) for c in cells), page)
        self.items.append(CellRow(cells, [number] * len(cells), page))

    def document(self, path: Path, fmt: str) -> Document:
        doc = Document(path=str(path), lines=self.lines, fmt=fmt)
        extract_items(doc, self.items)
        if any(p is not None for p in self.pages):
            for table in doc.tables:
                table.page = self.page_of(table.line)
                for row in table.rows:
                    row.page = self.page_of(row.line)
        return doc

    def page_of(self, line: int) -> int | None:
        return self.pages[line - 1] if 0 < line <= len(self.pages) else None


def check_package(data: bytes, kind: str) -> None:
    """Refuse a DOCX/XLSX that would unpack to more than the limits allow (a zip bomb), from the
    sizes its archive declares, before any part is parsed. The zip reader never hands out more
    bytes than a part declares (a part that holds more fails its CRC), so the declared sizes
    bound the work. An archive that cannot be opened is left to the format's reader to explain.
    """
    import zipfile

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception:  # noqa: BLE001 - a broken archive: the reader says why
        return
    if len(infos) > limit("zip_members"):
        raise over("zip_members", f"{kind} 压缩包中的部件过多", len(infos), " 个")
    total = sum(i.file_size for i in infos)
    if total > megabytes("unzipped_mb"):
        raise over("unzipped_mb", f"{kind} 文件解压后过大，可能是压缩炸弹", f"{total / 1024 / 1024:.0f}", " MB")
    for info in infos:
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > 1024 * 1024 and ratio > limit("zip_ratio"):
            raise over("zip_ratio", f"{kind} 文件中的部件 {info.filename[:60]} 压缩比异常，可能是压缩炸弹", f"{ratio:.0f}", " 倍")


def load(path: Path, data: bytes, fmt: str) -> Document:
    """Read a DOCX, XLSX or PDF report (format sniffed by the caller) into a `Document`."""
    if fmt in ("docx", "xlsx"):
        check_package(data, fmt.upper())
    if fmt == "docx":
        from targetqa.ingest import docx_reader

        return docx_reader.read(path, data)
    if fmt == "xlsx":
        from targetqa.ingest import xlsx_reader

        return xlsx_reader.read(path, data)
    if fmt == "pdf":
        from targetqa.ingest import pdf_reader

        return pdf_reader.read(path, data)
    raise ValueError(f"unknown format {fmt!r}")
