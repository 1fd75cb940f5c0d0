"""Map header cells of an indicator table onto row fields.

Tables name their columns in many ways (指标说明 / 绩效指标描述, 指标值确定依据 / 指标确定依据,
预期指标值 / 实际完成指标值) and the value column is often split by a second header row into
符号 / 值 / 单位. The mapping is computed once per table and applied to every row by position.
"""

from __future__ import annotations

from targetqa import rx
from targetqa.taxonomy import canonical_level1, canonical_level2, compact

# Order matters: the first pattern that matches a header cell names its field.
_HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    (r"一级", "level1"),
    (r"二级", "level2"),
    (r"三级", "level3"),
    # the indicator's name under other headings: 指标名称, 绩效指标 (but not 绩效指标描述)
    (r"指标名称|^(?:绩效|具体|考核)?指标$", "level3"),
    (r"依据|取值来源", "basis"),
    (r"预期|年度指标值|目标值", "expected"),
    (r"实际|完成值|完成指标值", "actual"),
    (r"^单位|^计量单位|^度量单位|^计量$", "unit"),  # before 描述: the unit column is often '单位（文字描述）'
    (r"描述|说明|指标内容|指标解释|指标定义", "description"),
    (r"评.*分|分值|权重", "ignore"),
    (r"符号|指标性质|运算|比较|关系", "operator"),
    (r"^值$|指标值|^数值$|^标准值$", "value"),
    (r"完成情况|序号", "ignore"),
)
# Cells of a second header row that split the value column: 符号 | 值 | 单位, 年度指标值 | 计量单位 …
_SUBHEADER = rx.compile(
    r"符号|值|单位.*|指标值.*|运算符号|计算符号|计量单位|度量单位|指标性质|年度指标值|目标值|数值|[（(]?文字描述[)）]?"
)
# Words of a header row above the main one (绩效指标 spanning the level columns, 指标值 …).
_UPPER_HEADER_WORDS = ("绩效指标", "年度绩效指标", "指标")
_ROW_NUMBER = rx.compile(r"^\d{1,3}(?:\.0+)?$")


def field_of(cell: str) -> str:
    text = compact(cell)
    if not text:
        return ""
    for pattern, name in _HEADER_FIELDS:
        if rx.search(pattern, text):
            return name
    return "ignore"


def is_header(cells: list[str]) -> bool:
    """Is this row the indicator header (一级指标 | 二级指标 | …)?

    The level names must stand in short cells of their own: a cell holding a sentence that
    mentions 一级指标和二级指标 is prose that a converter put in a cell, not a header.
    """
    names = [compact(c) for c in cells if compact(c)]

    def named(level: str) -> bool:
        return any(level in n and len(n) <= 12 for n in names)

    joined = "".join(names)
    return named("一级") and named("二级") and ("一级指标" in joined and "二级指标" in joined or "三级" in joined)


def is_subheader(cells: list[str]) -> bool:
    fields = [compact(c) for c in cells if compact(c)]
    return bool(fields) and all(_SUBHEADER.fullmatch(f) for f in fields)


def merge_upper_header(upper: list[str], header: list[str]) -> list[str] | None:
    """The header completed from a header row above it, or None when `upper` is no header row.

    Some tables spread the header over two rows the other way round from 符号/值/单位: the top
    row names the columns that span both rows (指标值, 指标值确定依据) and a 绩效指标 cell over the
    level columns, the second row names 一级 / 二级 / 三级. Exports leave the merged cells empty,
    so the two rows are combined position by position.
    """
    if len(upper) != len(header):
        return None
    words = [compact(c) for c in upper if compact(c)]
    if not words or not all(len(w) <= 12 and (field_of(w) != "ignore" or w in _UPPER_HEADER_WORDS) for w in words):
        return None
    merged = [h if compact(h) else u for u, h in zip(upper, header)]
    return merged if merged != header else None


def align_short_row(cells: list[str], fields: list[str]) -> list[str]:
    """A row that lacks the cells of merged level columns gets them back, empty.

    An HTML table (docx → html → markdown) has no cell under a rowspan, so rows below the
    first of a group start with their 二级 label or their 三级 text; padding them in front puts
    every cell back under its header (the cells carried down then fill the gap).
    """
    missing = len(fields) - len(cells)
    if missing <= 0 or not cells:
        return cells
    first = compact(cells[0])
    second = compact(cells[1]) if len(cells) > 1 else ""
    if canonical_level1(first) and (canonical_level2(second) or not canonical_level2(first)):
        kind = "level1"
    elif canonical_level2(first):
        kind = "level2"
    else:
        kind = "level3"
    if kind not in fields:
        return cells
    lead = fields.index(kind)
    if lead <= 0 or lead > missing:
        return cells
    return [""] * lead + cells


def has_row_number_column(header: list[str]) -> bool:
    return bool(header) and bool(_ROW_NUMBER.match(compact(header[0])))


def strip_row_number(cells: list[str]) -> list[str]:
    if cells and (_ROW_NUMBER.match(compact(cells[0])) or not compact(cells[0])):
        return cells[1:]
    return cells


def column_fields(header: list[str], subheader: list[str] | None) -> list[str]:
    """Field name for each column position; the value column expands where a subheader splits it."""
    fields = _plain_targets([field_of(c) for c in header])
    if not subheader:
        return fields
    sub = [field_of(c) if compact(c) else "" for c in subheader]
    if len(subheader) == len(header):
        # Merged header cells left empty (Excel, markdown, tab exports): read the two rows column by
        # column, the subheader naming what the header leaves empty or names only as 指标值.
        out = [s if s and f in ("", "value", "expected", "ignore") else f for f, s in zip(fields, sub)]
        return _plain_targets(out)
    out: list[str] = []
    if len(subheader) > len(header):
        # A subheader wider than the header (000: the 指标值 cell spans three subheader cells).
        extra = len(subheader) - len(header)
        for i, name in enumerate(fields):
            if name == "value" and extra >= 0:
                span = sub[i : i + extra + 1]
                labelled = [s if s != "expected" else "value" for s in span]
                out.extend(s or "value" for s in labelled)
                extra = -1  # only the first value column expands
            else:
                out.append(name)
        if len(out) < len(subheader):
            out.extend("ignore" for _ in range(len(subheader) - len(out)))
        return out
    # A subheader holding only the labels under the value column (符号 | 值 | 单位).
    labelled = [("value" if s == "expected" else s) for s in sub if s]
    if "value" in fields and labelled:
        at = fields.index("value")
        return fields[:at] + labelled + fields[at + 1 :]
    return fields


def _plain_targets(fields: list[str]) -> list[str]:
    """'年度指标值' / '目标值' is the expected value only beside an actual (决算) column.

    A budget table that heads its one value column 年度指标值 states a target like any 指标值
    column; read as 'expected' the cell would skip the operator/value/unit columns' meaning.
    """
    if "actual" in fields or "value" in fields or fields.count("expected") != 1:
        return fields
    return ["value" if f == "expected" else f for f in fields]
