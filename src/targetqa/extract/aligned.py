"""Tables printed as aligned columns of plain text: pdftotext -layout, pandoc plain-text tables.

Such converters keep a table's geometry and drop its borders: each cell's text stands at its
column's position, cells on one line are separated by runs of spaces, and a cell that wrapped
in its box goes on below at the same position. pdftotext places text by character index
(a CJK character counts one), pandoc by display width (a CJK character counts two); the
reader measures both ways and keeps the one under which the cells line up.

The header line anchors the table, as everywhere: its cells (and those of the header lines
below it: 指标值 over 符号 / 值 / 单位, 一级 over 指标) name the columns. The data lines then
decide where one column ends and the next begins (a position no cell crosses), each line's
pieces go to their columns, and lines are grouped into rows. In a top-aligned table a row
starts at a row number, at a level label, or where a line begins cells anew (a cell only goes
on below a full line); in a table whose cells are centred vertically, rows are found from
their markers (row number or value) and cut where every cell sits centred (`_Centred`).
The result is plain `CellRow`s, read by the same cell-table reader as every other layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from targetqa import rx
from targetqa.extract import columns
from targetqa.extract.layout import (
    CellRow,
    Item,
    TextLine,
    compact,
    is_aside,
    is_continued_title,
    is_page_debris,
)
from targetqa.taxonomy import LEVEL1_LABELS, LEVEL2_LABELS, canonical_level1, canonical_level2, is_level2_like
from targetqa.terminal import char_width

_GAP = rx.compile(r"\S+(?: \S+)*")  # a piece: text without a run of two or more spaces
_DASHES = rx.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")  # pandoc's column extents under the header
_RULE = rx.compile(r"^\s*-{10,}\s*$")  # pandoc's rule above and below a table
_HEADING = rx.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十\d]+部分)")
_TITLE = rx.compile(r"绩效目标表|绩效表|绩效指标表|目标完成情况表|绩效自评表")
_NUMBERED_TITLE = rx.compile(r"\d{1,2}[、.．](?!\d)\S")  # unindented: an indented one may be a list in a cell
_NOTE = rx.compile(r"^\s*(?:注|备注|说明|填报说明)\s*[:：]")
_NUMBER = rx.compile(r"^\d{1,3}(?:\.0+)?$")  # a row number: 7, 12.00
_STARTS_VALUE = rx.compile(r"^(?:[≥≤=<>≮≯]|\d|不低于|不少于|不超过|不高于|文字描述|定性)")
_WORD = rx.compile(r"^[A-Za-z0-9.,%+\-\[\]()<>\"'/]+")  # what a line break does not cut
# A value cell that is complete on its line: '≥90%', '100.00', '≤5万元' (not '2021年12月', which goes on)
_COMPLETE_VALUE = rx.compile(r"^(?:[≥≤=<>]|>=|<=)?\s*\d+(?:\.\d+)?\s*(?:%|[\u4e00-\u9fff]{1,2})?$")
_NAME_END = rx.compile(r"(?:指标|级|描述|说明|解释|内容|依据|值|单位|符号|性质|名称|[）)])$")
_SCORE_NAME = rx.compile(r"(?:评[（(]扣[）)]|评|扣)分(?:标准)?|分值|权重|备注")  # columns a reader ignores
_LABEL_PREFIXES = tuple({lab[:3] for lab in LEVEL1_LABELS + LEVEL2_LABELS if len(lab) >= 3})
_VALUE_FIELDS = ("operator", "value", "unit", "expected")
_MAX_HEAD_LINES = 15
_TOLERANCE = 2


@dataclass
class _Piece:
    text: str
    start: int
    end: int
    line: int


@dataclass
class _Column:
    start: int
    end: int
    names: list[str]  # header texts from top to bottom

    @property
    def name(self) -> str:
        return "".join(self.names)


def _pieces(text: str, line: int, wide: bool) -> list[_Piece]:
    """The pieces of a line with their positions, by character index or by display width."""
    if not wide:
        return [_Piece(m.group(), m.start(), m.end(), line) for m in _GAP.finditer(text)]
    positions = [0]
    for ch in text:
        positions.append(positions[-1] + char_width(ch))
    return [_Piece(m.group(), positions[m.start()], positions[m.end()], line) for m in _GAP.finditer(text)]


def is_aligned_header(text: str) -> bool:
    """A header line whose cells are set apart by runs of spaces: '一级指标    二级指标    …'."""
    if "一级" not in text or "二级" not in text:
        return False
    pieces = [compact(p.text) for p in _pieces(text, 0, False)]
    one = next((k for k, p in enumerate(pieces) if "一级" in p), None)
    two = next((k for k, p in enumerate(pieces) if "二级" in p), None)
    if len(pieces) < 3 or one is None or two is None or one == two:
        return False
    # every piece a column name (or the first line of a wrapped one: '预期指标值(包'): a
    # sentence that happens to hold wide spaces is no header
    named = sum(1 for p in pieces if _header_word(p) or _header_name(p))
    return named >= len(pieces) - 1 and _header_word(pieces[one])


def _header_name(text: str) -> bool:
    """A column name, perhaps put together from the lines of a wrapped header cell."""
    c = compact(text)
    if not c or len(c) > 24 or rx.search(r"\d", rx.sub(r"[（(]包含数字及文字描述[)）]?|[（(]包含数字", "", c)):
        return False
    return _header_word(c) or _SCORE_NAME.fullmatch(c) is not None or columns.field_of(c) not in ("", "ignore") \
        or c.endswith("完成情况")


def _header_word(text: str) -> bool:
    """Could this piece be part of a header (a column name, or a word of a wrapped one)?"""
    c = compact(text)
    if not c or len(c) > 12:
        return False
    if c in ("指标", "依据", "确定依据", "描述", "序号", "说明", "绩效指标", "（文字描述）", "(文字描述)") or columns.is_subheader([c]):
        return True
    # a column name ends like one ('…指标', '…描述', '…依据'); a cell's text ('文字描述 完成',
    # '按要求说明情况') only mentions such words
    if _SCORE_NAME.fullmatch(c):
        return True
    return columns.field_of(c) not in ("ignore", "") and bool(_NAME_END.search(c))


def _header_columns(lines: list[list[_Piece]]) -> list[_Column]:
    """Columns named by the header lines, the lowest line being the finest.

    Lower lines split what upper ones span (符号 / 值 / 单位 under 指标值); an upper piece over
    one lower column is the top of its name (一级 over 指标), over none a column of its own,
    except the 指标值 that a lower line already split: centred over its sub-columns, it may
    stand over none of them.
    """
    cols: list[_Column] = []
    for pieces in reversed(lines):
        split_value = any(_is_value_part(c.names[-1]) for c in cols)
        for p in pieces:
            under = [c for c in cols if p.start < c.end and c.start < p.end]
            if len(under) == 1:
                under[0].names.insert(0, p.text)
                under[0].start, under[0].end = min(under[0].start, p.start), max(under[0].end, p.end)
            elif len(under) > 1 or (split_value and columns.field_of(p.text) in ("value", "expected")):
                continue  # a cell spanning the columns below it: their own names say more
            else:
                cols.append(_Column(p.start, p.end, [p.text]))
    cols.sort(key=lambda c: c.start)
    return cols


def _is_value_part(name: str) -> bool:
    """A sub-column label of the value: 符号, 值, 单位, 计量单位, 年度指标值 …"""
    return columns.is_subheader([name]) and columns.field_of(name) in _VALUE_FIELDS


def _names(col: _Column) -> str:
    """A column's name: the sub-column label alone when it names a part of the value."""
    if len(col.names) > 1 and _is_value_part(col.names[-1]):
        return col.names[-1]
    return col.name


def _edges(cols: list[_Column], data: list[_Piece]) -> list[int]:
    """Where each column ends and the next begins: a position no data piece crosses.

    Header text is centred over its column while data is often left-aligned, so a boundary
    lies somewhere between one header's end and the next header's start; the data pieces show
    where. When a piece crosses every position there (two cells a single space apart), the
    middle is taken and the piece is split later.
    """
    edges: list[int] = []
    for left, right in zip(cols, cols[1:]):
        lo, hi = left.end, max(left.end, right.start)
        free = [p for p in range(lo, hi + 1) if not any(d.start < p < d.end for d in data)]
        if not free:
            edges.append((lo + hi + 1) // 2)
            continue
        runs: list[list[int]] = [[free[0], free[0]]]
        for p in free[1:]:
            if p == runs[-1][1] + 1:
                runs[-1][1] = p
            else:
                runs.append([p, p])
        best = max(runs, key=lambda r: (r[1] - r[0], -r[0]))
        edges.append((best[0] + best[1] + 1) // 2)
    return edges


def _column_of(start: int, edges: list[int]) -> int:
    k = 0
    while k < len(edges) and start >= edges[k]:
        k += 1
    return k


def _split_crossing(piece: _Piece, edges: list[int], wide: bool) -> list[_Piece]:
    """Split a piece that runs over a column edge at a single space near it, if it has one."""
    col = _column_of(piece.start, edges)
    if col >= len(edges) or piece.end <= edges[col] + _TOLERANCE:
        return [piece]
    edge = edges[col]
    best = None
    pos = piece.start
    for k, ch in enumerate(piece.text):
        if ch == " " and abs(pos - edge) <= 4 and (best is None or abs(pos - edge) < abs(best[1] - edge)):
            best = (k, pos)
        pos += char_width(ch) if wide else 1
    if best is None:
        return [piece]
    k, at = best
    left = _Piece(piece.text[:k], piece.start, at, piece.line)
    right = _Piece(piece.text[k + 1 :], at + 1, piece.end, piece.line)
    return [left] + _split_crossing(right, edges, wide)


def _alignment_spread(lines: list[TextLine], wide: bool) -> int:
    """How many different positions the pieces start at: fewer when the measure is right."""
    return len({p.start for tl in lines for p in _pieces(tl.text, tl.line, wide)})


@dataclass
class _Region:
    """One aligned table: where its head, header and rows are among the items."""

    head: int
    header: int
    body: int
    dashes: list[tuple[int, int]] | None = None


def _is_head_line(text: str) -> bool:
    return len(_pieces(text, 0, False)) >= 2 and not _TITLE.search(text) and not _HEADING.match(text)


def _above_header(text: str, header: str) -> bool:
    """A line of column names above the header line, over columns whose names stand lower: the
    first lines of a long name in a header whose cells are centred ('指标值确定依' above
    '一级指标 … 指标值', '据' below)."""
    names = [compact(p.text) for p in _pieces(text, 0, False)]
    if not names or not all(_header_word(n) or _header_name(n) for n in names):
        return False
    for wide in (False, True):
        lower = _pieces(header, 0, wide)
        if not any(u.start < p.end and p.start < u.end for p in _pieces(text, 0, wide) for u in lower):
            return True
    return False


def _find_region(items: list[Item], h: int, floor: int) -> _Region:
    """The extent of the table whose header line is items[h] (perhaps with lines of names
    above it, then the region's header starts there)."""
    top = h
    while top - 1 > floor and h - top < 3 and isinstance(items[top - 1], TextLine):
        if not _above_header(items[top - 1].text, items[h].text):
            break
        top -= 1
    region = _find_region_below(items, h, floor, top)
    region.header = top
    return region


def _find_region_below(items: list[Item], h: int, floor: int, top: int) -> _Region:
    head = top
    while head - 1 > floor and h - head < _MAX_HEAD_LINES:
        it = items[head - 1]
        if not isinstance(it, TextLine):
            break
        rule_on_top = head == top and _RULE.match(it.text)  # pandoc's rule above the header
        if not (rule_on_top or _is_head_line(it.text) or _continues_head(items, head - 1)):
            break
        head -= 1
    body = h + 1
    dashes = None
    while body < len(items) and isinstance(items[body], TextLine):
        text = items[body].text
        if _DASHES.match(text):
            dashes = [(m.start(), m.end()) for m in rx.finditer(r"-+", text)]
            body += 1
            break
        if not _wraps_header(text, [it.text for it in items[top:body]]):
            break
        body += 1
    return _Region(head, h, body, dashes)


def _wraps_header(text: str, above: list[str]) -> bool:
    """A line of the header: header words only, or the wrapped ends of the names above it
    ('指标值确定依' over '据'), under either measure of position."""
    pieces = _numberless(_pieces(text, 0, False))
    if all(_header_word(p.text) for p in pieces):
        return True
    if not above:
        return False
    for wide in (False, True):
        upper = [_pieces(line, 0, wide) for line in above]
        headers = [is_aligned_header(line) for line in above]
        if all(_header_word(p.text) or _goes_on(upper, p, headers) for p in _numberless(_pieces(text, 0, wide))):
            return True
    return False


def _goes_on(upper: list[list[_Piece]], p: _Piece, upper_is_header: list[bool]) -> bool:
    """Is piece p the next line of the header cell above it ('指标值确定依' over '据')?"""
    over = [[u for u in line if u.start < p.end and p.start < u.end] for line in upper]
    # a header cell wraps in its own column, a few characters a line, line by line (a name
    # centred around the header line stands above and below it)
    if len(compact(p.text)) > 10 or any(len(o) > 1 for o in over):
        return False
    if not over[-1] and not (len(over) >= 2 and over[-2] and upper_is_header[-1]):
        return False
    above = "".join(o[0].text for o in over if o)
    if not above:
        return False
    name = compact(above)
    # a finished name ('一级指标') is not continued: the text below it is a row's
    complete = columns.field_of(name) not in ("", "ignore") and bool(_NAME_END.search(name))
    if complete and not (name.endswith("指标") and p.text.startswith("值")):
        return False
    return _header_name(above + p.text)


def _numberless(pieces: list[_Piece]) -> list[_Piece]:
    """Pieces less a row number in front of the names ('10.00  符号  值  单位')."""
    if len(pieces) > 1 and _NUMBER.match(pieces[0].text):
        return pieces[1:]
    return pieces


def _header_pieces(tl: TextLine, wide: bool) -> list[_Piece]:
    """The pieces of a header line, less a row number before the names ('9.00  一级指标 …')."""
    return _numberless(_pieces(tl.text, tl.line, wide))


def _continues_head(items: list[Item], k: int) -> bool:
    """An indented line in the head: the wrapped value of the head line above it."""
    it = items[k]
    if not isinstance(it, TextLine) or _TITLE.search(it.text) or _HEADING.match(it.text):
        return False
    pieces = _pieces(it.text, 0, False)
    return len(pieces) == 1 and pieces[0].start >= 4 and k > 0 and isinstance(items[k - 1], TextLine) and _is_head_line(items[k - 1].text)


def _head_rows(lines: list[TextLine]) -> list[CellRow]:
    """Head lines ('项目名称    车辆保险费    项目编码   …') as cell rows; an indented line goes on the cell above."""
    rows: list[CellRow] = []
    for tl in lines:
        pieces = _pieces(tl.text, tl.line, False)
        if rows and len(pieces) == 1 and pieces[0].start >= 4:
            rows[-1].cells[-1] += "\n" + pieces[0].text
            continue
        rows.append(CellRow([p.text for p in pieces], [tl.line] * len(pieces)))
    return rows


def _ends_table(text: str, indent: int | None = None) -> bool:
    """A line after which no row follows: another table's title, a heading, a note, a closing rule.

    With `indent` (where the table's first column starts) a heading counts only when it stands
    no further right: further right, '（二）因本人…' is an item of a list inside a cell."""
    if _TITLE.search(text) and not is_continued_title(text):
        return True
    if indent is not None and _HEADING.match(text) and len(text) - len(text.lstrip()) > indent + _TOLERANCE:
        return False
    if _NUMBERED_TITLE.match(text) and len(_pieces(text, 0, False)) == 1:
        return True  # '4、基层党建工作经费' at the margin: the next table's title
    return any(p.match(text) for p in (_HEADING, _NOTE, _RULE))


class _Reader:
    """Reads the data lines of one aligned table into cell rows."""

    def __init__(self, header_lines: list[TextLine], data: list[TextLine], dashes, wide: bool):
        self.wide = wide
        header_pieces = [_header_pieces(tl, wide) for tl in header_lines]
        # the row number the header line itself has ('9.00  一级指标 …'), kept for its cell row
        first_pieces = _pieces(header_lines[0].text, 0, wide) if header_lines else []
        self.header_number = first_pieces[0].text if first_pieces and len(header_pieces[0]) < len(first_pieces) else ""
        self.cols = _header_columns(header_pieces)
        if dashes:
            self._fit_dashes(dashes)
        pieces = [p for tl in data for p in _pieces(tl.text, tl.line, wide)]
        self.edges = _edges(self.cols, pieces)
        self.names = [_names(c) for c in self.cols]
        self.fields = [columns.field_of(n) for n in self.names]
        first = self.cols[0].start if self.cols else 0
        # the row-number column: headed 序号, or bare numbers left of the first column
        self.numbered = "序号" not in self.names[:1] and any(p.end <= first and _NUMBER.match(p.text) for p in pieces)
        self.number_col = -1 if self.numbered else (0 if self.names[:1] == ["序号"] else None)
        self.reach: dict[int, int] = {}
        self._measure_columns(data)

    def _fit_dashes(self, dashes: list[tuple[int, int]]) -> None:
        """pandoc marks each column's extent with dashes under the header: use them as spans.

        pandoc measures by display width; under the other measure the dashes (ASCII) and the
        text (CJK) would not line up, so they are used only where the text does.
        """
        if not self.wide:
            return
        spans = [_Column(a, b, []) for a, b in dashes]
        for c in self.cols:
            target = max(spans, key=lambda s: min(s.end, c.end) - max(s.start, c.start))
            target.names.extend(c.names)
        self.cols = [s for s in spans if s.names]

    def line_cells(self, tl: TextLine) -> dict[int, _Piece]:
        """Column → piece for one data line (pieces of one column on one line joined by a space).

        By position, except where a line holds one piece per column, two fall in one column and
        the pieces read in order put level labels under the level columns: cells parted by a
        few spaces, not set in columns ('满意度指标  服务对象满意度指标  学生对学校伙食得满意度  ≥95%'
        under a header whose columns are narrower)."""
        pieces = _pieces(tl.text, tl.line, self.wide)
        if not self.numbered and len(pieces) == len(self.cols) and self._in_order(pieces):
            return dict(enumerate(pieces))
        out: dict[int, _Piece] = {}
        first = self.cols[0].start if self.cols else 0
        for piece in pieces:
            for part in _split_crossing(piece, self.edges, self.wide):
                if self.numbered and part.end <= first and _NUMBER.match(part.text):
                    out[-1] = part
                    continue
                col = _column_of(part.start, self.edges)
                if col in out:
                    out[col] = _Piece(out[col].text + " " + part.text, out[col].start, part.end, part.line)
                else:
                    out[col] = part
        return out

    def _in_order(self, pieces: list[_Piece]) -> bool:
        columns_hit = [_column_of(p.start, self.edges) for p in pieces]
        if len(set(columns_hit)) == len(columns_hit):
            return False  # every piece in a column of its own: positions agree
        for k, piece in enumerate(pieces):
            field = self._field(k)
            key = compact(piece.text)
            if (field == "level1" and not canonical_level1(key)) or (
                    field == "level2" and not (canonical_level2(key) or is_level2_like(key))):
                return False
        return any(self._field(k) in ("level1", "level2") for k in range(len(pieces)))

    def _field(self, col: int) -> str:
        return self.fields[col] if 0 <= col < len(self.fields) else ""

    def _measure_columns(self, data: list[TextLine]) -> None:
        """How far text reaches in each column: a wrapped line reaches (nearly) that far."""
        for tl in data:
            for col, piece in self.line_cells(tl).items():
                self.reach[col] = max(self.reach.get(col, 0), piece.end)

    def _full(self, piece: _Piece, nxt: _Piece, col: int) -> bool:
        """Was `piece` too full for the first word of `nxt`, so that the cell may go on with it?

        A cell wraps when its next word does not fit, and a word of digits or Latin letters
        ('2021年' / '12月31日') moves whole, so the line above may end well short of the edge.
        """
        word = _WORD.match(nxt.text)
        size = len(word.group()) if word else (2 if self.wide and char_width(nxt.text[0]) == 2 else 1)
        slack = 2 if self.wide else 1
        return piece.end + size > self.reach.get(col, piece.end) - slack

    def starts_row(self, cells: dict[int, _Piece], current: dict[int, list[_Piece]]) -> bool:
        """Does this line begin a new row, rather than carry on the wrapped cells of the current one?

        A row begins at a row number, or at a level label. Without either: a cell only goes on
        below a line that filled its width, so text below a short line starts a cell of its own;
        a row's name (三级) below a short name starts a row, and so does a line that fills every
        column the row's first line filled, below a short line in one of them. Two complete
        values in the value column are two rows.
        """
        if not current:
            return True
        if self.number_col is not None:
            return self.number_col in cells
        for col, piece in cells.items():
            if self._field(col) in ("level1", "level2") and compact(piece.text).startswith(_LABEL_PREFIXES):
                return True
        if not any(self._field(c) in ("level3",) + _VALUE_FIELDS for c in cells):
            return False  # a row's first line holds its name or its value
        for col, piece in cells.items():
            if self._field(col) in _VALUE_FIELDS and col in current:
                if _COMPLETE_VALUE.match(piece.text) and _COMPLETE_VALUE.match(current[col][-1].text):
                    return True
        first_line = min(p.line for ps in current.values() for p in ps)
        opened = {c for c, ps in current.items() if ps[0].line == first_line and self._field(c) not in ("level1", "level2")}
        here = {c for c in cells if self._field(c) not in ("level1", "level2")}
        short = {c for c, p in cells.items() if c in current and not self._full(current[c][-1], p, c)}
        if opened and opened <= here and short:
            return True
        return any(self._field(c) == "level3" for c in short)

    def header_row(self, line: int) -> CellRow:
        names = ([self.header_number or "序号"] if self.numbered else []) + self.names
        return CellRow(names, [line] * len(names))

    def row(self, parts: dict[int, list[_Piece]]) -> CellRow:
        first_line = min(p.line for ps in parts.values() for p in ps)
        keys = ([-1] if self.numbered else []) + list(range(len(self.cols)))
        cells = ["\n".join(p.text for p in parts.get(k, [])) for k in keys]
        lines = [parts[k][0].line if k in parts else first_line for k in keys]
        return CellRow(cells, lines)


def _is_prose(tl: TextLine, cols: list[_Column], wide: bool) -> bool:
    """A line with a piece over two whole header columns is a sentence, not a table row."""
    for p in _pieces(tl.text, tl.line, wide):
        if sum(1 for c in cols if p.start <= c.start and c.end <= p.end) >= 2:
            return True
    return False


def _table_lines(items: list[Item], region: _Region, header_lines: list[TextLine]) -> tuple[list[TextLine], int, bool]:
    """The lines of the table body, the index after them, and the measure (display width or not)."""
    candidates: list[TextLine] = []
    k = region.body
    indent = min((p.start for tl in header_lines for p in _pieces(tl.text, 0, False)), default=0)
    while k < len(items) and isinstance(items[k], TextLine) and not _ends_table(items[k].text, indent):
        candidates.append(items[k])
        k += 1
    wide = _alignment_spread(candidates, True) < _alignment_spread(candidates, False)
    cols = _header_columns([_header_pieces(tl, wide) for tl in header_lines])
    body: list[TextLine] = []
    for tl in candidates:
        if _is_prose(tl, cols, wide):
            break
        body.append(tl)
    end = region.body + len(body)
    if end < len(items) and isinstance(items[end], TextLine) and _RULE.match(items[end].text):
        end += 1  # pandoc's closing rule
    return body, end, wide


# A reader that knows more than the text, such as where each line stood on a PDF page, may
# group the lines into rows itself: given the data lines, the cells of each line (column index
# → piece; -1 the row number left of the columns) and the field of each column ("number" for
# the row-number column), it returns the rows (column → pieces, top to bottom), or None to
# leave the grouping to the text's own clues.
RowGrouper = Callable[[list[TextLine], list[dict[int, _Piece]], dict[int, str]], list[dict[int, list[_Piece]]] | None]


# Likewise for the head above the header line (project name, goals …): given the items, the
# header's index and the floor (the end of the table before), a reader that knows the page
# returns the index where the head starts and its rows, or None to go by the text alone.
HeadReader = Callable[[list[Item], int, int], tuple[int, list[CellRow]] | None]


def _read_region(
    items: list[Item], region: _Region, group_rows: RowGrouper | None = None, head_rows: list[CellRow] | None = None
) -> tuple[list[Item], list[Item], int]:
    """The region's head and header as cell rows, its rows, and the index after the table."""
    header_lines = [it for it in items[region.header : region.body] if isinstance(it, TextLine) and not _DASHES.match(it.text)]
    body, end, wide = _table_lines(items, region, header_lines)
    skipped = _skipped_lines(body)
    data = [tl for k, tl in enumerate(body) if k not in skipped]
    reader = _Reader(header_lines, data, region.dashes, wide)
    head = [it for it in items[region.head : region.header] if isinstance(it, TextLine) and not _RULE.match(it.text)]
    if head_rows is None:
        head_rows = _head_rows(head)
    top: list[Item] = [*head_rows, reader.header_row(items[region.header].line)]
    grid = [reader.line_cells(tl) for tl in data]
    parts = None
    if group_rows is not None:
        fields = {k: reader._field(k) for k in range(len(reader.cols))}
        if reader.number_col is not None:
            fields[reader.number_col] = "number"
        parts = group_rows(data, grid, fields)
    if parts is None:
        centred = _Centred(reader, grid)
        parts = centred.rows() if centred.applies() else _top_aligned_rows(reader, data)
    return top, [reader.row(p) for p in parts], end


def _top_aligned_rows(reader: "_Reader", data: list[TextLine]) -> list[dict[int, list[_Piece]]]:
    """Rows of a table whose cells start on their row's first line, wrapped text going on below."""
    blank_rows = _blank_rows(data)
    rows: list[dict[int, list[_Piece]]] = []
    current: dict[int, list[_Piece]] = {}
    last_line = 0
    for tl in data:
        cells = reader.line_cells(tl)
        blank_before = bool(last_line) and tl.line > last_line + 1
        if reader.starts_row(cells, current) or (blank_before and blank_rows):
            if current:
                rows.append(current)
            current = {}
        for col, piece in cells.items():
            current.setdefault(col, []).append(piece)
        last_line = tl.line
    if current:
        rows.append(current)
    return rows


class _Centred:
    """Rows of a table whose cells are centred vertically (Excel and WPS templates often are).

    There a short cell sits on the middle line of its row and a wrapped one spreads above and
    below it, so a row has no first line to start at. Each row has one line that shows where
    it is, its marker: its row number, or else its value (a value is short). The rows' first
    lines are then chosen, between markers, so that every cell sits centred in its row; each
    line's text goes to the row it falls in. A merged level cell (产出指标 over four rows) is
    centred on its group of rows, and goes to the group's top row.
    """

    def __init__(self, reader: "_Reader", grid: list[dict[int, _Piece]]):
        self.reader = reader
        self.grid = grid
        self.anchors = self._anchors(strict=True)

    def _is_level(self, col: int) -> bool:
        return self.reader._field(col) in ("level1", "level2")

    def _anchors(self, strict: bool) -> list[int]:
        """Line index of each row's marker: its row number, or its value.

        A value that wrapped ('≤34.92万' / '元') is one marker. `strict` keeps a second line
        as a marker of its own when it is as full as a row's first line or holds a level label
        (the test for a top-aligned table, whose rows of short values follow line by line and
        whose labels stand on a row's first line); centred cells and labels fill the lines
        around a marker anyway, so the loose reading serves centred tables.
        """
        number = self.reader.number_col
        if number is not None:
            return [k for k, cells in enumerate(self.grid) if number in cells]
        value_cols = [c for c in range(len(self.reader.cols)) if self.reader._field(c) in ("operator", "value", "expected")]
        anchors: list[int] = []
        for k, cells in enumerate(self.grid):
            here = [c for c in value_cols if c in cells]
            if not here:
                continue
            prev = self.grid[k - 1] if anchors and k - 1 >= anchors[-1] else None
            piece = cells[here[0]]
            own = {c for c in cells if not self._is_level(c)}
            if (
                prev is not None
                and here[0] in prev
                and not _STARTS_VALUE.match(piece.text)
                and not (strict and own >= {c for c in prev if not self._is_level(c)})  # as full as a row
                and not (strict and any(self._is_level(c) for c in cells))
                and self.reader._full(prev[here[0]], piece, here[0])
            ):
                continue  # the value cell goes on ('≤34.92万' / '元'): one row
            anchors.append(k)
        return anchors

    def applies(self) -> bool:
        """Are the cells centred? In a top-aligned table every cell starts on its row's first line,
        where the marker is: text of a row's own cells above the first marker, or a level label
        starting between markers, says the table is centred."""
        if len(self.anchors) < 2:
            return False
        skip = {self.reader.number_col}
        if any(not self._is_level(c) and c not in skip for cells in self.grid[: self.anchors[0]] for c in cells):
            return True
        level1 = [c for c in range(len(self.reader.cols)) if self.reader._field(c) == "level1"]
        if level1 and level1[0] not in self.grid[self.anchors[0]] and any(level1[0] in g for g in self.grid):
            return True  # the first row has no 一级 label: it stands lower, in its group's middle
        marked = set(self.anchors)
        return any(
            k not in marked and compact(piece.text).startswith(_LABEL_PREFIXES) and not self._label_goes_on(k, c)
            for k, cells in enumerate(self.grid)
            for c, piece in cells.items()
            if self._is_level(c)
        )

    def _label_goes_on(self, k: int, col: int) -> bool:
        """Is the piece at line k the next line of a label above it ('服务对象' / '满意度指' / '标')?"""
        above = self.grid[k - 1].get(col) if k > 0 else None
        if above is None:
            return False
        joined = compact(above.text + self.grid[k][col].text)
        return any(label.startswith(joined) for label in LEVEL1_LABELS + LEVEL2_LABELS)

    def rows(self) -> list[dict[int, list[_Piece]]]:
        self.anchors = self._anchors(strict=False)
        tops = self._tops()
        row_of = [max(r for r, top in enumerate(tops) if top <= k) for k in range(len(self.grid))]
        rows: list[dict[int, list[_Piece]]] = [{} for _ in self.anchors]
        for k, cells in enumerate(self.grid):
            for col, piece in cells.items():
                if not self._is_level(col):
                    rows[row_of[k]].setdefault(col, []).append(piece)
        for col in sorted({c for cells in self.grid for c in cells if self._is_level(c)}):
            self._place_labels(col, rows, tops)
        return rows

    def _tops(self) -> list[int]:
        """The first line of each row, chosen so that every row's cells sit centred in it.

        Between two markers the boundary could fall on any line; each choice makes rows of
        some height, and in a row of height h a cell of L lines starts (h - L) // 2 lines down
        (the marker itself is a cell of one line). The boundaries that misplace the fewest
        lines over the whole table win (a small dynamic programme over the markers).
        """
        own = [c for c in range(len(self.reader.cols)) if not self._is_level(c)]
        last = len(self.grid) - 1
        n = len(self.anchors)
        # best[k][t]: least cost of rows before k, with row k starting at line t
        best: list[dict[int, tuple[float, list[int]]]] = [{0: (0.0, [0])}] + [{} for _ in range(n - 1)]
        for k in range(n - 1):
            for top, (cost, path) in best[k].items():
                for nxt in range(self.anchors[k] + 1, self.anchors[k + 1] + 1):
                    total = cost + self._misplaced(top, nxt - 1, self.anchors[k], own)
                    if nxt not in best[k + 1] or total <= best[k + 1][nxt][0]:
                        best[k + 1][nxt] = (total, path + [nxt])
        finals = [(cost + self._misplaced(top, last, self.anchors[-1], own), path) for top, (cost, path) in best[-1].items()]
        # on a tie the later boundaries: a centred cell leans up (it cannot sit half a line low)
        return min(finals, key=lambda f: (f[0], [-t for t in f[1]]))[1]

    def _misplaced(self, top: int, end: int, marker: int, own: list[int]) -> float:
        """How far this row's cells (and marker) are from centred in lines top..end."""
        height = end - top + 1
        cost = abs(marker - (top + (height - 1) // 2))
        for col in own:
            lines = [k for k in range(top, end + 1) if col in self.grid[k]]
            if lines:
                size = lines[-1] - lines[0] + 1
                cost += abs(lines[0] - (top + (height - size) // 2)) + (size - len(lines))
                # a cell only goes on below a full line: a short line above text is another cell's end
                cost += sum(
                    1
                    for a, b in zip(lines, lines[1:])
                    if not self.reader._full(self.grid[a][col], self.grid[b][col], col)
                )
        return cost

    def _place_labels(self, col: int, rows: list[dict[int, list[_Piece]]], tops: list[int]) -> None:
        """Each label to the top row of the group of rows it is centred on.

        The groups tile the rows in order; the split that centres every label best in its
        group wins (a small dynamic programme over the labels and the row starts).
        """
        labels = self._label_runs(col)
        n_rows, last = len(tops), len(self.grid)
        ends = tops[1:] + [last]  # line after each row

        def cost(label: list[int], first: int, stop: int) -> float:
            top, bottom = tops[first], ends[stop - 1] - 1
            if not (top <= label[0] and label[-1] <= bottom):
                return float("inf")
            return abs(label[0] - (top + (bottom - top + 1 - len(label)) // 2))

        # best[i][r]: least cost with label i's group starting at row r
        best: list[dict[int, tuple[float, list[int]]]] = [{0: (0.0, [0])}] + [{} for _ in labels[1:]]
        for i, label in enumerate(labels[:-1]):
            for first, (acc, path) in best[i].items():
                for nxt in range(first + 1, n_rows):
                    total = acc + cost(label, first, nxt)
                    if total < float("inf") and (nxt not in best[i + 1] or total < best[i + 1][nxt][0]):
                        best[i + 1][nxt] = (total, path + [nxt])
        finals = [(acc + cost(labels[-1], first, n_rows), path) for first, (acc, path) in best[-1].items()]
        finals = [f for f in finals if f[0] < float("inf")]
        starts = min(finals)[1] if finals else [self._row_at(tops, (lab[0] + lab[-1]) / 2) for lab in labels]
        for label, first in zip(labels, starts):
            rows[first].setdefault(col, []).extend(self.grid[k][col] for k in label)

    @staticmethod
    def _row_at(tops: list[int], line: float) -> int:
        return max(r for r, top in enumerate(tops) if top <= line)

    def _runs(self, col: int) -> list[list[int]]:
        """Blocks of consecutive lines with text in this column."""
        runs: list[list[int]] = []
        for k, cells in enumerate(self.grid):
            if col in cells:
                if runs and runs[-1][-1] == k - 1:
                    runs[-1].append(k)
                else:
                    runs.append([k])
        return runs

    def _label_runs(self, col: int) -> list[list[int]]:
        """Blocks of label text; a block holding two labels (two one-row groups) is cut between them."""
        out: list[list[int]] = []
        for run in self._runs(col):
            block: list[int] = []
            for k in run:
                if block and compact(self.grid[k][col].text).startswith(_LABEL_PREFIXES):
                    out.append(block)
                    block = []
                block.append(k)
            out.append(block)
        return out


def _skipped_lines(body: list[TextLine]) -> set[int]:
    """Positions of lines a page break left inside the table: page numbers, the title and header again."""
    skipped: set[int] = set()
    header: list[str] = []
    for k, tl in enumerate(body):
        if is_aligned_header(tl.text):
            j = k - 1  # names of a centred header above its line
            while j >= 0 and k - j <= 2 and j not in skipped and _above_header(body[j].text, tl.text):
                skipped.add(j)
                j -= 1
            header = [body[i].text for i in range(j + 1, k)]
        if is_aligned_header(tl.text) or (header and _wraps_header(tl.text, header)):
            header.append(tl.text)
            skipped.add(k)
            continue
        header = []
        if is_page_debris(tl.text, bare_numbers=True) or is_continued_title(tl.text) or is_aside(tl.text):
            skipped.add(k)
    return skipped


def _blank_rows(data: list[TextLine]) -> bool:
    """Are rows separated by empty lines (pandoc's multiline tables)? Then every gap is a row end."""
    gaps = sum(1 for a, b in zip(data, data[1:]) if b.line > a.line + 1)
    return gaps >= max(1, (len(data) - 1) // 3)


def cells_from_aligned_text(
    items: list[Item], group_rows: RowGrouper | None = None, read_head: HeadReader | None = None
) -> list[Item]:
    """Replace every aligned-text table among the items by its cell rows (`group_rows`,
    `read_head`: see `RowGrouper` and `HeadReader`)."""
    if not any(isinstance(it, TextLine) and is_aligned_header(it.text) for it in items):
        return items
    out: list[Item] = []
    floor = -1
    i = 0
    while i < len(items):
        it = items[i]
        if isinstance(it, TextLine) and is_aligned_header(it.text):
            region = _find_region(items, i, floor)
            head = read_head(items, region.header, floor) if read_head is not None else None
            if head is not None:
                region.head = head[0]
            top, rows, end = _read_region(items, region, group_rows, head[1] if head is not None else None)
            if not rows:
                out.append(it)  # a header with no rows under it: leave the lines as text
                i += 1
                continue
            if i > region.head:
                del out[len(out) - (i - region.head) :]  # the head lines, read again as cells
            out.extend(top + rows)
            floor = end - 1
            i = max(end, i + 1)
            continue
        out.append(it)
        i += 1
    return out
