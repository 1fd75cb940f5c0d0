"""Find every performance table in a document and read its head and indicator rows.

A table is anchored on its header row (一级指标 / 二级指标 / 三级指标 …): that is the one thing
every layout shares. The head (title, project, budget, goals) is what precedes the header up to
the previous table or prose; the rows are what follows until prose resumes. Tables in cell
layouts are read here; tables flattened into plain text by a PDF converter go to `pdftext`.
"""

from __future__ import annotations

import re

from targetqa.extract import columns, pdftext
from targetqa.extract.layout import CellRow, Item, TextLine, compact, join_wrapped
from targetqa.extract.meta import Cell, read_head
from targetqa.extract.values import normalize_operator, split_value
from targetqa.model import Row, Table

_TITLE = re.compile(r"绩效目标表|绩效表|绩效目标指标|绩效指标|绩效目标完成情况表|绩效自评表|目标表$")
_TITLE_NUMBER = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）]?[、.．]?\s*)")
_TITLE_SUFFIX = re.compile(
    r"(?:项目支出|项目|预算项目|年度)?(?:绩效目标表|绩效表|年度绩效目标指标|绩效目标指标|绩效目标完成情况表|绩效自评表)\s*$"
)
_DEPARTMENT_TITLE = re.compile(r"部门整体|整体支出|部门绩效指标|单位整体")
_FIELDS_WITH_TEXT = ("level3", "description", "value", "operator", "unit", "expected", "actual", "basis")


def project_from_title(title: str) -> str:
    text = _TITLE_NUMBER.sub("", title.strip(), count=1)
    return _TITLE_SUFFIX.sub("", text).strip(" ：:")


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
    """Empty level1/level2 cells mean 'same as the row above' (merged cells in the source)."""
    last1 = last2 = ""
    for row in rows:
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


def _table_kind(title: str, fields: list[str]) -> str:
    if "actual" in fields:
        return "final"
    if _DEPARTMENT_TITLE.search(title):
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


def _read_cell_table(items: list[Item], h: int, floor: int) -> tuple[Table, int]:
    header_row = items[h]
    assert isinstance(header_row, CellRow)
    numbered = columns.has_row_number_column(header_row.cells)
    header = columns.strip_row_number(header_row.cells) if numbered else header_row.cells
    # The head: cell rows directly above the header, then the title line above them.
    top = h
    while top - 1 > floor and isinstance(items[top - 1], CellRow) and not columns.is_header(items[top - 1].cells):
        top -= 1
    title = ""
    title_line = items[top].line if top < len(items) else 0
    if top - 1 > floor and isinstance(items[top - 1], TextLine) and _is_title(items[top - 1].text):
        title = items[top - 1].text.strip()
        title_line = items[top - 1].line
    elif top - 1 > floor and isinstance(items[top - 1], TextLine) and len(items[top - 1].text.strip()) <= 80:
        title = items[top - 1].text.strip()
        title_line = items[top - 1].line
    if not title:
        for item in items[top:h]:
            if isinstance(item, CellRow) and len([c for c in item.cells if c.strip()]) == 1 and _is_title(item.cells[0] if item.cells[0].strip() else item.cells[-1]):
                title = next(c for c in item.cells if c.strip()).strip()
                break
    j = h + 1
    sub = None
    if j < len(items) and isinstance(items[j], CellRow) and columns.is_subheader(
        columns.strip_row_number(items[j].cells) if numbered else items[j].cells
    ):
        sub = columns.strip_row_number(items[j].cells) if numbered else items[j].cells
        j += 1
    fields = columns.column_fields(header, sub)
    table = Table(table_no=0, title=title, line=title_line)
    read_head(_head_cells(items, top, h, numbered), table)
    table.kind = _table_kind(title, fields)  # type: ignore[assignment]
    rows: list[Row] = []
    while j < len(items) and isinstance(items[j], CellRow):
        item = items[j]
        cells = columns.strip_row_number(item.cells) if numbered else item.cells
        lines = item.lines[len(item.cells) - len(cells) :]
        if columns.is_header(cells):
            j += 1  # the header repeated after a page break: same table goes on
            continue
        if _starts_new_head(cells):
            break
        row = _row_from_cells(cells, lines, fields)
        if not is_placeholder(row):
            rows.append(row)
        j += 1
    table.rows = carry_down(rows)
    return table, j


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
    if not table.project:
        table.project = project_from_title(table.title)
    tables.append(table)


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
