"""PDF reports with pdfplumber: ruled tables as cell grids, everything else as text lines.

Per page, tables are found by their ruling lines (`find_tables`); each becomes a grid in which
a position that no cell starts on is covered by the merged cell whose box contains it (to its
left or above, see `office.Normalizer`); a cell's wrapped lines are kept as "\\n" and joined by
the extractor. A table that goes on on the next page (same columns, nothing but the page number
between) stays one table; a header row repeated there is skipped by the extractor.

Text outside the ruled tables becomes text lines in reading order, each line knowing where its
pieces stand. A table drawn without ruling lines is read from those positions: the lines are
laid out as column-aligned text and read by the same reader as `pdftotext -layout` output
(`extract/aligned.py`), which finds the header line and the columns; the page positions then
decide what the text alone cannot (`_Geometry`: which lines make a row, where a row that a page
break cut goes on, which cells are merged over several rows; `_Head`: the project head above
the header). A paragraph of prose wrapped over several lines becomes one text line.

A PDF whose text layer is missing (a scan) or unusable (glyphs without a Unicode mapping, shown
as (cid:NN), or text decoded with the wrong encoding) is not read as text: the document gets
`text_ok = False` and a note saying why, and no tables.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from targetqa import rx
from targetqa.extract import aligned, columns
from targetqa.extract.layout import CellRow, TextLine, compact, join_wrapped
from targetqa.extract.layout import is_page_debris as is_page_debris_line
from targetqa.extract.meta import is_head_key
from targetqa.ingest.office import Builder, GCell, clean_cell
from targetqa.limits import limit, over
from targetqa.model import Document, InputError
from targetqa.taxonomy import LEVEL1_ALIASES, LEVEL2_ALIASES
from targetqa.terminal import display_width

# pdfminer reports what it repairs in a damaged file as English log warnings, which Python would
# print raw on stderr; what matters to the user is said in Chinese in the document's notes.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())
logging.getLogger("pdfminer").setLevel(logging.ERROR)
logging.getLogger("pdfminer").propagate = False

# A line that is only a page number: "3", "- 3 -", "第3页", "第 3 页 共 20 页", "3/20".
_PAGE_NUMBER = rx.compile(
    r"^[\s\-—–－·•]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:[/／]|共)\s*\d{1,4}\s*页?)?[\s\-—–－·•]*$"
)
_MARGIN = 0.09  # top and bottom share of a page where a page number may stand
_HEAD_BAND = 0.075  # top and bottom share of a page where running heads and feet stand


@dataclass
class _Quality:
    chars: int = 0  # printable characters, spaces left out
    cid: int = 0  # glyphs without a Unicode mapping: "(cid:NN)"
    bad: int = 0  # private-use, replacement and control characters
    cjk: int = 0
    cjk_common: int = 0  # CJK characters among the 3,755 most common (GB2312 level 1)
    latin1: int = 0  # À-ÿ and the like: UTF-8 or GBK bytes read as Latin-1 / cp1252

    def add(self, text: str) -> None:
        for ch in text:
            if ch.isspace():
                continue
            self.chars += 1
            o = ord(ch)
            if 0x4E00 <= o <= 0x9FFF:
                self.cjk += 1
                if _common(ch):
                    self.cjk_common += 1
            elif 0xE000 <= o <= 0xF8FF or o == 0xFFFD or o < 0x20 or 0x7F <= o < 0xA0:
                self.bad += 1
            elif 0xA0 <= o <= 0xFF or 0x152 <= o <= 0x192 or 0x2C6 <= o <= 0x2DC:
                self.latin1 += 1

    def merge(self, other: _Quality) -> None:
        for name in ("chars", "cid", "bad", "cjk", "cjk_common", "latin1"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def problem(self) -> str:
        """Why this text cannot be read as text, in Chinese; "" when it reads fine."""
        n = self.chars + self.cid
        if n == 0:
            return ""
        if self.cid >= 5 and self.cid > 0.05 * n:
            return f"{self.cid} 个字形没有文字编码（提取结果为 (cid:NN)），字体缺少 ToUnicode 映射"
        if self.bad >= 5 and self.bad > 0.10 * n:
            return f"{self.bad} 个字符是私用区、替换符或控制字符，文字层编码错误"
        if self.latin1 >= 10 and self.latin1 > 0.15 * n and self.latin1 > self.cjk:
            return "文字是乱码（中文被按西文编码解读）"
        if self.cjk >= 200 and self.cjk_common < 0.6 * self.cjk:
            share = round(100 * self.cjk_common / self.cjk)
            return f"汉字大多是生僻字（常用字只占 {share}%），文字层映射错误，是乱码"
        return ""


def _common(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= b[0] <= 0xD7


@dataclass
class _Block:
    """Something on a page in reading order: a text line or a table."""

    top: float
    text: str = ""
    grid: list[list[GCell]] | None = None
    cols: list[float] = field(default_factory=list)  # column left edges
    right: float = 0.0  # the table's right edge
    furniture: bool = False
    margin: bool = False  # a text line in the running-head or running-foot band
    pieces: list[tuple[float, float, str]] = field(default_factory=list)  # text line: x0, x1, text
    em: float = 0.0  # text line: its CJK character width (its font size), 0 when it has none
    bottom: float = 0.0
    open_end: set[int] = field(default_factory=set)  # pieces a space character follows (wrapped there)


def read(path: Path, data: bytes) -> Document:
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("缺少 pdfplumber，无法读取 PDF 文件") from None
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        raise InputError(_open_error(exc)) from None
    if not pages:
        pdf.close()
        raise InputError("PDF 文件没有任何页面（可能已损坏或不完整）")
    if len(pages) > limit("pdf_pages"):
        pdf.close()
        raise over("pdf_pages", "PDF 页数过多", len(pages), " 页")
    notes: list[str] = []
    per_page: list[list[_Block]] = []
    quality = _Quality()
    scanned: list[int] = []  # pages without text that show images: scanned pages
    textless: list[int] = []
    garbled: list[tuple[int, str]] = []
    broken: list[int] = []
    try:
        for number, page in enumerate(pages, start=1):
            try:
                blocks, q, images = _read_page(page)
            except Exception:  # noqa: BLE001 - one unreadable page must not lose the others
                broken.append(number)
                per_page.append([])
                continue
            finally:
                page.flush_cache() if hasattr(page, "flush_cache") else None
            quality.merge(q)
            if q.chars + q.cid < 10:
                textless.append(number)
                if images:
                    scanned.append(number)
            elif q.chars + q.cid >= 30 and q.problem():
                garbled.append((number, q.problem()))
            per_page.append(blocks)
    finally:
        pdf.close()
    doc_problem = quality.problem()
    total = len(pages)
    if broken and len(broken) == total:
        raise InputError("PDF 文件已损坏，没有一页能够读取")
    if broken:
        notes.append(f"第 {_pages(broken)} 页无法解析，已跳过")
    if quality.chars < 20 * total and len(textless) + len(broken) >= max(1, total // 2):
        doc = Document(path=str(path), fmt="pdf", text_ok=False)
        if scanned:
            why = f"PDF 没有文字层（共 {total} 页，{len(scanned)} 页只有图片），可能是扫描件"
        else:
            why = f"PDF 页面上没有可提取的文字（共 {total} 页），可能是空白页或文字被转成了图形"
        doc.notes = notes + [f"{why}，无法读取其中的表格；请提供带文字层的 PDF 或原始 DOCX/XLSX 文件"]
        return doc
    if doc_problem or len(garbled) >= max(1, (total - len(scanned)) // 2):
        reason = doc_problem or garbled[0][1]
        doc = Document(path=str(path), fmt="pdf", text_ok=False)
        doc.lines = [b.text for blocks in per_page for b in blocks if b.text]
        sample = next((ln.strip() for ln in doc.lines if len(ln.strip()) >= 4 and "(cid:" not in ln), "")
        shown = f"，如“{sample[:16]}”" if sample else ""
        doc.notes = notes + [f"PDF 的文字层无法使用：{reason}{shown}；表格内容未被审核，请提供可复制文字的 PDF 或原始文件"]
        return doc
    if scanned:
        notes.append(f"第 {_pages(scanned)} 页没有文字层（可能是扫描页），这些页的内容未被读取")
    if garbled:
        notes.append(f"第 {_pages([n for n, _ in garbled])} 页文字层是乱码（{garbled[0][1]}），这些页的内容未被读取")
    for number, _ in garbled:
        per_page[number - 1] = []
    _mark_running_heads(per_page)
    out = Builder()
    parts = list(_stitch(per_page))
    try:
        parts = _paragraphs(_positioned_tables(parts))
    except Exception:  # noqa: BLE001 - an odd layout must not lose the document: its lines as read
        pass
    for part in parts:
        if isinstance(part, _Table):
            out.grid(part.grid, row_pages=part.pages)
        elif isinstance(part, _Row):
            out.cells(part.cells, part.page)
        else:
            page, block = part
            out.text(block.text, page)
    doc = out.document(path, "pdf")
    doc.notes.extend(notes)
    return doc


def _open_error(exc: BaseException) -> str:
    """Why pdfplumber could not open the file, in Chinese (pdfplumber wraps pdfminer's errors)."""
    names = []
    seen: BaseException | None = exc
    while seen is not None and len(names) < 5:
        names.append(type(seen).__name__)
        names.extend(type(a).__name__ for a in getattr(seen, "args", ()) if isinstance(a, BaseException))
        seen = seen.__cause__ or seen.__context__
    if any("Password" in n or "Encrypt" in n for n in names):
        return "PDF 已加密，需要密码才能打开，无法读取"
    return "PDF 文件已损坏或不完整，无法解析（可能下载中断或文件被截断）"


def _pages(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers[:20]) + ("等" if len(numbers) > 20 else "")


def _read_page(page) -> tuple[list[_Block], _Quality, bool]:
    q = _Quality()
    chars = page.chars
    for ch in chars:
        text = ch.get("text", "")
        if text.startswith("(cid:"):
            q.cid += 1
        else:
            q.add(text)
    images = bool(page.images)
    if not chars:
        return [], q, images
    blocks: list[_Block] = []
    boxes: list[tuple[float, float, float, float]] = []
    if page.lines or page.rects or page.curves:
        for table in page.find_tables():
            block = _table_block(table)
            if block is None:
                continue
            blocks.append(block)
            boxes.append(table.bbox)

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    height = float(page.height) or 1.0
    spaces = sorted((float(c["top"]), float(c["x0"])) for c in chars if c.get("text") == " ")
    for line in rest.extract_text_lines(strip=True, return_chars=True):
        text = line["text"]
        if not text.strip():
            continue
        top, bottom = float(line["top"]), float(line["bottom"])
        in_margin = top < _MARGIN * height or bottom > (1 - _MARGIN) * height
        band = top < _HEAD_BAND * height or bottom > (1 - _HEAD_BAND) * height
        pieces, em = _line_pieces(line["chars"], text)
        near = [x for y, x in spaces if abs(y - top) <= 2.0]
        open_end = {k for k, (_, x1, _) in enumerate(pieces) if any(abs(x - x1) <= 1.0 for x in near)}
        blocks.append(
            _Block(top=top, text=text, furniture=in_margin and bool(_PAGE_NUMBER.match(text)), margin=band,
                   pieces=pieces, em=em, bottom=bottom, open_end=open_end)
        )
    blocks.sort(key=lambda b: b.top)
    return blocks, q, images


def _table_block(table) -> _Block | None:
    """A pdfplumber table as a grid; a single box around text (a framed title) is not a table."""
    rows = table.rows
    if not rows:
        return None
    ncols = max(len(r.cells) for r in rows)
    if ncols < 2:
        return None
    cells = [c for r in rows for c in r.cells if c is not None]
    inside = _cell_chars(table.page.chars, cells)
    col_x = [None] * ncols
    for r in rows:
        for k, c in enumerate(r.cells):
            if c is not None and col_x[k] is None:
                col_x[k] = c[0]
    row_y = [min(c[1] for c in r.cells if c is not None) for r in rows]
    grid: list[list[GCell]] = []
    for i, r in enumerate(rows):
        out: list[GCell] = []
        for k in range(ncols):
            c = r.cells[k] if k < len(r.cells) else None
            if c is not None:
                out.append(GCell(clean_cell(_cell_text(inside.get(c, [])))))
                continue
            out.append(_cover(cells, col_x[k], row_y[i], row_y))
        grid.append(out)
    # how many grid rows each own cell spans, for a merge that a page break cuts; whether its
    # last line is full, for a row that a page break splits
    for i, r in enumerate(rows):
        for k, c in enumerate(r.cells):
            if c is not None:
                grid[i][k].vspan = sum(1 for y in row_y[i:] if y < c[3] - 0.5)
                grid[i][k].full = _last_line_full(inside.get(c, []), c)
    if any(x is None for x in col_x):
        return None
    return _Block(top=float(table.bbox[1]), grid=grid, cols=[float(x) for x in col_x], right=float(table.bbox[2]))


_Char = tuple[float, float, float, float, str]  # top, bottom, x0, x1, text


def _cell_chars(chars, cells) -> dict[tuple, list[_Char]]:
    """The characters inside each cell box (by their middle point)."""
    found: dict[tuple, list[_Char]] = {}
    boxes = sorted(cells, key=lambda c: (c[1], c[0]))
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for box in boxes:
            if box[1] > cy:
                break
            if box[0] <= cx < box[2] and box[1] <= cy < box[3]:
                found.setdefault(box, []).append(
                    (float(ch["top"]), float(ch["bottom"]), float(ch["x0"]), float(ch["x1"]), ch.get("text", ""))
                )
                break
    return found


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped into visual lines, top to bottom, each left to right."""
    lines: list[list[_Char]] = []
    for ch in sorted(chars, key=lambda c: (c[0], c[2])):
        if lines:
            ref = lines[-1][0]
            if abs(ch[0] - ref[0]) <= max(2.0, 0.4 * (ref[1] - ref[0])):
                lines[-1].append(ch)
                continue
        lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c[2])
    return lines


def _cell_text(chars: list[_Char]) -> str:
    """A cell's text, its wrapped lines kept apart by "\n". A line that ends on a real space
    character wrapped at that space: it is joined to the next with the space, as written."""
    out = ""
    for line in _lines(chars):
        text = ""
        prev = None
        for ch in line:
            if prev is not None and ch[2] - prev[3] > 3 and not text.endswith(" ") and ch[4] != " ":
                text += " "  # a gap wider than pdfplumber's x_tolerance is a space
            text += ch[4]
            prev = ch
        text = rx.sub(r" {2,}", " ", text)
        if not text.strip():
            continue
        if not out:
            out = text.lstrip()
        elif out.endswith(" "):
            out += text.lstrip()
        else:
            out += "\n" + text.lstrip()
    return out.strip()


def _last_line_full(chars: list[_Char], box) -> bool:
    """Does the cell's last line reach (about) as far right as a wrapped line can go?"""
    chars = [c for c in chars if c[4].strip() and not c[4].startswith("(cid:")]
    if not chars:
        return False
    lines = _lines(chars)
    width = sum(c[3] - c[2] for c in chars) / len(chars)
    last_right = max(c[3] for c in lines[-1])
    if len(lines) >= 2:
        widest = max(max(c[3] for c in line) for line in lines)
        return last_right >= widest - 1.6 * width
    return box[2] - last_right <= 2 * width + 6


def _cover(cells, x: float | None, y: float, row_y: list[float]) -> GCell:
    """What covers the grid position at column edge x, row top y: a merge to the left or above."""
    if x is None:
        return GCell()
    for x0, top, x1, bottom in cells:
        if x0 - 0.5 <= x < x1 - 0.5 and top - 0.5 <= y < bottom - 0.5:
            if abs(top - y) <= 0.5 or x0 < x - 0.5:
                return GCell(cover="h")
            origin = next((i for i, ry in enumerate(row_y) if abs(ry - top) <= 0.5), -1)
            return GCell(cover="v", origin=origin) if origin >= 0 else GCell()
    return GCell()


def _mark_running_heads(per_page: list[list[_Block]]) -> None:
    """A text line in the top or bottom margin, repeated at the same height on most pages (a
    running head or foot), is furniture. Lines in the body never are: a table title repeated on
    every page is content."""
    if len(per_page) < 3:
        return
    seen: Counter[tuple[str, int]] = Counter()
    for blocks in per_page:
        keys = {(rx.sub(r"\d+", "#", b.text.strip()), round(b.top / 4)) for b in blocks if b.grid is None and b.margin}
        seen.update(keys)
    limit = max(3, len(per_page) // 2)
    common = {k for k, n in seen.items() if n >= limit}
    if not common:
        return
    for blocks in per_page:
        for b in blocks:
            if b.grid is None and b.margin and (rx.sub(r"\d+", "#", b.text.strip()), round(b.top / 4)) in common:
                b.furniture = True


# --- tables that a page break cut in two -------------------------------------------------------

_TIGHT = 3.0  # points: two column edges this close are the same edge
_VALUE_ROLES = {"operator", "value", "unit"}
_HEAD_LABELS = ("项目名称", "项目编码", "绩效目标", "年度目标", "年度绩效目标", "总体目标", "资金用途", "主管部门",
                "项目单位", "实施单位", "预算单位", "预算项目绩效表")
_TABLE_TITLE = rx.compile(r"绩效目标表|绩效表$|绩效目标完成情况表")
_LEVEL_ROLES = {"level1", "level2"}


@dataclass
class _Table:
    grid: list[list[GCell]]
    cols: list[float]
    right: float
    pages: list[int]


def _stitch(per_page: list[list[_Block]]):
    """Text lines as (page, block) and tables as `_Table`, a table cut by a page break made whole.

    The part on the next page continues the table when nothing but page furniture lies between
    them and both span the same width. The header row repeated there is dropped; a row that the
    break split (its first row holds no level label, no value and no row number) is joined to the
    row it belongs to; a merged cell cut by the break becomes one merged cell again.
    """
    flat: list[tuple[int, _Block]] = [
        (number, b) for number, blocks in enumerate(per_page, start=1) for b in blocks if not b.furniture
    ]
    current: _Table | None = None
    last_page = 0
    for number, block in flat:
        if block.grid is None:
            if current is not None:
                yield current
                current = None
            yield number, block
            last_page = number
            continue
        part = _Table(block.grid, block.cols, block.right, [number] * len(block.grid))
        if (
            current is not None
            and number == last_page + 1
            and abs(current.cols[0] - part.cols[0]) <= _TIGHT
            and abs(current.right - part.right) <= _TIGHT
        ):
            current = _join(current, part)
        else:
            if current is not None:
                yield current
            current = part
        last_page = number
    if current is not None:
        yield current


def _union(a: list[float], b: list[float]) -> list[float]:
    edges: list[float] = []
    for x in sorted(a + b):
        if not edges or x - edges[-1] > _TIGHT:
            edges.append(x)
    return edges


def _regrid(t: _Table, edges: list[float]) -> list[list[GCell]]:
    """The grid on finer columns: a column that now spans several gets "h" covers beside it."""
    at = [min(range(len(edges)), key=lambda i: abs(edges[i] - x)) for x in t.cols]
    if at == list(range(len(edges))):
        return t.grid
    out = []
    for row in t.grid:
        new = [GCell(cover="h") for _ in edges]
        for k, cell in enumerate(row):
            new[at[k]] = cell
        out.append(new)
    return out


def _texts(row: list[GCell]) -> list[str]:
    return [compact(c.text) if not c.cover else "" for c in row]


def _drop_rows(grid: list[list[GCell]], n: int) -> list[list[GCell]]:
    """Grid without its first n rows; merges that started there start on the first kept row."""
    rest = grid[n:]
    for c in range(len(rest[0]) if rest else 0):
        first = rest[0][c]
        if first.cover == "v" and first.origin < n:
            rest[0][c] = GCell(vspan=first.vspan)
            start = 0
        else:
            start = -1
        for row in rest[1:]:
            cell = row[c]
            if cell.cover == "v":
                cell.origin = start if cell.origin < n else cell.origin - n
    return rest


def _roles(grid: list[list[GCell]]) -> tuple[list[str], bool] | None:
    """Field of each column from the table's header (and subheader); whether rows are numbered."""
    for r, row in enumerate(grid):
        texts = [c.text if not c.cover else "" for c in row]
        if not columns.is_header(texts):
            continue
        roles = []
        owner = ""
        for c in row:
            if not c.cover:
                owner = columns.field_of(c.text)
            roles.append(owner)
        if r + 1 < len(grid):
            sub = [c.text if not c.cover else "" for c in grid[r + 1]]
            if columns.is_subheader(columns.strip_row_number(sub)):
                roles = [columns.field_of(t) if compact(t) else roles[k] for k, t in enumerate(sub)]
        numbered = columns.has_row_number_column(texts)
        return roles, numbered
    return None


def _owner(grid: list[list[GCell]], r: int, c: int) -> tuple[int, int]:
    """The grid position of the cell that covers (r, c)."""
    while c > 0 and grid[r][c].cover == "h":
        c -= 1
    if grid[r][c].cover == "v" and grid[r][c].origin >= 0:
        r = grid[r][c].origin
    return r, c


def _join(acc: _Table, part: _Table) -> _Table:
    edges = _union(acc.cols, part.cols)
    grid = _regrid(acc, edges)
    new = _regrid(part, edges)
    pages = list(acc.pages)
    new_pages = list(part.pages)
    # the header (and subheader) repeated on the new page
    head = next((r for r, row in enumerate(grid) if columns.is_header([c.text for c in row])), None)
    if head is not None:
        n = 0
        while n < 2 and n < len(new) and head + n < len(grid):
            if _texts(new[n]) != _texts(grid[head + n]) or not any(_texts(new[n])):
                break
            n += 1
        if n:
            new, new_pages = _drop_rows(new, n), new_pages[n:]
    if not new:
        return _Table(grid, edges, acc.right, pages)
    last = len(grid) - 1
    first = new[0]
    # a merged cell that the break cut: its part on the new page joins it again
    for c, cell in enumerate(first):
        above = grid[last][c]
        if cell.cover:
            continue
        if above.cover == "v" and above.origin >= 0:
            # the merge reaches the foot of the page: an empty or tall cell below goes on with it
            if cell.text and cell.vspan <= 1:
                continue
            top = above.origin
        elif not above.cover and above.text and not cell.text and cell.vspan > 1:
            # a merge that starts on the page's last row: a tall empty box on top of the next page
            top = last
        else:
            continue
        origin = grid[top][c]
        if cell.text:
            origin.text = origin.text + "\n" + cell.text
        first[c] = GCell(cover="v", origin=top - len(grid))  # re-based below
        for row in new[1:]:
            if row[c].cover == "v" and row[c].origin == 0:
                row[c].origin = top - len(grid)
    # a row that the break split: its rest joins the row on the previous page
    if _is_fragment(first, grid):
        for c, cell in enumerate(first):
            if cell.cover:
                continue
            r0, c0 = _owner(grid, last, c)
            if cell.text:
                target = grid[r0][c0]
                target.text = (target.text + "\n" + cell.text) if target.text else cell.text
            for row in new[1:]:
                if row[c].cover == "v" and row[c].origin == 0:
                    row[c].origin = r0 - len(grid)
        for row in new[1:]:
            for cell in row:
                if cell.cover == "v" and cell.origin > 0:
                    cell.origin -= 1
        new, new_pages = new[1:], new_pages[1:]
    base = len(grid)
    for row in new:
        for cell in row:
            if cell.cover == "v":
                cell.origin += base
    return _Table(grid + new, edges, acc.right, pages + new_pages)


def _is_fragment(first: list[GCell], grid: list[list[GCell]]) -> bool:
    """Is the first row on the new page the rest of a row that the page break split?"""
    own = [(k, c.text) for k, c in enumerate(first) if not c.cover]
    if not any(t for _, t in own):
        return False
    if columns.is_header([c.text for c in first]):
        return False
    lead = next((compact(t) for _, t in own if compact(t)), "")
    if lead.startswith(_HEAD_LABELS) or _TABLE_TITLE.search(lead):
        return False  # the head of another table
    found = _roles(grid)
    if found is None:
        # a table's head: its rows start with a label (or a row number); a split row does not
        return not first[0].cover and not first[0].text
    roles, numbered = found
    if numbered:
        return not first[0].cover and not first[0].text
    # A split row leaves its short cells (operator, value, unit) on the first page; its level
    # cells are empty (merged) or the wrapped end of a label ("度指标"), never a whole label.
    for k, r in enumerate(roles):
        if r in _LEVEL_ROLES and k < len(first) and not first[k].cover and first[k].text:
            label = compact(first[k].text)
            if label in LEVEL1_ALIASES or label in LEVEL2_ALIASES:
                return False
    values = [k for k, r in enumerate(roles) if r in _VALUE_ROLES and k < len(first)]
    if values:
        return all(not first[k].text for k in values if not first[k].cover)
    # No value column (决算 tables: 预期 / 实际). A split row either leaves a cell empty whose
    # text ended on the page before, or every text it holds goes on from a cell whose last line
    # ran full width (the text was cut mid-paragraph).
    last = len(grid) - 1
    ended = cut = False
    all_cut = True
    for k, cell in enumerate(first):
        if cell.cover or k >= len(roles) or roles[k] in ("", "ignore", "level1", "level2"):
            continue
        r0, c0 = _owner(grid, last, k)
        above = grid[r0][c0]
        if not cell.text:
            ended = ended or bool(above.text)
        else:
            cut = True
            all_cut = all_cut and bool(above.text) and above.full
    return ended or (cut and all_cut)


# --- tables without ruling lines: text positions ------------------------------------------------

_PIECE_GAP = 0.6  # share of the font size: a wider gap between two characters parts two cells
_SPACE_GAP = 0.3  # a narrower one is no space (CJK-Latin autospacing) unless the PDF has a space there


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _line_pieces(chars, text: str = "") -> tuple[list[tuple[float, float, str]], float]:
    """A text line's pieces (x0, x1, text): runs of characters without a gap wide enough to part
    two table cells; and the line's CJK character width (0 when it has no CJK character).

    `text` is pdfplumber's text of the line: it has a space where the PDF has a space
    character, which the line's characters leave out (a gap alone cannot tell a space from
    the narrower one that spacing between CJK and Latin letters leaves)."""
    chars = [c for c in chars if c.get("text") and c["text"].strip()]
    spaced_before = _spaces_before(chars, text)
    order = sorted(range(len(chars)), key=lambda i: float(chars[i]["x0"]))
    widths = sorted(float(c["x1"]) - float(c["x0"]) for c in chars if _is_cjk(c["text"]))
    em = widths[len(widths) // 2] if widths else 0.0
    pieces: list[tuple[float, float, str]] = []
    out = ""
    x0 = x1 = 0.0
    for i in order:
        ch = chars[i]
        size = float(ch.get("size") or 0) or em or 10.0
        left, right = float(ch["x0"]), float(ch["x1"])
        if out and left - x1 > _PIECE_GAP * size:
            pieces.append((x0, x1, out))
            out = ""
        if not out:
            x0, x1 = left, right
        elif spaced_before[i] or left - x1 > _SPACE_GAP * size:
            out += " "
        out += ch["text"]
        x1 = max(x1, right)
    if out:
        pieces.append((x0, x1, out))
    return pieces, em


def _spaces_before(chars, text: str) -> list[bool]:
    """For each character, whether `text` has a space right before it."""
    flags = [False] * len(chars)
    k = 0
    space = False
    for t in text:
        if t.isspace():
            space = True
            continue
        if k >= len(chars):
            break
        if chars[k]["text"] != t:
            return [False] * len(chars)  # not the same order: go by the gaps alone
        flags[k] = space
        space = False
        k += 1
    return flags


def _render(pieces: list[tuple[float, float, str]], unit: float, left: float) -> tuple[str, list[int]]:
    """A line as column-aligned text: each piece at its position, in half CJK widths (the
    display-width measure the aligned-text reader knows from pandoc), two spaces at least
    between pieces; and where each piece starts."""
    out = ""
    width = 0
    starts = []
    for x0, _, text in pieces:
        at = max(0, round((x0 - left) / unit))
        if out:
            at = max(at, width + 2)
        out += " " * (at - width) + text
        starts.append(at)
        width = at + display_width(text)
    return out, starts


@dataclass
class _Row:
    """A row of cells rebuilt from text positions (a table without ruling lines)."""

    cells: list[str]
    page: int


def _positioned_tables(parts: list) -> list:
    """Tables drawn without ruling lines, read from the positions of their text.

    The text lines are laid out as column-aligned text (what `pdftotext -layout` writes) and
    handed to the aligned-text reader, which finds the header line (一级指标 二级指标 … as
    pieces of their own), the columns and the rows; its rows replace the lines they came from,
    each on the page of its first line. Ruled tables stand between as barriers.
    """
    texts = [b for p in parts if not isinstance(p, _Table) for b in [p[1]] if b.pieces]
    if not any("一级" in b.text and "二级" in b.text for b in texts):
        return parts
    ems = [b.em for b in texts if b.em and sum(1 for ch in b.text if _is_cjk(ch)) >= 4]
    unit = max(2.0, min(ems) / 2) if ems else 5.0
    left = min(p[0] for b in texts for p in b.pieces[:1])
    items = []
    where: dict[int, tuple[int, _Block, set[int]]] = {}
    for k, part in enumerate(parts, start=1):
        if isinstance(part, _Table) or not part[1].pieces:
            items.append(CellRow([], [k]))  # a barrier
        else:
            page, block = part
            text, starts = _render(block.pieces, unit, left)
            items.append(TextLine(text, k))
            where[k] = (page, block, {starts[i] for i in block.open_end})
    found = aligned.cells_from_aligned_text(items, _Geometry(where), _Head(where, _line_step(texts), left))
    if found is items:
        return parts
    _fill_basis(found)
    out: list = []
    for it in found:
        if isinstance(it, TextLine):
            out.append(parts[it.line - 1])
        elif not it.cells:
            out.append(parts[it.lines[0] - 1])
        else:
            out.append(_Row(list(it.cells), _page_of(parts[min(it.lines) - 1])))
    return out


def _fill_basis(items: list) -> None:
    """An empty basis under a basis takes it: without ruling lines a cell merged over several
    rows looks just like that, and merging the basis that rows share is the common layout (the
    ruled reader repeats a merged cell on every row it covers). Rows with nothing but labels
    are left alone."""
    fields: list[str] = []
    above = ""
    for it in items:
        if not isinstance(it, CellRow) or not it.cells:
            fields, above = [], ""
            continue
        if columns.is_header(it.cells):
            fields = [columns.field_of(c) for c in it.cells]
            above = ""
            continue
        if "basis" not in fields or len(it.cells) != len(fields):
            continue
        at = fields.index("basis")
        if compact(it.cells[at]):
            above = it.cells[at]
        elif above and any(compact(c) for c, f in zip(it.cells, fields) if f in _ANCHORS):
            it.cells[at] = above


def _page_of(part) -> int:
    if isinstance(part, _Table):
        return part.pages[0]
    return part[0]


_LEVELS = ("level1", "level2")
_ANCHORS = {"level3", "description", "operator", "value", "unit", "expected", "actual", "number"}
_LABEL_STARTS = tuple({lab[:3] for lab in list(LEVEL1_ALIASES) + list(LEVEL2_ALIASES) if len(lab) >= 3})
_LABELS = set(LEVEL1_ALIASES) | set(LEVEL2_ALIASES)


def _starts_label(text: str) -> bool:
    c = compact(text)
    return c.startswith(_LABEL_STARTS) or c in _LABELS


def _label_goes_on(before: str, text: str) -> bool:
    """'部门' then '产出': the second part of a label, not a label of its own."""
    a, b = compact(before), compact(text)
    if not a or a in _LABELS:
        return False
    joined = a + b
    return any(lab.startswith(joined) for lab in _LABELS)


@dataclass
class _Cell:
    col: int
    lines: list[int]  # indices into the table's data lines
    top: float  # on one vertical axis over the pages
    bottom: float


class _Geometry:
    """Rows of a table without ruling lines, from where its lines stand on the page.

    A cell's wrapped lines follow each other at the line pitch; between two rows there is more
    space (padding, a paragraph's spacing), so in each column a wider step ends a cell, as does
    a new level label. Cells of one row overlap vertically, whether set at the top of the row
    or centred in it, and cells of two rows do not: rows are the groups of overlapping cells in
    the columns that every row fills for itself (name, description, value). A group with a
    single cell is a paragraph of a cell above, set apart by its spacing, unless a level label
    or a row number starts beside it. Level labels and the basis, often merged over several
    rows, go to the row they start in (a label centred over its group: to the group's first
    row); a merged cell whose text runs on over the rows below is repeated on those rows, as
    the ruled-table reader does. A row that a page break cut goes on at the top of the next
    page when that line opens no label, value or row number.

    Without wider steps (rows set at the line pitch) the lines say nothing about rows, and the
    aligned-text reader's own clues decide (`None`).
    """

    def __init__(self, where: dict[int, tuple[int, _Block, set[int]]]):
        self.where = where  # line number -> page, text line, where its pieces a space follows start

    def __call__(self, data, grid, fields):
        if not data or any(tl.line not in self.where for tl in data):
            return None
        self.fields = fields
        self.grid = grid
        self.pages = [self.where[tl.line][0] for tl in data]
        blocks = [self.where[tl.line][1] for tl in data]
        height = max(b.bottom for b in blocks) + 1.0
        self.y = [(p - self.pages[0]) * 2 * height + b.top for p, b in zip(self.pages, blocks)]
        self.y_end = [(p - self.pages[0]) * 2 * height + b.bottom for p, b in zip(self.pages, blocks)]
        limit = self._pitch_limit()
        if limit is None:
            return None
        cells = self._cells(limit)
        anchors = [c for c in cells if fields.get(c.col) in _ANCHORS]
        if not anchors:
            return None
        labels = [c for c in cells if fields.get(c.col) in _LEVELS and _starts_label(self._text(c))]
        groups = self._rows(anchors, labels)
        rows = [(min(c.top for c in g), max(c.bottom for c in g)) for g in groups]
        on_top = self._labels_on_top(labels, rows)
        if on_top:
            # a label in a row of its own (its other cells empty) makes that row
            for lab in labels:
                if not any(top - 2.0 <= lab.top <= bottom + self.slack for top, bottom in rows):
                    at = sum(1 for top, _ in rows if top < lab.top)
                    rows.insert(at, (lab.top, lab.bottom))
                    groups.insert(at, [])
        out: list[dict[int, list]] = [{} for _ in groups]
        for r, group in enumerate(groups):
            for c in sorted(group, key=lambda c: c.top):
                out[r].setdefault(c.col, []).extend(grid[k][c.col] for k in c.lines)
        rest = [c for c in cells if fields.get(c.col) not in _ANCHORS]
        for col in sorted({c.col for c in rest}):
            mine = [c for c in rest if c.col == col]
            if not on_top:
                self._place_centred(mine, rows, out)
            elif fields.get(col) in _LEVELS:
                for c in mine:  # set at the top of their first row
                    out[self._row_of(c, rows, mine)].setdefault(col, []).extend(self._pieces(c))
            else:
                self._place_merged(mine, rows, out)
        return [{col: self._rejoin(pieces) for col, pieces in row.items()} for row in out]

    def _rejoin(self, pieces: list) -> list:
        """A cell's line that wrapped at a space goes on with the next one after that space."""
        out: list = []
        open_end = False
        for piece in pieces:
            if out and open_end and piece.line != out[-1].line:
                out[-1] = replace(out[-1], text=out[-1].text + " " + piece.text)
            else:
                out.append(piece)
            open_end = piece.start in self.where[piece.line][2]
        return out

    def _pitch_limit(self) -> float | None:
        """The largest step from one line of a cell to the next; None when no step from a line
        to the next is wider than that (no gaps between rows to see)."""
        heights = sorted(self.y_end[k] - self.y[k] for k in range(len(self.y)))
        line = heights[len(heights) // 2]
        steps = [
            (self.y[k + 1] - self.y[k], bool(self.grid[k].keys() & self.grid[k + 1].keys()))
            for k in range(len(self.y) - 1)
            if self.pages[k] == self.pages[k + 1]
        ]
        # the pitch: the smallest step between two lines with text in the same column (lines of
        # a cell set between the lines of another, merged one, can be closer)
        pitch = min((d for d, shared in steps if shared and d >= 0.7 * line), default=0.0)
        if not pitch:
            return None
        limit = pitch * 1.15 + 1.0
        if not any(d > limit for d, _ in steps):
            return None
        self.slack = max(1.0, limit - line)  # a narrower gap between two cells: the same row
        return limit

    def _continues(self, k: int) -> bool:
        """Does line k, the first on a new page, go on with the row the page break cut?

        It does when it opens no label, row number or value, and each of its pieces can go on
        from the last line its column had on the page before: a line that reached as far right
        as the column's text goes (a cell wraps only where the next word does not fit)."""
        reach: dict[int, int] = {}
        for cells in self.grid:
            for col, piece in cells.items():
                reach[col] = max(reach.get(col, 0), piece.end)
        for col, piece in self.grid[k].items():
            field = self.fields.get(col, "")
            if field == "number" or (field in _LEVELS and _starts_label(piece.text)):
                return False
            before = [j for j in range(k) if col in self.grid[j] and self.pages[j] == self.pages[k - 1]] if k else []
            if not before:
                return False
            last = self.grid[before[-1]][col]
            word = _LATIN_HEAD.match(piece.text)
            need = len(word.group()) if word else 2
            if last.end + need <= reach[col] - 1:
                return False  # the line before had room for this text: a cell of its own
        return True

    def _cells(self, limit: float) -> list[_Cell]:
        cells: list[_Cell] = []
        for col in sorted({c for cells in self.grid for c in cells}):
            field = self.fields.get(col, "")
            current: _Cell | None = None
            for k, line in enumerate(self.grid):
                if col not in line:
                    continue
                new = current is None or field == "number"
                if not new:
                    last = current.lines[-1]
                    if self.pages[k] != self.pages[last]:
                        # the row goes on at the top of the new page, or the cell ended
                        first_on_page = next(j for j in range(len(self.grid)) if self.pages[j] == self.pages[k])
                        new = k != first_on_page or not self._continues(k)
                    else:
                        new = self.y[k] - self.y[last] > limit
                    if field in _LEVELS:
                        before = "".join(self.grid[j][col].text for j in current.lines)
                        if _label_goes_on(before, line[col].text):
                            new = False
                        elif compact(line[col].text).startswith(_LABEL_STARTS):
                            new = True
                if new:
                    current = _Cell(col, [k], self.y[k], self.y_end[k])
                    cells.append(current)
                else:
                    current.lines.append(k)
                    current.bottom = self.y_end[k]
        return cells

    def _rows(self, anchors: list[_Cell], labels: list[_Cell]) -> list[list[_Cell]]:
        """Anchor cells grouped into rows: groups of overlapping cells; a lone cell with no
        label or row number beside it goes on the row above (a paragraph of one of its cells)."""
        groups: list[list[_Cell]] = []
        bottom = 0.0
        for c in sorted(anchors, key=lambda c: (c.top, c.col)):
            if groups and c.top < bottom + self.slack:
                groups[-1].append(c)
                bottom = max(bottom, c.bottom)
                continue
            groups.append([c])
            bottom = c.bottom
        rows: list[list[_Cell]] = []
        for group in groups:
            top, end = min(c.top for c in group), max(c.bottom for c in group)
            first = min(group, key=lambda c: c.top).lines[0]
            real = (
                len({c.col for c in group}) >= 2
                or any(self.fields.get(c.col) == "number" for c in group)
                or any(top - 2.0 <= lab.top <= end for lab in labels)
                or (first > 0 and self.pages[first] != self.pages[first - 1] and not self._continues(first))
            )
            if rows and not real:
                rows[-1].extend(group)
            else:
                rows.append(group)
        return rows

    def _text(self, cell: _Cell) -> str:
        return "".join(self.grid[k][cell.col].text for k in cell.lines)

    def _row_of(self, cell: _Cell, rows: list[tuple[float, float]], column: list[_Cell]) -> int:
        """The row a cell starts in. One in the gap between two rows is a paragraph of the cell
        above it in its column when there is one (set apart by its spacing), else the next row's."""
        for k, (top, bottom) in enumerate(rows):
            if cell.top > bottom + 2.0:
                continue
            if cell.top >= top - 2.0 or k == 0:
                return k
            above = rows[k - 1]
            if any(o is not cell and o.top < cell.top and o.bottom >= above[0] and o.top <= above[1] + 2.0 for o in column):
                return k - 1
            return k
        return len(rows) - 1

    @staticmethod
    def _labels_on_top(labels: list[_Cell], rows: list[tuple[float, float]]) -> bool:
        """Are the labels set at the top of their rows (not centred over their groups)? Labels
        that lie between the rows (in a row with no other text) say nothing about it."""
        inside = [c for c in labels if any(top - 2.0 <= c.top <= bottom for top, bottom in rows)]
        return bool(inside) and all(any(abs(c.top - top) <= 2.0 for top, _ in rows) for c in inside)

    def _pieces(self, cell: _Cell) -> list:
        return [self.grid[k][cell.col] for k in cell.lines]

    def _place_centred(self, cells: list[_Cell], rows, out) -> None:
        """Cells centred over their group of rows (labels, a merged basis): the groups follow
        each other, and each ends where its cell sits in its middle; a cell goes to its group's
        first row (the labels are carried down, the basis filled down, from there)."""
        start = 0
        for c in cells:
            middle = (c.top + c.bottom) / 2
            end, best = start, None
            for e in range(start, len(rows)):
                if rows[e][1] < c.bottom - 1.0:
                    continue
                miss = abs((rows[start][0] + rows[e][1]) / 2 - middle)
                if best is None or miss < best:
                    best, end = miss, e
            out[start].setdefault(c.col, []).extend(self._pieces(c))
            start = min(end + 1, len(rows) - 1)

    def _place_merged(self, found: list[_Cell], rows, out) -> None:
        col = found[0].col
        for c in found:
            first = self._row_of(c, rows, found)
            pieces = [self.grid[k][col] for k in c.lines]
            out[first].setdefault(col, []).extend(pieces)
            for r in range(first + 1, len(rows)):
                if rows[r][0] >= c.bottom - 1.0:
                    break
                if not any(o.col == col and rows[r][0] - 2.0 <= o.top <= rows[r][1] for o in found):
                    out[r].setdefault(col, []).extend(pieces)  # a merged cell over this row too


def _line_step(blocks: list[_Block]) -> float:
    """The commonest step from one line to the next within a paragraph or a cell."""
    steps: Counter[float] = Counter()
    for a, b in zip(blocks, blocks[1:]):
        em = a.em or (a.bottom - a.top)
        if 0.9 * (a.bottom - a.top) <= b.top - a.top <= 2.5 * em:
            steps[round(b.top - a.top, 0)] += 1
    return steps.most_common(1)[0][0] if steps else 0.0


_HEAD_TITLES = ("预算项目绩效表", "项目绩效目标完成情况表", "项目支出绩效目标表")  # title rows inside a table
_HEAD_STOP = rx.compile(r"绩效目标表|绩效表|绩效指标表|目标完成情况表|绩效自评表|^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十\d]+部分)")
_ROW_NUMBER = rx.compile(r"^\d{1,3}(?:\.0+)?$")


class _Head:
    """The head of a table without ruling lines (project, code, budget, goals …), from positions.

    From the header line up, the head takes lines of several pieces (cells side by side) and
    single pieces that go on a cell: one line-step from the next line, or standing in a column
    of the head; it ends at a title, a heading or a paragraph at the margin. Its cells are the
    pieces of one column one line-step apart; a row starts at a wider step or at a row number
    or head key (项目名称 …) in the first column, except that a lone piece in a column the row
    already has (a cell's next paragraph) stays with the row.
    """

    def __init__(self, where: dict[int, tuple[int, _Block, set[int]]], step: float, left: float):
        self.where = where
        self.limit = step * 1.15 + 1.0 if step else 0.0
        self.left = left

    def _near(self, upper: int, lower: int) -> bool:
        (pa, a, _), (pb, b, _) = self.where[upper], self.where[lower]
        return pa == pb and 0 < b.top - a.top <= self.limit

    def __call__(self, items, h: int, floor: int):
        if not self.limit or items[h].line not in self.where:
            return None
        taken: list[int] = []  # item indices, bottom up
        self.columns = self._columns(items, h, floor)
        k = h - 1
        while k > floor:
            it = items[k]
            if not isinstance(it, TextLine) or it.line not in self.where:
                break
            _, block, _ = self.where[it.line]
            text = block.text.strip()
            if compact(text) in _HEAD_TITLES:
                taken.append(k)
                break
            if _HEAD_STOP.search(text) or is_page_debris_line(text):
                break
            if len(block.pieces) == 1 and not self._goes_on(items, k, taken, block):
                break
            taken.append(k)
            k -= 1
        if not taken:
            return None
        taken.reverse()
        return taken[0], self._rows(items, taken)

    def _goes_on(self, items, k: int, taken: list[int], block: _Block) -> bool:
        """Does a single piece belong to the head: a cell's next line, or in a column of it?"""
        below = items[taken[-1]].line if taken else items[k + 1].line
        if self._near(items[k].line, below):
            return True
        x0 = block.pieces[0][0]
        em = block.em or 10.0
        above = items[k - 1] if k > 0 else None
        if isinstance(above, TextLine) and above.line in self.where and self._near(above.line, items[k].line):
            pieces = self.where[above.line][1].pieces
            if len(pieces) >= 2 or (x0 > self.left + em and any(abs(x0 - p[0]) <= em for p in pieces)):
                return True  # the last line of a cell that starts above
        if x0 <= self.left + em:
            return False
        return any(abs(x0 - x) <= em for x in self.columns)

    def _columns(self, items, h: int, floor: int) -> list[float]:
        """Where the cells of the lines of several pieces above the header start, up to a title."""
        xs: list[float] = []
        k = h - 1
        while k > floor and h - k <= 60:
            it = items[k]
            if not isinstance(it, TextLine) or it.line not in self.where:
                break
            block = self.where[it.line][1]
            if compact(block.text) in _HEAD_TITLES or _HEAD_STOP.search(block.text):
                break
            if len(block.pieces) >= 2:
                xs.extend(p[0] for p in block.pieces)
            k -= 1
        return xs

    def _rows(self, items, taken: list[int]) -> list[CellRow]:
        blocks = [self.where[items[k].line][1] for k in taken]
        em = max(b.em for b in blocks) or 10.0
        starts = sorted(p[0] for b in blocks for p in b.pieces)
        columns: list[float] = []
        for x in starts:
            if not columns or x - columns[-1] > 0.8 * em:
                columns.append(x)

        def column(x: float) -> int:
            return max(c for c, start in enumerate(columns) if start <= x + 0.8 * em) if x + 0.8 * em >= columns[0] else 0

        rows: list[dict[int, list[tuple[str, int]]]] = []
        last = None
        open_cols: set[int] = set()  # columns whose last line wrapped at a space
        for k, block in zip(taken, blocks):
            line = items[k].line
            pieces = [(column(p[0]), p[2]) for p in block.pieces]
            lead = pieces[0][0] == 0 and (_ROW_NUMBER.match(pieces[0][1]) or is_head_key(pieces[0][1]))
            new = not rows or not self._near(last, line) or bool(lead)
            if new and rows and not lead and len(pieces) == 1 and pieces[0][0] in rows[-1] and pieces[0][0] > 0:
                new = False  # the next paragraph of a cell of this row
            if new:
                rows.append({})
                open_cols = set()
            for i, (c, text) in enumerate(pieces):
                cell = rows[-1].setdefault(c, [])
                if cell and c in open_cols:
                    cell[-1] = (cell[-1][0] + " " + text, cell[-1][1])
                else:
                    cell.append((text, line))
                if i in block.open_end:
                    open_cols.add(c)
                else:
                    open_cols.discard(c)
            last = line
        out: list[CellRow] = []
        for row in rows:
            cols = sorted(row)
            out.append(CellRow(["\n".join(t for t, _ in row[c]) for c in cols], [row[c][0][1] for c in cols]))
        return out


# --- prose wrapped over lines --------------------------------------------------------------------

_ENUMERATED = rx.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|第[一二三四五六七八九十\d]+[章节部分条])")
_SENTENCE_END = "。；;：:！!？?"
_LATIN_HEAD = rx.compile(r"^[A-Za-z0-9.,%+\-/]+")


def _right_margin(blocks: list[_Block]) -> float:
    """Where full lines of prose end: the furthest right edge that several long lines share."""
    ends = sorted((b.pieces[-1][1] for b in blocks if len(b.pieces) == 1 and len(b.text) >= 10), reverse=True)
    for k, x in enumerate(ends):
        if sum(1 for y in ends[k:] if x - y <= 3.0) >= 3:
            return x
    return 0.0


def _continues(a: tuple[int, _Block], b: tuple[int, _Block], right: float) -> bool:
    """Is line b the next line of the paragraph that line a wraps?"""
    (pa, la), (pb, lb) = a, b
    if len(la.pieces) != 1 or len(lb.pieces) != 1 or not la.em or not right:
        return False
    em = la.em
    if lb.em and abs(lb.em - em) > 0.15 * em:
        return False  # another font size: a title, a note
    if pb == pa:
        if lb.top < la.top or lb.top - la.top > 2.6 * em:
            return False
    elif pb != pa + 1:
        return False
    (ax0, ax1, _), (bx0, _, btext) = la.pieces[0], lb.pieces[0]
    if bx0 > ax0 + 0.5 * em:
        return False  # indented: a new paragraph
    # A wrapped line ends within a character of the margin, or up to three short of it when
    # line-breaking rules moved a pair like '县“' down, or a Latin word did not fit; a line that
    # ends a sentence that far short ends its paragraph.
    ended = la.text.rstrip()[-1:] in _SENTENCE_END
    word = _LATIN_HEAD.match(btext)
    reach = (1.2 if ended else 3.2) * em + (0.6 * em * len(word.group()) if word else 0.0)
    if ax1 < right - reach or ax1 > right + 2 * em:
        return False
    if ended and _ENUMERATED.match(btext):
        return False
    return True


def _paragraphs(parts: list) -> list:
    """Prose wrapped over lines joined into one text line per paragraph, at its first line.

    A PDF gives one text line per visual line; a line that runs to the right margin, followed
    by one that starts no further right in the same font, is a paragraph going on (CJK joined
    without a space, Latin words with one). Lines with several pieces (table text) stay apart.
    """
    blocks = [p[1] for p in parts if not isinstance(p, (_Table, _Row))]
    right = _right_margin(blocks)
    if not right:
        return parts
    out: list = []
    run: list[tuple[int, _Block]] = []

    def flush() -> None:
        if not run:
            return
        page, first = run[0]
        if len(run) > 1:
            text = join_wrapped("\n".join(b.text for _, b in run))
            first = _Block(top=first.top, text=text, pieces=first.pieces, em=first.em, bottom=run[-1][1].bottom)
        out.append((page, first))
        run.clear()

    for part in parts:
        if isinstance(part, (_Table, _Row)):
            flush()
            out.append(part)
            continue
        if run and not _continues(run[-1], part, right):
            flush()
        run.append(part)
    flush()
    return out
