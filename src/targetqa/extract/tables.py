"""Find every performance table in a document and read its head and indicator rows.

A table is anchored on its header row (一级指标 / 二级指标 / 三级指标 …): that is the one thing
every layout shares. The head (title, project, budget, goals) is what precedes the header up to
the previous table or prose; the rows are what follows until prose resumes. Tables in cell
layouts are read here; tables flattened into plain text by a PDF converter go to `pdftext`.
"""

from __future__ import annotations

from targetqa import rx
from targetqa.extract import columns, pdftext
from targetqa.extract.layout import (
    CellRow,
    Item,
    TextLine,
    compact,
    is_aside,
    is_continued_title,
    is_page_debris,
    join_wrapped,
    name_goes_on,
)
from targetqa.extract.meta import Cell, is_head_key, read_head
from targetqa.extract.values import normalize_operator, split_value
from targetqa.model import Row, Table
from targetqa.taxonomy import LEVEL1_OF_LEVEL2, canonical_level1, canonical_level2, fold_label

_TITLE = rx.compile(r"绩效目标表|绩效表|绩效目标指标|绩效指标|绩效目标完成情况表|绩效自评表|目标表$")
# '1、', '（一）', '二.' before a title; not the year a title starts with ('2019年度…')
_TITLE_NUMBER = rx.compile(r"^\s*(?:附件\s*\d*\s*[:：]\s*)?(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]{1,3}[、.．])?\s*")
_TITLE_SUFFIX = rx.compile(
    r"(?:项目支出|项目|预算项目|年度)?(?:绩效目标表|绩效表|年度绩效目标指标|绩效目标指标|绩效目标完成情况表|绩效自评表|"
    r"绩效评价指标表|绩效目标申报表|目标申报表|绩效目标批复表|支出绩效自评表|自评表)\s*$"
)
_HEAD_LINE = rx.compile(r"^\s*([\u4e00-\u9fff（）()]{2,16}?)\s*[:：]\s*(\S.*)$")
# '…绩效目标表    单位：万元' and '…绩效目标表（续）': what follows the title proper
_UNIT_TAIL = rx.compile(r"\s*(?:[（(]\s*续表?\s*\d*\s*[）)]|(?:金额|资金)?单位\s*[:：]\s*\S*)\s*$")
_DEPARTMENT_TITLE = rx.compile(r"部门整体|整体支出|部门绩效指标|单位整体|整体绩效")
_FIELDS_WITH_TEXT = ("level3", "description", "value", "operator", "unit", "expected", "actual", "basis")


def project_from_title(title: str) -> str:
    """The project a table's title names ('X项目绩效目标表' → X); none where the title names only
    the kind of table, a year or the budget it belongs to ('2023年项目支出绩效目标表公开',
    '鄂州市2022年市直部门预算项目支出绩效目标表.docx')."""
    text = _UNIT_TAIL.sub("", title.strip())
    text = _TITLE_NUMBER.sub("", _FILE_OR_NOTICE.sub("", text), count=1)
    text = _TITLE_SUFFIX.sub("", text).strip(" ：:")
    return "" if _NO_PROJECT.fullmatch(text) else text


# a file's extension, or the page's word for publishing it, after the table's title
_FILE_OR_NOTICE = rx.compile(r"(?:\.(?:docx?|xlsx?|wps|pdf|et)|公开|公示|情况)+\s*$", rx.IGNORECASE)
# what names no project: a year, a place or office, the budget ('鄂州市2022年市直部门预算', '2023年')
_NO_PROJECT = rx.compile(
    r"(?:\d{4}年?度?)?(?:[\u4e00-\u9fff]{1,12}?(?:[省市县区州旗局委办院校]|中心))?(?:\d{4}年?度?)?(?:[省市县区]直)?(?:部门|单位)?"
    r"(?:预算|决算)?(?:项目)?"
)


# '关于X种植项目绩效目标设定的公示', '附件:X项目绩效目标设定表.xlsx', 'X转移支付项目绩效自评情况公示'
_PAGE_PROJECT = rx.compile(r"(?:关于|附件\s*\d*\s*[:：]\s*)?(?P<project>[^，。:：|\s]{2,40}?项目)(?=绩效|支出绩效)")
_YEAR_FIRST = rx.compile(r"^\d{4}年度?")


def project_from_page(lines: list[str], before: int, floor: int = 0) -> str:
    """The project a table belongs to when its head does not name it: the nearest line above it
    (the page's title, an attachment's name) that speaks of 'X项目绩效…', X more than a year."""
    for n in range(min(before, len(lines)), max(floor, 0), -1):
        m = _PAGE_PROJECT.search(compact(lines[n - 1]))
        if m and len(_YEAR_FIRST.sub("", m.group("project"))) >= 6 and not _NO_PROJECT.fullmatch(m.group("project")):
            return m.group("project")
    return ""


def _is_title(text: str) -> bool:
    t = text.strip()
    return bool(t) and len(t) <= 120 and bool(_TITLE.search(t))


def _row_from_cells(cells: list[str], lines: list[int], fields: list[str]) -> Row:
    values: dict[str, str] = {}
    line_of: dict[str, int] = {}
    if len(cells) == len(fields) + 2 and "value" in fields and "operator" not in fields:
        # "≥ | 2 | 调研次数" spread over three cells under a single 指标值 header
        at = fields.index("value")
        fields = fields[:at] + ["operator", "value", "unit"] + fields[at + 1 :]
    for pos, name in enumerate(fields):
        if pos >= len(cells) or name in ("", "ignore"):
            continue
        text = join_wrapped(cells[pos])
        if name in values and values[name]:
            if text:
                values[name] += " " + text
            continue
        values[name] = text
        line_of[name] = lines[pos] if pos < len(lines) else lines[-1]
    row = Row(
        level1=values.get("level1", ""),
        level2=values.get("level2", ""),
        level3=values.get("level3", ""),
        description=values.get("description", ""),
        basis=values.get("basis", ""),
        expected=values.get("expected", ""),
        actual=values.get("actual", ""),
        line=line_of.get("level3") or (lines[0] if lines else 0),
    )
    fill_value(row, values.get("operator", ""), values.get("value", ""), values.get("unit", ""))
    return row


def fill_value(row: Row, operator: str, value: str, unit: str) -> None:
    """Set operator/value/unit from cells as written, splitting a combined cell like '≥90%'."""
    source = value or ("" if operator or unit else row.expected)
    row.value_text = " ".join(p for p in (operator, value, unit) if p) or row.expected
    parsed = split_value(source)
    row.operator = normalize_operator(operator) or parsed.operator
    row.value = parsed.value
    row.unit = unit or parsed.unit
    if not value and not operator and unit:
        # only a unit cell with text: '0.00' handled above; '有效改善' alone is the value
        row.value, row.unit = unit, ""


def is_placeholder(row: Row) -> bool:
    return not any(getattr(row, f).strip() for f in _FIELDS_WITH_TEXT)


def carry_down(rows: list[Row]) -> list[Row]:
    """Empty level1/level2 cells mean 'same as the row above' (merged cells in the source).

    A merged 一级 cell centred in its block (a PDF or a page that prints the label on the block's
    middle row) leaves the rows above the label empty: such a row belongs to the label below,
    not the one above, where its 二级 belongs there by the taxonomy and not above
    ('| | 数量指标 | …' over '| 产出指标 | 质量指标 | …', under a 满意度 block or none). The table
    shows its labels so centred when its first row has none, or when two labels or more have
    such rows above them; one row alone whose 二级 belongs to the label below is a row put under
    the wrong 一级 (STR005), and is not moved."""
    below = _label_below(rows) if _centred_labels(rows) else [""] * len(rows)
    last1 = last2 = ""
    for k, row in enumerate(rows):
        if not row.level1 and below[k] and _belongs(row.level2 or last2, below[k]) and not _belongs(row.level2 or last2, last1):
            row.level1 = below[k]
            last1 = ""  # not a label of its own: the one below opens the block
            row.level2 = last2 = row.level2 or last2
            continue
        if row.level1:
            if row.level1 != last1 and not row.level2:
                last2 = ""
            last1 = row.level1
        else:
            row.level1 = last1
        if row.level2:
            last2 = row.level2
        else:
            row.level2 = last2
    return rows


def _centred_labels(rows: list[Row]) -> bool:
    """Does the table print its 一级 labels inside their blocks rather than on their first rows?"""
    if not rows or not any(r.level1 for r in rows):
        return False
    if not rows[0].level1:
        return True
    above_their_label = set()
    last1 = last2 = ""
    for k, row in enumerate(rows):
        if row.level1:
            last1 = row.level1
        last2 = row.level2 or last2
        if not row.level1 and k + 1 < len(rows) and rows[k + 1].level1 and \
                _belongs(last2, rows[k + 1].level1) and not _belongs(last2, last1):
            above_their_label.add(k + 1)
    return len(above_their_label) >= 2


def _label_below(rows: list[Row]) -> list[str]:
    """For each row without a 一级 label, the next label written below it in the table."""
    out = [""] * len(rows)
    nxt = ""
    for k in range(len(rows) - 1, -1, -1):
        if rows[k].level1:
            nxt = rows[k].level1
        else:
            out[k] = nxt
    return out


def _belongs(level2: str, level1: str) -> bool:
    """Does this 二级 label sit under this 一级 by the taxonomy (not known: no)?"""
    l1, l2 = canonical_level1(level1), canonical_level2(level2)
    return bool(l1 and l2) and LEVEL1_OF_LEVEL2.get(l2) == l1


def table_kind(title: str, fields: list[str]) -> str:
    if "actual" in fields:
        return "final"
    if _DEPARTMENT_TITLE.search(fold_label(title)):
        return "department"
    return "project"


def _head_cells(items: list[Item], start: int, end: int, strip_numbers: bool) -> list[Cell]:
    cells: list[Cell] = []
    for item in items[start:end]:
        if isinstance(item, CellRow):
            row = columns.strip_row_number(item.cells) if strip_numbers else item.cells
            offset = len(item.cells) - len(row)
            for k, text in enumerate(row):
                if text.strip():
                    cells.append(Cell(text, item.lines[k + offset]))
    return cells


def _title_above(items: list[Item], top: int, floor: int) -> tuple[str, int]:
    """The table's title: the text line above its head, looking past a unit or date line.

    Titles are often followed by '单位：万元', '（2025年度）' or '填报单位：…' before the table
    starts; those lines name no project and are stepped over (a few at most).
    """
    k = top - 1
    while k > floor and k > top - 4 and isinstance(items[k], TextLine) and is_aside(items[k].text):
        k -= 1
    if k > floor and isinstance(items[k], TextLine):
        text = items[k].text.strip()
        if _is_title(text) or len(text) <= 80:
            return text, items[k].line
    return "", 0


def _text_head(items: list[Item], top: int, floor: int) -> tuple[list[Cell], int]:
    """Head fields written as text lines above the table ('项目名称：车辆保险费'), and where they start.

    Markdown and plain-text conversions often print the head that a DOCX kept in table rows as
    'key：value' lines; read as cells they fill the same fields, and the title is above them.
    """
    cells: list[Cell] = []
    k = top - 1
    while k > floor and isinstance(items[k], TextLine):
        text = items[k].text
        m = _HEAD_LINE.match(text)
        if m and is_head_key(m.group(1)):
            cells[0:0] = [Cell(m.group(1), items[k].line), Cell(m.group(2), items[k].line)]
        elif not is_aside(text):
            break
        k -= 1
    return (cells, k + 1) if cells else ([], top)


def _title_in_cells(items: list[Item]) -> str:
    """A title held in a row of its own inside the table (Excel exports, DOCX title rows)."""
    for item in items:
        if isinstance(item, CellRow):
            filled = [c.strip() for c in item.cells if c.strip()]
            if len(filled) == 1 and _is_title(filled[0]):
                return filled[0]
    return ""


def _header_rows(items: list[Item], h: int, floor: int, numbered: bool) -> tuple[int, list[str], list[str] | None, int]:
    """Where the header starts, its cells, the subheader's cells, and the index of the first row."""
    header = columns.strip_row_number(items[h].cells) if numbered else items[h].cells
    first = h
    above = items[h - 1] if h - 1 > floor else None
    upper = columns.merge_upper_header(above.cells, header) if isinstance(above, CellRow) else None
    if upper is not None:
        header, first = upper, h - 1  # a header row above names the columns that span both rows
    j = h + 1
    sub = None
    if j < len(items) and isinstance(items[j], CellRow):
        cells = columns.strip_row_number(items[j].cells) if numbered else items[j].cells
        if columns.is_subheader(cells):
            sub, j = cells, j + 1
    return first, header, sub, j


def _is_header_part(items: list[Item], j: int, cells: list[str]) -> int:
    """How many items from j are the header printed again after a page break (0: none)."""
    if columns.is_header(cells):
        nxt = items[j + 1] if j + 1 < len(items) else None
        return 2 if isinstance(nxt, CellRow) and columns.is_subheader(nxt.cells) else 1
    nxt = items[j + 1] if j + 1 < len(items) else None
    if isinstance(nxt, CellRow) and columns.is_header(nxt.cells) and columns.merge_upper_header(cells, nxt.cells):
        return 1  # the upper row of a two-row header; the header itself is skipped next
    return 0


def _after_page_break(items: list[Item], j: int) -> int | None:
    """Index where the table goes on after text lines left by a page break, or None if it ends.

    A page break leaves a page number, a unit line and often the title again with （续）; the
    table goes on if the next cell row repeats the header, or follows a bare page number.
    """
    k = j
    only_numbers = True
    while k < len(items) and k - j < 4 and isinstance(items[k], TextLine):
        text = items[k].text
        if not (is_page_debris(text, bare_numbers=True) or is_continued_title(text) or is_aside(text)):
            return None
        only_numbers = only_numbers and is_page_debris(text, bare_numbers=True)
        k += 1
    if k == j or k >= len(items) or not isinstance(items[k], CellRow):
        return None
    cells = items[k].cells
    if columns.is_header(cells) or _is_header_part(items, k, cells):
        return k
    return k if only_numbers and not _starts_new_head(cells) else None


def _read_cell_table(items: list[Item], h: int, floor: int) -> tuple[Table, int]:
    header_row = items[h]
    assert isinstance(header_row, CellRow)
    numbered = columns.has_row_number_column(header_row.cells)
    first, header, sub, j = _header_rows(items, h, floor, numbered)
    # The head: cell rows directly above the header, then the title line above them.
    top = first
    while top - 1 > floor and isinstance(items[top - 1], CellRow) and not columns.is_header(items[top - 1].cells):
        top -= 1
    text_cells, text_top = _text_head(items, top, floor)
    title, title_line = _title_above(items, text_top, floor)
    title = title or _title_in_cells(items[top:first])
    fields = columns.column_fields(header, sub)
    table = Table(table_no=0, title=title, line=title_line or (items[top].line if top < len(items) else 0))
    read_head(text_cells + _head_cells(items, top, first, numbered), table)
    table.kind = table_kind(title, fields)  # type: ignore[assignment]
    rows: list[Row] = []
    last_line = -1
    while j < len(items):
        item = items[j]
        if isinstance(item, TextLine):
            resume = _after_page_break(items, j)
            if resume is None:
                break
            j = resume
            continue
        cells = columns.strip_row_number(item.cells) if numbered else item.cells
        lines = item.lines[len(item.cells) - len(cells) :]
        repeated = _is_header_part(items, j, cells)
        if repeated:
            j += repeated  # the header repeated after a page break: same table goes on
            continue
        if _starts_new_head(cells):
            break
        if len(cells) < len(fields):
            padded = columns.align_short_row(cells, fields)
            cells, lines = padded, [lines[0] if lines else item.line] * (len(padded) - len(cells)) + lines
        row = _row_from_cells(cells, lines, fields)
        if rows and item.line == last_line + 1 and _wraps(rows[-1], row):
            _join_wrapped_row(rows[-1], row)
        elif not is_placeholder(row):
            rows.append(row)
        last_line = item.line
        j += 1
    table.rows = carry_down(rows)
    return table, j


_WRAPPING = ("level3", "description", "basis")


def _wraps(above: Row, row: Row) -> bool:
    """Is this line the rest of the row above, wrapped: no level and no target of its own, only
    the end of a name (or description, or basis), right under a row that states its target and
    whose name goes on (`name_goes_on`)?"""
    if row.level1 or row.level2 or row.operator or row.value or row.unit or row.expected or row.actual:
        return False
    if not (above.value or above.expected or above.actual) or not any(getattr(row, f) for f in _WRAPPING):
        return False
    return name_goes_on(above.level3, row.level3) if row.level3 else True


def _join_wrapped_row(above: Row, row: Row) -> None:
    for f in _WRAPPING:
        if getattr(row, f):
            setattr(above, f, join_wrapped(getattr(above, f) + "\n" + getattr(row, f)))


def _starts_new_head(cells: list[str]) -> bool:
    first = next((compact(c) for c in cells if compact(c)), "")
    return first in ("项目名称", "项目编码", "项目编码及名称", "预算项目绩效表", "项目绩效目标完成情况表") or (
        len([c for c in cells if compact(c)]) == 1 and _is_title(first)
    )


def find_tables(items: list[Item]) -> list[Table]:
    tables: list[Table] = []
    floor = -1
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, CellRow) and columns.is_header(item.cells):
            table, end = _read_cell_table(items, i, floor)
            _append(tables, table)
            floor = end - 1
            i = end
            continue
        if isinstance(item, TextLine) and pdftext.is_header_at(items, i):
            table, end = pdftext.read_text_table(items, i, floor)
            if table is not None:
                _append(tables, table)
                floor = end - 1
                i = max(end, i + 1)
                continue
        i += 1
    _number(tables)
    return tables


def _append(tables: list[Table], table: Table) -> None:
    """Add a table, or its rows to the table before when it is that table continued （续）."""
    if tables and is_continued_title(table.title) and not (table.project_code or table.budget or table.goals):
        before = tables[-1]
        before.rows = carry_down(before.rows + table.rows)
        return
    if not table.project:
        table.project = project_from_title(table.title)
    tables.append(table)


def number_tables(tables: list[Table]) -> list[Table]:
    """Number tables in reading order (0 for department-level tables) and their rows."""
    tables.sort(key=lambda t: t.line or min((r.line for r in t.rows), default=0))
    _number(tables)
    return tables


def _number(tables: list[Table]) -> None:
    n = 0
    for table in tables:
        if table.kind == "department":
            table.table_no = 0
        else:
            n += 1
            table.table_no = n
        for k, row in enumerate(table.rows, start=1):
            row.row_no = k
