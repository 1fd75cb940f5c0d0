"""Tables whose cells a converter marked explicitly: markdown pipe and grid tables, CSV, Excel text.

markitdown and pandoc print a Word table as a markdown pipe table (`| 一级指标 | 二级指标 |`,
a `|---|` line under the first row, `<br>` for a line break inside a cell) or, when cells hold
several lines, as a grid table (`+----+` borders, a row over several `|` lines). Excel saves a
sheet as CSV (comma-separated, cells with commas, quotes or line breaks quoted, every row padded
to the sheet's width) or as tab-separated "Unicode text" with the same quoting. pandoc writes a
table with merged cells as raw HTML. Each becomes one `CellRow` per table row, so the
cell-table reader serves them all.
"""

from __future__ import annotations

import csv
import html
import io
from html.parser import HTMLParser

from targetqa import rx
from targetqa.extract.cells import fold_text
from targetqa.extract.grammar import kind_of
from targetqa.extract.layout import CellRow, Item, compact
from targetqa.taxonomy import canonical_level1, canonical_level2

_PIPE_ROW = rx.compile(r"^ {0,3}\|.*\|\s*$")
_PIPE_SEPARATOR = rx.compile(r"^ {0,3}\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")
# A grid-table border: '+----+====+', or a partial one beside a cell merged downwards ('|    +---+').
_GRID_BORDER = rx.compile(r"^ {0,3}[+|][-=:+| ]*\+[-=:+| ]*[+|]\s*$")
_CELL_SPLIT = rx.compile(r"(?<!\\)\|")
_BR = rx.compile(r"<br\s*/?>", rx.I)
_MD_ESCAPE = rx.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_MAX_QUOTED_LINES = 40
_MAX_HTML_LINES = 20000  # a quoted cell longer than this is an unbalanced quote, not a cell


def _md_cell(text: str) -> str:
    """A markdown cell's text: escapes undone, <br> back to a line break, entities decoded."""
    text = _BR.sub("\n", text)
    text = _MD_ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    return text.strip()


_MAX_BROKEN_LINES = 3  # a pipe row cut by line breaks over more lines than this is not mended


def mend_broken_rows(lines: list[str]) -> list[str]:
    """Pipe rows cut by a line break inside a cell, joined back ('| 质量值 | 教学条件改善、办' /
    '学水平提高 | =100% |' → one row), numbered as before: the row stands on its first line and
    the lines it took are left blank (a blank line does not end a pipe table).

    A copy of a web page or a PDF often breaks a long cell where the page wrapped it. Read line
    by line, the first half is a row without its target and the second a row whose name is the
    end of another's: both misread. A row that opens with '|' and does not close is joined with
    the lines after it up to one that closes with '|', where none of them opens a row. Tab rows
    (a web page's table copied, a cell with a line break in it) are mended the same way where
    most rows have one number of cells: lines with fewer, the first ending inside a cell and the
    next starting inside one, whose cells add up to that number."""
    out = _mend_tab_rows(lines)
    if not any(line.lstrip().startswith("|") for line in out):
        return out
    out = list(out)
    i = 0
    while i < len(out):
        line = out[i].rstrip()
        if line.lstrip().startswith("|") and not line.endswith("|"):
            parts = [line]
            for k in range(i + 1, min(len(out), i + 1 + _MAX_BROKEN_LINES)):
                rest = out[k].strip()
                if not rest or rest.startswith("|"):
                    break
                parts.append(rest)
                if rest.endswith("|"):
                    i = _join(out, i, k, parts)
                    break
        i += 1
    return out


def _mend_tab_rows(lines: list[str]) -> list[str]:
    """Within each run of lines holding tabs, rows with fewer cells than the run's widest line
    (its header) joined where a cell was broken (see `mend_broken_rows`)."""
    if not any("\t" in line for line in lines):
        return lines
    out = list(lines)
    i = 0
    while i < len(out):
        if "\t" not in out[i]:
            i += 1
            continue
        end = i
        while end < len(out) and out[end].strip() and ("\t" in out[end] or (end + 1 < len(out) and "\t" in out[end + 1])):
            end += 1
        if end == i:  # white space and tabs only
            i += 1
            continue
        width = max(line.count("\t") for line in out[i:end])
        if width >= 2:
            _mend_tab_run(out, i, end, width)
        i = end + 1
    return out


def _mend_tab_run(out: list[str], start: int, end: int, width: int) -> None:
    i = start
    while i < end:
        line = out[i].rstrip(" ")
        tabs = line.count("\t")
        if 0 < tabs < width and not line.endswith("\t") and not _whole_cell(line.rsplit("\t", 1)[1]):
            total, parts = tabs, [line]
            for k in range(i + 1, min(end, i + 1 + _MAX_BROKEN_LINES)):
                rest = out[k].strip(" ")
                if not rest.strip() or rest.startswith("\t") or _whole_cell(rest.split("\t", 1)[0]):
                    break
                total += rest.count("\t")
                parts.append(rest)
                if total >= width:
                    if total == width:
                        i = _join(out, i, k, parts)
                    break
        i += 1


def _join(out: list[str], i: int, k: int, parts: list[str]) -> int:
    """Lines i..k joined on line i, the others left blank so that lines keep their numbers; the
    index to go on from."""
    out[i] = "".join(parts)
    out[i + 1 : k + 1] = [""] * (k - i)
    return k


def _whole_cell(text: str) -> bool:
    """A cell that is whole as it stands: a level label, a number or a date (a row that ends or
    begins there did not break inside a cell)."""
    key = compact(text)
    if not key or canonical_level1(key) or canonical_level2(key):
        return True
    kind = kind_of(fold_text(key)[0])
    return bool(kind.value or kind.number or kind.date)


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [_md_cell(c) for c in _CELL_SPLIT.split(body)]


def _is_grid_border(line: str) -> bool:
    return bool(_GRID_BORDER.match(line)) and ("-" in line or "=" in line)


def _read_grid(lines: list[str], i: int) -> tuple[list[Item], int]:
    """A pandoc grid table from its top border: one row per group of '|' lines between borders.

    A table drawn with box characters and a border under its header only ('├──┼──┤' once) has
    every row on a line of its own with no border between: a group whose every line ends with a
    target of its own ('1座', '3550平方米') is that many rows, not one row's wrapped cells."""
    items: list[Item] = []
    block: list[int] = []

    def emit() -> None:
        if len(block) >= 2 and all(_states_its_target(_pipe_cells(lines[k])) for k in block):
            for k in block:
                add([k])
        elif block:
            add(block)
        block.clear()

    def add(group: list[int]) -> None:
        split = [_pipe_cells(lines[k]) for k in group]
        width = max(len(c) for c in split)
        cells = ["" for _ in range(width)]
        starts = [group[0] + 1] * width
        for k, row in zip(group, split):
            for col, text in enumerate(row):
                if text and not cells[col]:
                    starts[col] = k + 1
                cells[col] = (cells[col] + "\n" + text) if cells[col] and text else (cells[col] or text)
        if any(c.strip() for c in cells):
            items.append(CellRow([_md_cell(c) for c in cells], starts))

    j = i + 1
    while j < len(lines):
        line = lines[j]
        if _is_grid_border(line):
            emit()
        elif line.lstrip(" ").startswith("|"):
            block.append(j)
        else:
            break
        j += 1
    emit()
    return items, j


def _states_its_target(cells: list[str]) -> bool:
    """A line of a grid table that is a whole row: two cells or more, the last a target."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 2 or not cells[-1].strip():
        return False
    c = kind_of(fold_text(cells[-1].strip())[0])
    return bool(c.value or c.number or c.date)


def _header_like(fields: list[str]) -> bool:
    """Cells that read as an indicator header: column names, among them 一级 and 二级 alone.

    A sentence with ASCII commas ('指标体系包括一级指标,二级指标,三级指标,指标值等') splits into
    fields too; its first field is more than a column name.
    """
    from targetqa.extract import columns

    named = [compact(f) for f in fields if compact(f)]
    return (
        len(named) >= 4
        and all(len(f) <= 16 for f in named)
        and any(rx.fullmatch(r"一级(?:指标)?", f) for f in named)
        and any(rx.fullmatch(r"二级(?:指标)?", f) for f in named)
        and columns.is_header(named)
    )


def csv_header_width(lines: list[str]) -> int:
    """Width of the first comma-separated indicator header line, or 0 where there is none.

    Commas appear in prose too, so CSV reading is switched on only for a document that has a
    CSV header row; Excel pads every row of a sheet to its width, which the reader then expects.
    """
    for line in lines:
        if "," in line and "一级" in line and "二级" in line:
            fields = next(csv.reader([line]), [])
            if _header_like(fields):
                return len(fields)
    return 0


def _record_end(lines: list[str], i: int, delimiter: str) -> int | None:
    """Index after the last line of a record starting at lines[i] with a quoted cell left open.

    None when no quote is open, or when it never closes (then the quote is text, not quoting).
    """
    if '"' not in lines[i] or lines[i].count('"') % 2 == 0:
        return None
    if not rx.search(rf'(?:^|{rx.escape(delimiter)})\s*"', lines[i]):
        return None
    count = lines[i].count('"')
    for j in range(i + 1, min(len(lines), i + _MAX_QUOTED_LINES)):
        count += lines[j].count('"')
        if count % 2 == 0:
            return j + 1
    return None


def _split_record(lines: list[str], i: int, delimiter: str) -> tuple[list[str], list[int], int]:
    """Cells of one delimited record (quoted cells may span lines), the line of each, next index."""
    end = _record_end(lines, i, delimiter) or i + 1
    text = "\n".join(lines[i:end])
    fields: list[str] = []
    if '"' in text:
        try:
            fields = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            fields = []  # quotes that are text, not quoting: split as written
    if not fields or sum(f.count("\n") for f in fields) != text.count("\n"):
        end = i + 1
        text = lines[i]
        fields = text.split(delimiter)
    starts: list[int] = []
    line = i + 1
    for f in fields:
        starts.append(line)
        line += f.count("\n")
    return fields, starts, end


def read_tab_row(lines: list[str], i: int) -> tuple[list[str], list[int], int]:
    """A tab-separated row; Excel's quoting ('"line 1\\nline 2"', '""' for a quote) undone."""
    line = lines[i]
    quoted = rx.search(r'(?:^|\t)"(?:[^"]|"")*"(?=\t|$)', line) or _record_end(lines, i, "\t")
    if not quoted:
        cells = line.split("\t")
        return cells, [i + 1] * len(cells), i + 1
    return _split_record(lines, i, "\t")


class _HtmlTable(HTMLParser):
    """Rows of an HTML table, merged cells put back as empty ones so every row has every column.

    pandoc writes a table with merged cells (rowspan, colspan) as raw HTML inside markdown; a
    cell under a rowspan is simply absent from its row, so the grid is rebuilt here.
    """

    def __init__(self, first_line: int):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.rows: list[tuple[list[str], list[int]]] = []
        self._cells: list[str] | None = None
        self._lines: list[int] = []
        self._text: list[str] | None = None
        self._below: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
        self._span = (1, 1)

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        if tag == "tr":
            self._cells, self._lines = [], []
        elif tag in ("td", "th") and self._cells is not None:
            self._fill_covered()
            self._text = []
            self._span = (_int(a.get("rowspan")), _int(a.get("colspan")))
            self._lines.append(self._line())
        elif tag == "br" and self._text is not None:
            self._text.append("\n")
        elif tag in ("p", "div") and self._text:
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cells is not None and self._text is not None:
            rows, cols = self._span
            col = len(self._cells)
            self._cells.append("".join(self._text).strip())
            for extra in range(1, cols):
                self._cells.append("")
                self._lines.append(self._lines[-1])
            if rows > 1:
                for c in range(col, col + cols):
                    self._below[c] = rows - 1
            self._text = None
        elif tag == "tr" and self._cells is not None:
            self._fill_covered(end=True)
            lines = (self._lines + [self._line()] * len(self._cells))[: len(self._cells)]  # a cell left open
            self.rows.append((self._cells, lines))
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(rx.sub(r"\s+", " ", data))

    def _fill_covered(self, end: bool = False) -> None:
        """Empty cells where a rowspan from a row above covers the next column(s)."""
        assert self._cells is not None
        while self._below.get(len(self._cells), 0) > 0 and (not end or len(self._cells) <= max(self._below)):
            col = len(self._cells)
            self._below[col] -= 1
            self._cells.append("")
            self._lines.append(self._line())


def _int(text: str | None) -> int:
    return int(text) if text and text.strip().isdigit() else 1


def _read_html(lines: list[str], i: int) -> tuple[list[Item], int]:
    """An HTML table from the line where '<table' opens to the one where it closes."""
    end = i
    while end < len(lines) and "</table" not in lines[end].lower() and end - i < _MAX_HTML_LINES:
        end += 1
    block = "\n".join(lines[i : end + 1])
    block = block[block.lower().index("<table") :]
    parser = _HtmlTable(i + 1)
    parser.feed(block)
    parser.close()
    items: list[Item] = [CellRow(cells, row_lines) for cells, row_lines in parser.rows if any(c.strip() for c in cells)]
    return items, end + 1


def read_structured(lines: list[str], i: int, csv_width: int) -> tuple[list[Item], int] | None:
    """Items read from lines[i] on when it starts a markdown or CSV row, else None."""
    line = lines[i]
    if "<table" in line.lower() and rx.search(r"<table[\s>]", line, rx.I):
        return _read_html(lines, i)
    if "\t" not in line and line.lstrip(" ")[:1] in ("|", "+"):
        if _is_grid_border(line) and line.lstrip().startswith("+"):
            return _read_grid(lines, i)
        if _PIPE_SEPARATOR.match(line):
            return [], i + 1
        if _PIPE_ROW.match(line):
            cells = _pipe_cells(line)
            found: list[Item] = [CellRow(cells, [i + 1] * len(cells))] if any(cells) else []
            return found, i + 1
    if csv_width and "\t" not in line and ("," in line or line.startswith('"')):
        fields, starts, end = _split_record(lines, i, ",")
        if len(fields) >= 2:
            found = [CellRow([f.strip() for f in fields], starts)] if any(f.strip() for f in fields) else []
            return found, end
    return None
