"""DOCX reports: body paragraphs and tables in document order, merged cells read from the XML.

python-docx's `row.cells` repeats a merged cell once per grid column it spans and hands the
cell above for every vertically merged position, which would double level labels and values.
The table XML says it directly: `w:gridSpan` (columns a cell covers), `w:vMerge` (restart /
continue) and `w:gridBefore` / `w:gridAfter` (grid positions a row leaves out), so the grid is
built from that and merged positions are marked as covered (see `office.Normalizer`).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from targetqa.ingest.office import Builder, GCell, clean_cell
from targetqa.limits import limit, over
from targetqa.model import Document, InputError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: Path, data: bytes) -> Document:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("缺少 python-docx，无法读取 DOCX 文件") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):  # a .docm / .dotx or another Office file with word/ inside
            raise InputError("不是可读取的 Word 文档（DOCX 正文部件的类型不对，可能是启用宏的文档或模板）") from None
        raise InputError(f"DOCX 文件已损坏或不完整，无法打开（{_reason(exc)}）") from None
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError, OSError):
        raise InputError("DOCX 文件已损坏或不完整，压缩包无法打开（可能下载中断或文件被截断）") from None
    except Exception as exc:  # noqa: BLE001 - lxml and zip errors of every kind mean a broken file
        raise InputError(f"DOCX 文件已损坏或内容无法解析（{_reason(exc)}）") from None
    out = Builder()
    try:
        _walk(document.element.body, out, _Cells())
    except RecursionError:
        raise InputError("DOCX 文件结构嵌套过深，无法读取") from None
    return out.document(path, "docx")


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:120] if text else type(exc).__name__


class _Cells:
    """The grid positions read so far, against the limit (spans and merges count in full)."""

    def __init__(self) -> None:
        self.seen = 0
        self.most = limit("cells")

    def take(self, n: int) -> None:
        self.seen += n
        if self.seen > self.most:
            raise over("cells", "DOCX 表格过大", f"超过 {self.most}", " 个单元格")


def _walk(body, out: Builder, cells: _Cells) -> None:
    """Paragraphs and tables in order; content controls (w:sdt) and w:customXml are opened."""
    for child in body.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            out.text(_paragraph_text(child))
        elif tag == _W + "tbl":
            out.grid(_grid(child, cells))
        elif tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if tag == _W + "sdt" else child
            if content is not None:
                _walk(content, out, cells)


def _paragraph_text(p) -> str:
    """Text of a paragraph with soft line breaks and tabs, the deleted text of tracked changes left out."""
    parts: list[str] = []
    for el in p.iter(_W + "t", _W + "br", _W + "cr", _W + "tab", _W + "delText", _W + "noBreakHyphen"):
        tag = el.tag
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag in (_W + "br", _W + "cr"):
            if el.get(_W + "type") in (None, "textWrapping"):
                parts.append("\n")
        elif tag == _W + "tab":
            parts.append(" ")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _cell_text(tc, cells: _Cells) -> str:
    """A cell's paragraphs joined by line breaks; a table nested in the cell adds its rows' text."""
    lines: list[str] = []
    for child in tc.iterchildren():
        if child.tag == _W + "p":
            lines.append(_paragraph_text(child))
        elif child.tag == _W + "tbl":
            for row in _grid(child, cells):
                lines.append(" ".join(c.text for c in row if c.text and not c.cover))
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                lines.append(_paragraph_text(content))
    return clean_cell("\n".join(lines))


def _int_attr(el, name: str, default: int) -> int:
    if el is None:
        return default
    try:
        return max(0, int(el.get(_W + name, default)))
    except (TypeError, ValueError):
        return default


def _row_tcs(tr):
    for child in tr.iterchildren():
        if child.tag == _W + "tc":
            yield child
        elif child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if content is not None:
                yield from _row_tcs(content)


def _grid(tbl, cells: _Cells) -> list[list[GCell]]:
    """The table's grid; spans and skipped positions (gridSpan, gridBefore, gridAfter) are
    capped so that no row is wider than the column limit, whatever the file declares."""
    rows: list[list[GCell]] = []
    most = limit("columns")
    for tr in tbl.iterchildren(_W + "tr"):
        trpr = tr.find(_W + "trPr")
        before = min(most, _int_attr(trpr.find(_W + "gridBefore") if trpr is not None else None, "val", 0))
        after = _int_attr(trpr.find(_W + "gridAfter") if trpr is not None else None, "val", 0)
        row: list[GCell] = [GCell() for _ in range(before)]
        for tc in _row_tcs(tr):
            tcpr = tc.find(_W + "tcPr")
            span = max(1, _int_attr(tcpr.find(_W + "gridSpan") if tcpr is not None else None, "val", 1))
            span = max(1, min(span, most - len(row)))
            vmerge = tcpr.find(_W + "vMerge") if tcpr is not None else None
            col = len(row)
            if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue":
                origin = _origin(rows, col)
                row.append(GCell(cover="v", origin=origin) if origin >= 0 else GCell(_cell_text(tc, cells)))
                if origin >= 0:
                    rows[origin][col].vspan += 1
            else:
                row.append(GCell(_cell_text(tc, cells)))
            row.extend(GCell(cover="h") for _ in range(span - 1))
        row.extend(GCell() for _ in range(max(0, min(after, most - len(row)))))
        cells.take(len(row))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    cells.take(sum(width - len(row) for row in rows))
    for row in rows:
        row.extend(GCell() for _ in range(width - len(row)))
    return rows


def _origin(rows: list[list[GCell]], col: int) -> int:
    """The row of the merged cell that a vMerge="continue" at `col` belongs to (-1: none)."""
    for r in range(len(rows) - 1, -1, -1):
        if col >= len(rows[r]):
            return -1
        cell = rows[r][col]
        if cell.cover == "v":
            return cell.origin
        if cell.cover == "":
            return r
        return -1
    return -1
