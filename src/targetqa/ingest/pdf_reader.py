"""PDF reports with pdfplumber: ruled tables as cell grids, everything else as text lines.

Per page, tables are found by their ruling lines (`find_tables`); each becomes a grid in which
a position that no cell starts on is covered by the merged cell whose box contains it (to its
left or above, see `office.Normalizer`); a cell's wrapped lines are kept as "\\n" and joined by
the extractor. Text outside the tables becomes text lines in reading order, so a page without
ruling lines is read as the plain text that `extract/pdftext.py` parses. A table that goes on
on the next page (same columns, nothing but the page number between) stays one table; a header
row repeated there is skipped by the extractor.

A PDF whose text layer is missing (a scan) or unusable (glyphs without a Unicode mapping, shown
as (cid:NN), or text decoded with the wrong encoding) is not read as text: the document gets
`text_ok = False` and a note saying why, and no tables.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from targetqa.extract import columns
from targetqa.extract.layout import compact
from targetqa.ingest.office import Builder, GCell, clean_cell
from targetqa.model import Document, InputError
from targetqa.taxonomy import LEVEL1_ALIASES, LEVEL2_ALIASES

# A line that is only a page number: "3", "- 3 -", "第3页", "第 3 页 共 20 页", "3/20".
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·•]*(?:第\s*)?\d{1,4}\s*(?:页)?\s*(?:(?:[/／]|共)\s*\d{1,4}\s*页?)?[\s\-—–－·•]*$"
)
_MARGIN = 0.09  # top and bottom share of a page where a page number may stand
_HEAD_BAND = 0.075  # top and bottom share of a page where running heads and feet stand
MAX_PAGES = 3000


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
    if len(pages) > MAX_PAGES:
        pdf.close()
        raise InputError(f"PDF 页数过多（{len(pages)} 页，上限 {MAX_PAGES} 页）")
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
    for part in _stitch(per_page):
        if isinstance(part, _Table):
            out.grid(part.grid, row_pages=part.pages)
        else:
            page, text = part
            out.text(text, page)
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
    for line in rest.extract_text_lines(strip=True, return_chars=False):
        text = line["text"]
        if not text.strip():
            continue
        top, bottom = float(line["top"]), float(line["bottom"])
        in_margin = top < _MARGIN * height or bottom > (1 - _MARGIN) * height
        band = top < _HEAD_BAND * height or bottom > (1 - _HEAD_BAND) * height
        blocks.append(_Block(top=top, text=text, furniture=in_margin and bool(_PAGE_NUMBER.match(text)), margin=band))
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
        text = re.sub(r" {2,}", " ", text)
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
        keys = {(re.sub(r"\d+", "#", b.text.strip()), round(b.top / 4)) for b in blocks if b.grid is None and b.margin}
        seen.update(keys)
    limit = max(3, len(per_page) // 2)
    common = {k for k, n in seen.items() if n >= limit}
    if not common:
        return
    for blocks in per_page:
        for b in blocks:
            if b.grid is None and b.margin and (re.sub(r"\d+", "#", b.text.strip()), round(b.top / 4)) in common:
                b.furniture = True


# --- tables that a page break cut in two -------------------------------------------------------

_TIGHT = 3.0  # points: two column edges this close are the same edge
_VALUE_ROLES = {"operator", "value", "unit"}
_HEAD_LABELS = ("项目名称", "项目编码", "绩效目标", "年度目标", "年度绩效目标", "总体目标", "资金用途", "主管部门",
                "项目单位", "实施单位", "预算单位", "预算项目绩效表")
_TABLE_TITLE = re.compile(r"绩效目标表|绩效表$|绩效目标完成情况表")
_LEVEL_ROLES = {"level1", "level2"}


@dataclass
class _Table:
    grid: list[list[GCell]]
    cols: list[float]
    right: float
    pages: list[int]


def _stitch(per_page: list[list[_Block]]):
    """Text lines as (page, text) and tables as `_Table`, a table cut by a page break made whole.

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
            yield number, block.text
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
