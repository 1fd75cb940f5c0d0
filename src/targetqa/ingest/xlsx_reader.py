"""XLSX reports: every sheet's rows as cell rows, merged cells read from the sheet XML.

openpyxl's read-only mode streams rows without building the whole workbook in memory (exported
tables can run to tens of thousands of rows), but it does not expose merged ranges. Rather than
load big files fully, the `<mergeCell ref="A1:C1"/>` elements are read from the sheet's XML part
directly (they sit at the end of it) and applied to the streamed grid: the merged cell's value is
in its top-left cell, the other positions are marked covered (see `office.Normalizer`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from targetqa import rx
from targetqa.extract.layout import compact
from targetqa.ingest.office import Builder, GCell, clean_cell
from targetqa.limits import limit, over
from targetqa.model import Document, InputError
from targetqa.taxonomy import LEVEL1_ALIASES

_MERGE = rx.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")
_WORDY = rx.compile(r"[\u4e00-\u9fffA-Za-z]{2}")
_DEFAULT_SHEET = rx.compile(r"^(?:Sheet|工作表|WpsReserved)\w*$", rx.I)
_ROW_TAG = rx.compile(rb"<(?:\w+:)?row[\s>/]")
_ROW_NUMBER = rx.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
_CELL_TAG = rx.compile(rb"<(?:\w+:)?c[\s>/]")


def read(path: Path, data: bytes) -> Document:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("缺少 openpyxl，无法读取 XLSX 文件") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise InputError("XLSX 文件已损坏或不完整，压缩包无法打开（可能下载中断或文件被截断）") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises KeyError, ValueError, lxml errors…
        raise InputError(f"XLSX 文件已损坏或内容无法解析（{type(exc).__name__}: {str(exc)[:80]}）") from None
    out = Builder()
    cells_seen = 0
    most_cells = limit("cells")
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            merges = _scan(archive, ws)
            grid: list[list[GCell]] = []
            ws.reset_dimensions()  # exported files often carry a wrong <dimension>
            for row in ws.iter_rows():
                grid.append([GCell(_show(c)) for c in row])
                cells_seen += len(row)
                if cells_seen > most_cells:
                    raise over("cells", "XLSX 表格过大", f"超过 {most_cells}", " 个单元格")
            _apply_merges(grid, merges)
            if not any(c.text for row in grid for c in row):
                continue
            if not _DEFAULT_SHEET.match(ws.title or ""):
                out.text(ws.title, in_items=False)  # in the lines for the facts, not a table title
            _emit(out, grid)
    except InputError:
        raise
    except (zipfile.BadZipFile, EOFError, KeyError, OSError, ValueError) as exc:
        raise InputError(f"XLSX 文件已损坏或不完整，读取中断（{type(exc).__name__}）") from None
    except Exception as exc:  # noqa: BLE001 - a half-written sheet breaks the XML parser anywhere
        raise InputError(f"XLSX 文件内容无法解析（{type(exc).__name__}: {str(exc)[:80]}）") from None
    finally:
        wb.close()
    return out.document(path, "xlsx")


def _text_row(row: list[GCell]) -> str | None:
    """A row that is a line of text, not a table row: one text typed into the first column and
    running over the empty cells beside it (a title, a heading, a sentence). A text merged
    across the table's width is a caption row of the table and stays a cell row."""
    filled = [k for k, c in enumerate(row) if c.text and not c.cover]
    if len(filled) != 1 or filled[0] != 0 or len(row) < 2 or row[1].cover:
        return None
    text = row[0].text
    if "\n" in text or not _WORDY.search(text) or compact(text) in LEVEL1_ALIASES:
        return None
    return text


def _emit(out: Builder, grid: list[list[GCell]]) -> None:
    """Text rows as text lines, the runs of rows between them as grids."""
    start = 0
    for r, row in enumerate(grid + [None]):
        text = _text_row(row) if row is not None else None
        if row is not None and text is None:
            continue
        if r > start:
            out.grid(_rebase(grid[start:r], start))
        if text is not None:
            out.text(text)
        start = r + 1


def _rebase(rows: list[list[GCell]], start: int) -> list[list[GCell]]:
    """A slice of a grid: merges that began above the slice start over inside it."""
    out = []
    for row in rows:
        new = []
        for c in row:
            if c.cover == "v":
                c = GCell(cover="v", origin=c.origin - start) if c.origin >= start else GCell()
            new.append(c)
        out.append(new)
    return out


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _scan(archive: zipfile.ZipFile, ws) -> list[tuple[int, int, int, int]]:
    """Check a sheet against the limits before it is parsed, and return its merged ranges as
    0-based (row0, col0, row1, col1).

    The sheet's XML part is streamed once (never held whole): rows count as many as the highest
    row number it declares (the reader yields the empty rows in between), cells as the `<c>`
    elements it holds.
    """
    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return []
    found: list[tuple[int, int, int, int]] = []
    rows = last_row = cells = 0
    try:
        fh = archive.open(part.lstrip("/"))
    except KeyError:
        return []
    with fh:
        tail = b""
        while True:
            chunk = fh.read(1 << 20)
            buf = tail + chunk
            cut = buf.rfind(b"<") if chunk else len(buf)
            if cut <= 0 and chunk:
                tail = buf  # one tag longer than a chunk: read on
                continue
            body, tail = buf[:cut], buf[cut:]
            rows += len(_ROW_TAG.findall(body))
            cells += len(_CELL_TAG.findall(body))
            last_row = max([last_row, *(int(n) for n in _ROW_NUMBER.findall(body))])
            for m in _MERGE.finditer(body):
                c0, r0, c1, r1 = _col(m.group(1)), int(m.group(2)) - 1, _col(m.group(3)), int(m.group(4)) - 1
                found.append((min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)))
            if max(rows, last_row) > limit("rows"):
                raise over("rows", f"XLSX 工作表“{ws.title}”行数过多", f"至少 {max(rows, last_row)}", " 行")
            if cells > limit("cells"):
                raise over("cells", "XLSX 表格过大", f"至少 {cells}", " 个单元格")
            if not chunk:
                return found


def _apply_merges(grid: list[list[GCell]], merges: list[tuple[int, int, int, int]]) -> None:
    """Mark merged positions as covered. A merge reaching past the data (a whole row merged
    up to column XFD) widens the grid by a few columns at most, never to the sheet's edge."""
    data = max((len(r) for r in grid), default=0)
    width = max([data] + [c1 + 1 for r0, _, _, c1 in merges if r0 < len(grid)])
    width = min(width, data + 8, max(data, limit("columns")))
    if len(grid) * width > limit("cells"):
        raise over("cells", "XLSX 表格过大", len(grid) * width, " 个单元格位置")
    for row in grid:
        row.extend(GCell() for _ in range(width - len(row)))
    covered = 0
    for r0, c0, r1, c1 in merges:
        if r0 >= len(grid) or c0 >= width:
            continue
        r1, c1 = min(r1, len(grid) - 1), min(c1, width - 1)
        covered += (r1 - r0 + 1) * (c1 - c0 + 1)
        if covered > limit("cells"):
            raise over("cells", "XLSX 合并单元格过多", f"超过 {limit('cells')}", " 个单元格位置")
        grid[r0][c0].vspan = r1 - r0 + 1
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) == (r0, c0):
                    continue
                grid[r][c] = GCell(cover="h") if c > c0 else GCell(cover="v", origin=r0)


def _show(cell) -> str:
    """A cell's value the way Excel shows it (number formats for decimals, %, thousands)."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_cell(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    fmt = getattr(cell, "number_format", "General") or "General"
    if isinstance(value, (dt.datetime, dt.date)):
        if "年" in fmt:
            return f"{value.year}年{value.month}月{value.day}日"
        return value.strftime("%Y-%m-%d") if not isinstance(value, dt.datetime) or not (
            value.hour or value.minute) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (int, float)):
        return _number(float(value), fmt)
    return clean_cell(str(value))


def _number(value: float, fmt: str) -> str:
    section = fmt.split(";")[0]
    section = rx.sub(r"\[[^\]]*\]|\"[^\"]*\"|\\.|_.", "", section)
    percent = "%" in section
    if percent:
        value *= 100
    m = rx.search(r"0\.(0+)", section)
    if m:
        text = f"{value:,.{len(m.group(1))}f}" if "," in section else f"{value:.{len(m.group(1))}f}"
    elif section.strip() in ("", "General", "@") or not rx.search(r"[0#]", section):
        text = f"{value:.10g}" if not value.is_integer() else str(int(value))
    else:
        text = f"{value:,.0f}" if "," in section else f"{value:.0f}"
    return text + ("%" if percent else "")
