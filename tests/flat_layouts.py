"""Print the hand-read rows of the real flattened documents again, in every way pages flatten a table.

Each layout is a family seen on real pages (one cell per line, cells ending in ' |', pipe rows
that drop merged cells, space or tab separated rows, rows run together, level labels spaced out
or carrying the form's notes, traditional characters). Used by the tests and by
bench/bench_layouts.py to measure how the row grammar holds up beyond the pages it was built on.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference" / "realdocs_rows.csv"

Row = dict[str, str]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace(">=", "≥").replace("<=", "≤")
    text = re.sub(r"\s+", "", text)
    return re.sub(r"(\d+)\.(\d*?)0+(?!\d)", lambda m: m.group(1) + ("." + m.group(2) if m.group(2) else ""), text)


def key(level2: str, level3: str, operator: str, value: str, unit: str, expected: str = "") -> tuple[str, str, str]:
    shown = fold(operator) + fold(value) + fold(unit) or fold(expected)
    return re.sub(r"\(.*?\)$", "", fold(level2)), fold(level3), shown


def reference_tables() -> list[list[Row]]:
    """The reference rows, one list per table, with a complete name and value (what a layout can print)."""
    tables: dict[tuple[str, str], list[Row]] = {}
    with REFERENCE.open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["level1"] and r["level2"] and r["level3"] and (r["value"] or r["expected"]):
                tables.setdefault((r["doc"], r["table_no"]), []).append(r)
    return [rows for rows in tables.values() if len(rows) >= 2]


def _value(r: Row) -> str:
    return (r["operator"] + r["value"] + r["unit"]) or r["expected"]


def _cells(rows: list[Row], merged: bool) -> list[list[str]]:
    """Each row's cells: 一级 | 二级 | 三级 | 指标值; with `merged`, repeated levels left out."""
    out = []
    last1 = last2 = None
    for r in rows:
        l1 = "" if merged and r["level1"] == last1 else r["level1"]
        l2 = "" if merged and r["level2"] == last2 and not l1 else r["level2"]
        last1, last2 = r["level1"], r["level2"]
        out.append([l1, l2, r["level3"], _value(r)])
    return out


HEADER = ["一级指标", "二级指标", "三级指标", "指标值"]


def _filled(cells: list[str]) -> list[str]:
    return [c for c in cells if c]


def one_cell_per_line(rows: list[Row], end: str = "", blank: bool = True) -> list[str]:
    lines: list[str] = []
    for cell in HEADER + [c for r in _cells(rows, merged=True) for c in _filled(r)]:
        lines += [cell + end] + ([""] if blank else [])
    return lines


def joined(rows: list[Row], sep: str, tail: str = "", merged: bool = True) -> list[str]:
    return [sep.join(HEADER) + tail] + [sep.join(_filled(r)) + tail for r in _cells(rows, merged)]


def tab_cells(rows: list[Row]) -> list[str]:
    """Tab rows that keep every cell, the merged ones empty."""
    return ["\t".join(HEADER)] + ["\t".join(r) for r in _cells(rows, merged=True)]


def spaced_labels(rows: list[Row]) -> list[str]:
    lines = [" | ".join(HEADER)]
    for r in _cells(rows, merged=True):
        r[0] = " ".join(r[0])
        lines.append(" | ".join(_filled(r)))
    return lines


def noted_labels(rows: list[Row]) -> list[str]:
    lines = [" | ".join(HEADER)]
    for r in _cells(rows, merged=True):
        if r[0]:
            r[0] += "(30分)"
        lines.append(" | ".join(_filled(r)))
    return lines


def described(rows: list[Row], cells_per_line: bool) -> list[str]:
    """一级 | 二级 | 三级 | 指标说明 | 指标值, the description written out where the page has one."""
    header = ["一级指标", "二级指标", "三级指标", "指标说明", "指标值"]
    body = []
    for r, cells in zip(rows, _cells(rows, merged=True)):
        body.append(cells[:3] + [r["description"] or r["level3"]] + cells[3:])
    if cells_per_line:
        return [c for c in header + [x for row in body for x in _filled(row)]]
    return [" | ".join(header)] + [" | ".join(_filled(row)) for row in body]


def numbered(rows: list[Row], sep: str | None) -> list[str]:
    """A 序号 column first, each row opening with its number; `sep` None: one cell per line."""
    header = ["序号", *HEADER]
    body = [[str(k), *_filled(r)] for k, r in enumerate(_cells(rows, merged=True), start=1)]
    if sep is None:
        return header + [c for r in body for c in r]
    return [sep.join(header)] + [sep.join(r) for r in body]


def sectioned(rows: list[Row]) -> list[str]:
    """三级指标 | 指标值 only: each 一级 and 二级 label on a line of its own above its rows."""
    lines = ["三级指标 | 指标值"]
    last1 = last2 = None
    for r in rows:
        if r["level1"] != last1:
            lines.append(r["level1"])
        if r["level2"] != last2 or r["level1"] != last1:
            lines.append(r["level2"])
        last1, last2 = r["level1"], r["level2"]
        lines.append(f"{r['level3']} | {_value(r)}")
    return lines


def value_before_name(rows: list[Row]) -> list[str]:
    """一级 | 二级 | 指标值 | 三级: the value column printed before the names'."""
    return [" | ".join(["一级指标", "二级指标", "指标值", "三级指标"])] + [
        " | ".join([c[0], c[1], c[3], c[2]]) for c in _cells(rows, merged=True)
    ]


def middle_labels(rows: list[Row]) -> list[str]:
    """Pipe rows whose merged 一级 cell is centred in its block, as a PDF prints it: the label on
    the block's middle row, the rows above and below it empty."""
    cells = _cells(rows, merged=False)
    k = 0
    while k < len(cells):
        end = k
        while end + 1 < len(cells) and cells[end + 1][0] == cells[k][0]:
            end += 1
        label, middle = cells[k][0], (k + end) // 2
        for j in range(k, end + 1):
            cells[j][0] = label if j == middle else ""
            if j > k and cells[j][1] == cells[j - 1][1] and cells[j - 1][1]:
                cells[j][1] = ""
        k = end + 1
    for j in range(len(cells) - 1, 0, -1):  # level2 merged too: its label on its first row only
        if cells[j][1] and cells[j][1] == next((c[1] for c in reversed(cells[:j]) if c[1]), None) and not cells[j][0]:
            cells[j][1] = ""
    return [" | ".join(HEADER)] + ["| " + " | ".join(c) + " |" for c in cells]


def page_break(rows: list[Row]) -> list[str]:
    """Pipe rows, the page breaking halfway: a page footer, then the header printed again."""
    header = " | ".join(HEADER)
    body = [" | ".join(_filled(c)) for c in _cells(rows, merged=True)]
    half = len(body) // 2
    return [header, *body[:half], "", "第 1 页 共 2 页", "", header, *body[half:]]


def nature_and_unit(rows: list[Row]) -> list[str]:
    """一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位: the unit in a column of its own."""
    lines = ["一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位"]
    for r, c in zip(rows, _cells(rows, merged=True)):
        nature = "定量" if re.search(r"\d", r["value"]) else "定性"
        value = r["operator"] + r["value"] if r["value"] else r["expected"]
        lines.append(" | ".join([c[0], c[1], c[2], nature, value, r["unit"] or "-"]))
    return lines


def records(rows: list[Row], one_line: bool) -> list[str]:
    """Each row as a record of column names and cells: on one line, or one cell a line with the
    levels given only where they change."""
    if one_line:
        return [f"一级指标：{r['level1']}；二级指标：{r['level2']}；三级指标：{r['level3']}；指标值：{_value(r)}" for r in rows]
    lines: list[str] = []
    last1 = last2 = None
    for r in rows:
        if r["level1"] != last1:
            lines.append(f"一级指标：{r['level1']}")
        if r["level2"] != last2 or r["level1"] != last1:
            lines.append(f"二级指标：{r['level2']}")
        last1, last2 = r["level1"], r["level2"]
        lines += [f"三级指标：{r['level3']}", f"指标值：{_value(r)}"]
    return lines


def form_column(rows: list[Row], sep: str) -> list[str]:
    """A column of the form's own before the levels (任务名称 of a department's table), filled on
    the first row only; pipe rows leave the empty cells out."""
    lines = [sep.join(["任务名称", *HEADER])]
    for k, c in enumerate(_cells(rows, merged=True)):
        cells = ["保障机构正常运转" if k == 0 else "", *c]
        lines.append(sep.join(_filled(cells) if sep.strip() else cells))
    return lines


def wrapped_cells(rows: list[Row], width: int) -> list[str]:
    """One cell per line, each cell wider than `width` characters wrapped over the next lines, as
    text taken from a PDF with narrow columns prints it ('完成修理养护的设' / '施数量')."""
    lines: list[str] = []
    for cell in HEADER + [c for r in _cells(rows, merged=True) for c in _filled(r)]:
        lines += [cell[i : i + width] for i in range(0, len(cell), width)]
    return lines


def continuation_rows(rows: list[Row], width: int) -> list[str]:
    """Pipe rows whose long names go on in rows of their own, the other cells empty, as a PDF
    table converted row by row prints a wrapped cell ('| … | 研究培育食用菌品种数 | 2种 |' /
    '|  |  | 量 |  |')."""
    lines = [" | ".join(HEADER)]
    for c in _cells(rows, merged=True):
        parts = [c[2][i : i + width] for i in range(0, len(c[2]), width)] or [""]
        lines.append("| " + " | ".join([c[0], c[1], parts[0], c[3]]) + " |")
        lines += ["|  |  | " + more + " |  |" for more in parts[1:]]
    return lines


def broken_rows(rows: list[Row], width: int, sep: str = " | ") -> list[str]:
    """Pipe (or tab) rows cut by a line break inside a long name, as a copied web page or PDF
    breaks a row where the page wrapped its cell ('| 质量值 | 教学条件改善、办' / '学水平提高 | =100% |')."""
    lines = [sep.join(HEADER)]
    for c in _cells(rows, merged=True):
        row = "| " + " | ".join(_filled(c)) + " |" if sep.strip() else sep.join(c)
        at = row.index(c[2]) + width if len(c[2]) > width else 0
        lines += [row[:at], row[at:]] if at else [row]
    return lines


def box_table(rows: list[Row], between: bool) -> list[str]:
    """A table drawn with box characters ('┌──┬──┐' / '│ 产出指标 │ …'), with a border under every
    row or only under the header, as text tools and some converters draw one."""
    cells = [HEADER] + _cells(rows, merged=True)
    widths = [max(_width(c[k]) for c in cells) + 2 for k in range(len(HEADER))]

    def border(left: str, mid: str, right: str) -> str:
        return left + mid.join("─" * w for w in widths) + right

    def row(texts: list[str]) -> str:
        return "│" + "│".join(" " + t + " " * (w - 1 - _width(t)) for t, w in zip(texts, widths)) + "│"

    lines = [border("┌", "┬", "┐"), row(cells[0]), border("├", "┼", "┤")]
    for k, texts in enumerate(cells[1:], start=1):
        lines.append(row(texts))
        if between and k < len(cells) - 1:
            lines.append(border("├", "┼", "┤"))
    return lines + [border("└", "┴", "┘")]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def numbered_labels(rows: list[Row]) -> list[str]:
    """Pipe rows whose level labels are numbered as list items ('一、产出指标 | （一）数量指标 | …')."""
    lines = [" | ".join(HEADER)]
    n1 = n2 = 0
    for c in _cells(rows, merged=True):
        if c[0]:
            n1, n2 = n1 + 1, 0
            c[0] = "一二三四五六七八九十"[n1 - 1] + "、" + c[0]
        if c[1]:
            n2 += 1
            c[1] = "（" + "一二三四五六七八九十"[n2 - 1] + "）" + c[1]
        lines.append(" | ".join(_filled(c)))
    return lines


LAYOUTS: dict[str, Callable[[list[Row]], list[str]]] = {
    "one cell per line, blank lines between": one_cell_per_line,
    "one cell per line": lambda rows: one_cell_per_line(rows, blank=False),
    "cells ending in ' |'": lambda rows: one_cell_per_line(rows, " |", blank=False),
    "pipe rows without merged cells": lambda rows: joined(rows, " | ", " | |||"),
    "pipe rows with every level": lambda rows: joined(rows, " | ", merged=False),
    "space-separated rows": lambda rows: joined(rows, " "),
    "tab rows, merged cells empty": tab_cells,
    "letter-spaced level labels": spaced_labels,
    "labels with the form's notes": noted_labels,
    "pipe rows with a description column": lambda rows: described(rows, cells_per_line=False),
    "one cell per line with a description column": lambda rows: described(rows, cells_per_line=True),
    "numbered pipe rows": lambda rows: numbered(rows, " | "),
    "numbered space-separated rows": lambda rows: numbered(rows, " "),
    "numbered, one cell per line": lambda rows: numbered(rows, None),
    "page break, header printed again": page_break,
    "rows of every level, cells two spaces apart": lambda rows: joined(rows, "  ", merged=False),
    "a weight column after the value": lambda rows: [" | ".join([*HEADER, "权重"])] + [
        " | ".join([*_filled(c), "10"]) for c in _cells(rows, merged=True)],
    "指标性质 and 度量单位 columns": nature_and_unit,
    "records of column names and cells, one a line": lambda rows: records(rows, one_line=True),
    "records of column names and cells, one cell a line": lambda rows: records(rows, one_line=False),
    "a column of the form's own first, tab rows": lambda rows: form_column(rows, "\t"),
    "a column of the form's own first, pipe rows": lambda rows: form_column(rows, " | "),
    "pipe rows, long names going on in rows of their own": lambda rows: continuation_rows(rows, 10),
    "pipe rows broken by a line break inside a long name": lambda rows: broken_rows(rows, 8),
    "tab rows broken by a line break inside a long name": lambda rows: broken_rows(rows, 8, "\t"),
    "level labels on lines of their own": sectioned,
    "a table drawn with box characters": lambda rows: box_table(rows, between=True),
    "a table drawn with box characters, a border under the header only": lambda rows: box_table(rows, between=False),
    "cells parted by full-width bars": lambda rows: joined(rows, "｜"),
    "the value column before the names'": value_before_name,
    "rows run together, one a line": lambda rows: ["".join(HEADER)] + ["".join(_filled(c)) for c in _cells(rows, merged=True)],
    "no header, pipe rows with every level": lambda rows: [" | ".join(c) for c in _cells(rows, merged=False)],
    "no header, pipe rows without merged cells": lambda rows: [" | ".join(_filled(c)) for c in _cells(rows, merged=True)],
    "no header, tab rows, merged cells empty": lambda rows: ["\t".join(c) for c in _cells(rows, merged=True)],
    "no header, space-separated rows": lambda rows: [" ".join(_filled(c)) for c in _cells(rows, merged=True)],
}


def render(layout: str, rows: list[Row]) -> str:
    lines = LAYOUTS[layout](rows)
    return "\n".join(["项目支出绩效目标表", "项目名称 " + "测试项目", *lines, "备注：以上指标由项目单位填报。", ""])


def score(want: list[Row], got_keys: list[tuple[str, str, str]]) -> tuple[int, int, int]:
    """(matched, predicted, expected) rows, matched by the key the F1 script uses."""
    w = Counter(key(r["level2"], r["level3"], r["operator"], r["value"], r["unit"], r["expected"]) for r in want)
    g = Counter(got_keys)
    return sum((w & g).values()), sum(g.values()), sum(w.values())
