"""Map header cells of an indicator table onto row fields.

Tables name their columns in many ways (指标说明 / 绩效指标描述, 指标值确定依据 / 指标确定依据,
预期指标值 / 实际完成指标值) and the value column is often split by a second header row into
符号 / 值 / 单位. The mapping is computed once per table and applied to every row by position.
"""

from __future__ import annotations

import re

from targetqa.taxonomy import compact

# Order matters: the first pattern that matches a header cell names its field.
_HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    (r"一级", "level1"),
    (r"二级", "level2"),
    (r"三级", "level3"),
    (r"依据", "basis"),
    (r"预期|年度指标值|目标值", "expected"),
    (r"实际|完成值|完成指标值", "actual"),
    (r"^单位|^计量单位", "unit"),  # before 描述: the unit column is often '单位（文字描述）'
    (r"描述|说明|指标内容|指标解释", "description"),
    (r"评.*分|分值|权重", "ignore"),
    (r"符号|指标性质|运算", "operator"),
    (r"^值$|指标值", "value"),
    (r"完成情况|序号", "ignore"),
)
_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.0+)?$")


def field_of(cell: str) -> str:
    text = compact(cell)
    if not text:
        return ""
    for pattern, name in _HEADER_FIELDS:
        if re.search(pattern, text):
            return name
    return "ignore"


def is_header(cells: list[str]) -> bool:
    joined = "".join(compact(c) for c in cells)
    return "一级指标" in joined and "二级指标" in joined or ("一级" in joined and "二级" in joined and "三级" in joined)


def is_subheader(cells: list[str]) -> bool:
    fields = [compact(c) for c in cells if compact(c)]
    return bool(fields) and all(re.fullmatch(r"符号|值|单位.*|指标值|运算符号|计量单位", f) for f in fields)


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
    # A subheader whose labelled cells line up with the header's columns (000: same width).
    out: list[str] = []
    if len(subheader) >= len(header):
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
    return fields


def _plain_targets(fields: list[str]) -> list[str]:
    """'年度指标值' / '目标值' is the expected value only beside an actual (决算) column.

    A budget table that heads its one value column 年度指标值 states a target like any 指标值
    column; read as 'expected' the cell would skip the operator/value/unit columns' meaning.
    """
    if "actual" in fields or "value" in fields or fields.count("expected") != 1:
        return fields
    return ["value" if f == "expected" else f for f in fields]
