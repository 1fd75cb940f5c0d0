"""Re-lay real seed tables out the way other converters print them, for the layout-variant tests.

The rows are the hand-made reference of the seeds (tests/reference/*.csv): real cells, copied
unchanged. Only the layout changes: markdown pipe and grid tables, pdftotext -layout columns,
pandoc plain tables, PDF reading-order text without row numbers, Excel CSV and tab exports,
other header spellings, the 财预〔2021〕101号 cost layout, continued tables, operator spellings.
A renderer returns the text of a whole small report (prose, titles, heads, tables), so table
finding and head reading are exercised too, not only row splitting.

This module holds the renderers and a few checks of the renderers themselves; the comparisons
with the reference are in test_extract_variants_layouts.py.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent / "reference"
ROW_FIELDS = ("level1", "level2", "level3", "description", "operator", "value", "unit", "basis", "expected", "actual")
QUALITATIVE = ("文字描述", "定性")

PREFACE = [
    "XX县委组织部2025年部门预算公开说明",
    "",
    "一、部门预算绩效目标",
    "根据《项目支出绩效评价管理办法》，项目绩效目标由一级指标、二级指标和三级指标构成，一级指标包括产出指标、"
    "效益指标和满意度指标，二级指标包括数量指标、质量指标、时效指标和成本指标等，三级指标应细化量化。",
    "一级指标 二级指标 三级指标的设置应当与部门职责相匹配，本部门共编制绩效目标5个。",
    "",
    "二、预算项目绩效目标表",
    "",
]
CLOSING = ["", "三、其他需要说明的事项", "本部门无其他需要说明的事项，一级指标和二级指标的设置见上表。", ""]


@dataclass
class Spec:
    """One real table: the seed it came from, its project and its reference rows."""

    seed: str
    table_no: int
    project: str
    goals: list[str]
    rows: list[dict[str, str]]
    kind: str = "project"
    budget: str = ""
    code: str = ""


def load_specs(prefix: str) -> list[Spec]:
    """The reference rows of one seed, grouped by table, with the project names the seed gives."""
    from conftest import seed  # the seed extraction, for project names and goals only

    with open(REFERENCE / f"{prefix}.csv", encoding="utf-8", newline="") as f:
        ref = list(csv.DictReader(f))
    tables = {t.table_no: t for t in seed(prefix).tables}
    specs: list[Spec] = []
    for no in sorted({int(r["table_no"]) for r in ref}, key=lambda n: (n != 0, n)):
        rows = [{k: r[k] for k in ROW_FIELDS} for r in ref if int(r["table_no"]) == no]
        t = tables[no]
        specs.append(Spec(prefix, no, t.project, list(t.goals), rows, t.kind, t.budget_text, t.project_code))
    return specs


# ---------------------------------------------------------------- cells of a row


def value_cell(row: dict[str, str]) -> str:
    """The 指标值 cell as a table with one value column writes it: '≥90%', '文字描述 按时拨付'."""
    op = row["operator"]
    sep = " " if op in QUALITATIVE else ""
    return f"{op}{sep}{row['value']}{row['unit']}"


def merged(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows as a table with merged level cells prints them: level1/level2 only at a group's top."""
    out = []
    prev1 = prev2 = None
    for r in rows:
        cells = dict(r)
        if r["level1"] == prev1:
            cells["level1"] = ""
            if r["level2"] == prev2:
                cells["level2"] = ""
        prev1, prev2 = r["level1"], r["level2"]
        out.append(cells)
    return out


@dataclass
class Columns:
    """A header layout: the header rows and how a reference row fills the columns."""

    header: list[list[str]]  # one or two header rows
    cells: callable  # row -> list of cells

    @property
    def width(self) -> int:
        return len(self.header[-1]) if len(self.header) > 1 else len(self.header[0])


def standard_columns(spec: Spec) -> Columns:
    if spec.kind == "final":
        return Columns(
            [["一级指标", "二级指标", "三级指标", "预期指标值", "实际完成指标值"]],
            lambda r: [r["level1"], r["level2"], r["level3"], r["expected"], r["actual"]],
        )
    return Columns(
        [["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]],
        lambda r: [r["level1"], r["level2"], r["level3"], r["description"], value_cell(r), r["basis"]],
    )


def split_value_columns(spec: Spec) -> Columns:
    """指标值 over three columns 符号 / 值 / 单位, as 000 and 002 print it."""
    return Columns(
        [
            ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "", "", "指标值确定依据"],
            ["", "", "", "", "符号", "值", "单位", ""],
        ],
        lambda r: [r["level1"], r["level2"], r["level3"], r["description"], r["operator"], r["value"], r["unit"], r["basis"]],
    )


def value_unit_columns(spec: Spec) -> Columns:
    """指标值 and 计量单位 as two columns of one header row."""
    def cells(r):
        op = r["operator"]
        value = f"{op} {r['value']}" if op in QUALITATIVE else f"{op}{r['value']}"
        return [r["level1"], r["level2"], r["level3"], r["description"], value, r["unit"], r["basis"]]
    return Columns([["一级指标", "二级指标", "三级指标", "指标解释", "指标值", "计量单位", "指标值确定依据"]], cells)


def nature_columns(spec: Spec) -> Columns:
    """指标性质 (the operator) / 指标值 / 计量单位, as provincial budget systems print them."""
    return Columns(
        [["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "指标说明", "指标值确定依据", "备注"]],
        lambda r: [r["level1"], r["level2"], r["level3"], r["operator"], r["value"], r["unit"], "10", r["description"], r["basis"], ""],
    )


def renamed_columns(names: list[str]):
    """The standard six columns under other names (年度指标值, 指标名称, 一级 …)."""
    def factory(spec: Spec) -> Columns:
        return Columns([list(names)], standard_columns(spec).cells)
    return factory


def two_row_columns(spec: Spec) -> Columns:
    """A header over two rows: 绩效指标 spans the level columns, 指标值 and 依据 stand in the top row."""
    return Columns(
        [
            ["绩效指标", "", "", "", "指标值", "指标值确定依据"],
            ["一级指标", "二级指标", "三级指标", "指标内容", "", ""],
        ],
        standard_columns(spec).cells,
    )


def value_over_two_rows(spec: Spec) -> Columns:
    """指标值 in the top row, 年度指标值 / 计量单位 under it (merged cells left empty in the export)."""
    def cells(r):
        op = r["operator"]
        value = f"{op} {r['value']}" if op in QUALITATIVE else f"{op}{r['value']}"
        return [r["level1"], r["level2"], r["level3"], r["description"], value, r["unit"], r["basis"]]
    return Columns(
        [
            ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "", "指标值确定依据"],
            ["", "", "", "", "年度指标值", "计量单位", ""],
        ],
        cells,
    )


HEADER_VARIANTS = {
    "split_value": split_value_columns,
    "value_unit": value_unit_columns,
    "nature": nature_columns,
    "annual_value": renamed_columns(["一级指标", "二级指标", "三级指标", "绩效指标描述", "年度指标值", "指标值确定依据"]),
    "name": renamed_columns(["一级指标", "二级指标", "指标名称", "指标说明", "指标值", "指标值确定依据"]),
    "performance_indicator": renamed_columns(["一级指标", "二级指标", "绩效指标", "绩效指标描述", "指标值", "依据"]),
    "short_levels": renamed_columns(["一级", "二级", "三级", "指标描述", "指标值", "指标值确定依据"]),
    "two_rows": two_row_columns,
    "value_over_two_rows": value_over_two_rows,
}


# ---------------------------------------------------------------- text helpers


def width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _breakable(text: str, i: int) -> bool:
    """May a converter wrap text between text[i-1] and text[i]? Not beside a space, not inside a Latin word or number."""
    a, b = text[i - 1], text[i]
    if a.isspace() or b.isspace() or a in "≥≤=<>＝＞＜≧":
        return False
    if a.isascii() and b.isascii() and (a.isalnum() or a in ".%-[]()<>+\"") and (b.isalnum() or b in ".%-[]()<>+\""):
        return False
    return True


def wrap(text: str, limit: int, measure=len) -> list[str]:
    """Cut text into lines no longer than `limit` (in `measure` units), only at breakable points."""
    lines: list[str] = []
    start = 0
    while measure(text[start:]) > limit:
        end = start + 1
        while end < len(text) and measure(text[start : end + 1]) <= limit:
            end += 1
        cut = next((k for k in range(end, start, -1) if _breakable(text, k)), None)
        if cut is None:  # a long Latin word: break after it
            cut = next((k for k in range(end, len(text)) if _breakable(text, k)), len(text))
        lines.append(text[start:cut])
        start = cut
    lines.append(text[start:])
    return lines


def longest_unbreakable(text: str, measure=len) -> int:
    """Width of the longest run that `wrap` cannot cut: a column narrower than this overflows."""
    best, start = 0, 0
    for i in range(1, len(text) + 1):
        if i == len(text) or _breakable(text, i):
            best = max(best, measure(text[start:i]))
            start = i
    return best


def pad(text: str, size: int, measure=len, align: str = "left") -> str:
    gap = max(0, size - measure(text))
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def to_wide(text: str) -> str:
    """Full-width digits and signs, as some Word templates type them."""
    table = {str(i): chr(0xFF10 + i) for i in range(10)}
    table.update({"%": "％", ".": "．"})
    return "".join(table.get(ch, ch) for ch in text)


def head_pairs(spec: Spec) -> list[tuple[str, str]]:
    pairs = [("项目名称", spec.project)]
    if spec.budget:
        pairs.append(("年度资金总额", spec.budget))
    if spec.goals:
        pairs.append(("年度绩效目标", "".join(spec.goals) if len(spec.goals) == 1 else " ".join(spec.goals)))
    return pairs


def title_of(spec: Spec, k: int) -> str:
    if spec.kind == "department":
        return f"{k}、部门整体支出绩效目标表"
    if spec.kind == "final":
        return f"{k}、{spec.project}项目绩效目标完成情况表"
    return f"{k}、{spec.project}绩效目标表"


def document(specs: list[Spec], table_lines) -> str:
    """A report: preface prose, then each table (title and body from `table_lines`), then prose."""
    lines = list(PREFACE)
    for k, spec in enumerate(specs, start=1):
        lines.extend(table_lines(spec, k))
        lines.append("")
    lines.extend(CLOSING)
    return "\n".join(lines)


# ---------------------------------------------------------------- markdown


def _md_cell(text: str, brk: int = 0) -> str:
    """A pipe-table cell: '|' escaped, a long cell broken by <br> where the author broke it."""
    text = text.replace("|", "\\|")
    if brk and len(text) > brk:
        parts = wrap(text, brk)
        text = "<br>".join(parts)
    return text


def markdown_pipe(
    spec: Spec, k: int, *, rowspan_dropped: bool = False, head_in_table: bool = True, cols: Columns | None = None
) -> list[str]:
    """markitdown (docx → html → markdown): the whole docx table as one pipe table.

    With `rowspan_dropped`, merged level cells are left out of the rows below the first
    (an HTML rowspan has no cell there), so those rows are shorter than the header.
    """
    cols = cols or standard_columns(spec)
    n = cols.width
    out = [f"## {title_of(spec, k)}", ""]
    body: list[list[str]] = []
    if head_in_table:
        for key, value in head_pairs(spec):
            body.append([key, value] + [""] * (n - 2))
    body.extend(list(h) for h in cols.header)
    for r in merged(spec.rows):
        cells = [_md_cell(c, 18) for c in cols.cells(r)]
        if rowspan_dropped:
            while cells and cells[0] == "" and len(cells) > n - 2:
                cells.pop(0)
        body.append(cells)
    if not head_in_table:
        for key, value in head_pairs(spec):
            out.append(f"{key}：{value}")
        out.append("")
    out.append("| " + " | ".join(body[0]) + " |")
    out.append("| " + " | ".join("---" for _ in range(n)) + " |")
    for cells in body[1:]:
        out.append("| " + " | ".join(cells) + " |")
    return out


def markdown_grid(spec: Spec, k: int) -> list[str]:
    """pandoc grid table: +---+ borders, cells wrapped inside their column, +===+ under the header."""
    cols = standard_columns(spec)
    widths = [10, 12, 16, 20, 12, 18][: cols.width] if spec.kind != "final" else [10, 12, 20, 18, 24]
    rows = [cols.header[0]] + [cols.cells(r) for r in merged(spec.rows)]
    border = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [title_of(spec, k), ""]
    for key, value in head_pairs(spec):
        out.append(f"{key}：{value}")
    out += ["", border]
    for i, cells in enumerate(rows):
        wrapped = [wrap(c, w, width) for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped)
        for line in range(height):
            parts = [pad(w[line] if line < len(w) else "", size, width) for w, size in zip(wrapped, widths)]
            out.append("| " + " | ".join(parts) + " |")
        out.append(border.replace("-", "=") if i == 0 else border)
    return out


# ---------------------------------------------------------------- Excel exports


def excel_rows(spec: Spec, k: int, cols: Columns | None = None) -> list[list[str]]:
    """The sheet as Excel holds it: title row, head rows, header row(s), indicator rows."""
    cols = cols or standard_columns(spec)
    n = cols.width
    rows = [[title_of(spec, k)] + [""] * (n - 1)]
    for key, value in head_pairs(spec):
        rows.append([key, value] + [""] * (n - 2))
    rows.extend(list(h) for h in cols.header)
    for r in merged(spec.rows):
        # Alt+Enter line breaks inside long cells
        rows.append(["\n".join(wrap(c, 24)) if len(c) > 24 else c for c in cols.cells(r)])
    return rows


def csv_text(specs: list[Spec], cols=None) -> str:
    """'CSV UTF-8' from Excel: every row padded to the sheet's width, quoting where needed."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for k, spec in enumerate(specs, start=1):
        sheet = excel_rows(spec, k, cols(spec) if cols else None)
        width_ = max(len(r) for r in sheet)
        for row in sheet:
            writer.writerow(row + [""] * (width_ - len(row)))
        writer.writerow([""] * width_)
    return buf.getvalue()


def excel_tab_text(specs: list[Spec]) -> str:
    """Excel 'Unicode Text': tab-delimited, cells with line breaks quoted."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\r\n")
    for k, spec in enumerate(specs, start=1):
        for row in excel_rows(spec, k):
            writer.writerow(row)
        buf.write("\r\n")
    return buf.getvalue()


def tab_table(spec: Spec, k: int, cols: Columns | None = None, *, title_gap: list[str] | None = None) -> list[str]:
    """004's layout: one row per line, cells split by tabs, merged level cells left empty."""
    cols = cols or standard_columns(spec)
    out = [title_of(spec, k)]
    out.extend(title_gap or [])
    for key, value in head_pairs(spec):
        out.append(f"{key}\t{value}")
    out.extend("\t".join(h) for h in cols.header)
    out.extend("\t".join(cols.cells(r)) for r in merged(spec.rows))
    return out


# ---------------------------------------------------------------- aligned text (pdftotext -layout, pandoc plain)

LAYOUT_WIDTHS = {"一级指标": 8, "二级指标": 10, "三级指标": 14, "绩效指标描述": 16, "指标值": 10, "指标值确定依据": 14,
                 "符号": 4, "值": 8, "单位": 6, "预期指标值": 16, "实际完成指标值": 20, "计量单位": 6, "指标性质": 4}


def _centered_lines(spec: Spec, cols: Columns, widths: list[int], measure, numbered: bool):
    """(cells, row number) per printed line of a table whose cells are centred vertically.

    Each row is as tall as its tallest wrapped cell; a short cell sits in the middle of its row,
    a merged level cell in the middle of its group's rows (rounding down, as a renderer does).
    """
    rows = [cols.cells(r) for r in spec.rows]
    wrapped = [[wrap(c, w, measure) for c, w in zip(cells, widths)] for cells in rows]
    level_cols = [i for i, h in enumerate(cols.header[0]) if h in ("一级指标", "二级指标")]
    heights = [max(len(w) for w in ws) for ws in wrapped]
    tops = [sum(heights[:k]) for k in range(len(rows))]
    grid: dict[int, list[tuple[int, int, str]]] = {}
    for k, ws in enumerate(wrapped):
        for i, lines in enumerate(ws):
            if i in level_cols or not lines[0]:
                continue
            start = tops[k] + (heights[k] - len(lines)) // 2
            for n, text in enumerate(lines):
                grid.setdefault(start + n, []).append((i, i, text))
    for i in level_cols:
        k = 0
        while k < len(rows):
            end = k
            same = lambda a, b: rows[a][i] == rows[b][i] and rows[a][level_cols[0]] == rows[b][level_cols[0]]
            while end + 1 < len(rows) and same(end + 1, k):
                end += 1
            lines = wrapped[k][i]
            span = tops[end] + heights[end] - tops[k]
            start = tops[k] + (span - len(lines)) // 2
            for n, text in enumerate(lines):
                grid.setdefault(start + n, []).append((i, i, text))
            k = end + 1
    total = sum(heights)
    middles = {tops[k] + (heights[k] - 1) // 2: str(k + 1) for k in range(len(rows))}
    return [(grid.get(n, []), middles.get(n, "") if numbered else "") for n in range(total)]


def _spans(top: list[str], sub: list[str] | None) -> list[tuple[int, int, str]]:
    """(first column, last column, text) of each top header cell; a cell spans the empty ones after it."""
    spans = []
    for i, text in enumerate(top):
        if text or not spans:
            spans.append([i, i, text])
        else:
            spans[-1][1] = i
    if sub is None:
        return [(a, a, t) for a, _, t in spans] + [(i, i, "") for a, b, _ in spans for i in range(a + 1, b + 1)]
    return [tuple(x) for x in spans]


def aligned_table(
    spec: Spec,
    k: int,
    *,
    numbered: bool = False,
    cols: Columns | None = None,
    measure=len,
    centered_header: bool = True,
    dashes: bool = False,
    blank_between: bool = False,
    scale: float = 1.0,
    gap: str = "   ",
    centered: bool = False,
) -> list[str]:
    """Cells placed in fixed columns, wrapped cells continuing below in the same column (top-aligned).

    `measure=len` places text by character index, as pdftotext -layout does; `measure=width`
    by display width, as pandoc's plain-text tables do. `dashes` adds pandoc's dash lines
    (column extents under the header, rules above and below); `blank_between` separates rows
    by an empty line, as pandoc's multiline tables do. A two-row header centres the spanning
    cell (指标值) over its sub-columns (符号 值 单位). `scale` narrows the columns (more cells
    wrap), `gap` is the space between columns. `centered` centres every cell vertically in
    its row, and a merged level cell in its group of rows, as Excel and WPS tables often do.
    """
    cols = cols or standard_columns(spec)
    top = cols.header[0]
    sub = cols.header[1] if len(cols.header) > 1 else None
    names = [(sub[i] if sub and sub[i] else top[i]) for i in range(len(top))]
    widths = [max(3, round(LAYOUT_WIDTHS.get(n, 10) * scale)) for n in names]
    if measure is width:
        widths = [2 * w for w in widths]
    for r in spec.rows:  # a real table's column is at least as wide as its longest word
        widths = [max(w, longest_unbreakable(c, measure)) for w, c in zip(widths, cols.cells(r))]
    lead = 4 if numbered else 2
    align = "center" if centered_header else "left"

    def place(cells: list[tuple[int, int, str]], number: str = "", how: str = "left") -> str:
        text = pad(number, lead)
        for a, b, cell in sorted(cells):
            size = sum(widths[a : b + 1]) + len(gap) * (b - a)
            start = lead + sum(widths[:a]) + len(gap) * a
            text = pad(text, start, measure) + pad(cell, size, measure, how)
        return text.rstrip()

    rule = "-" * (lead + sum(widths) + len(gap) * (len(widths) - 1))
    out = [" " * 20 + title_of(spec, k), ""]
    for key, value in head_pairs(spec):
        out.append(f"  {key}{gap}{value}")
    out.append("")
    if dashes:
        out.append(rule)
    if sub:
        out.append(place(_spans(top, sub), "", "center"))
        out.append(place([(i, i, c) for i, c in enumerate(sub) if c], "", align))
    else:
        out.append(place([(i, i, c) for i, c in enumerate(top)], "序号" if numbered else "", align))
    if dashes:
        out.append(" " * lead + gap.join("-" * w for w in widths))
    if centered:
        out.extend(place(cells, number) for cells, number in _centered_lines(spec, cols, widths, measure, numbered))
    for n, r in enumerate([] if centered else merged(spec.rows), start=1):
        wrapped = [wrap(c, w, measure) for c, w in zip(cols.cells(r), widths)]
        for line in range(max(len(w) for w in wrapped)):
            cells = [(i, i, w[line]) for i, w in enumerate(wrapped) if line < len(w)]
            out.append(place(cells, str(n) if numbered and line == 0 else ""))
        if blank_between:
            out.append("")
    if dashes:
        out.append(rule)
    return out


# ---------------------------------------------------------------- PDF reading-order text (002 without row numbers)


def flow_table(spec: Spec, k: int, *, numbered: bool = False) -> list[str]:
    """Text in reading order, as 002's converter gives it, but without the row-number column.

    Level cells of a group are printed once (merged); a row's short cells share one line,
    separated by single spaces; a wrapped cell is emitted line by line, each piece on its own
    line, with blank lines between cells, as in 002.
    """
    out = [f" {title_of(spec, k)}", ""]
    for key, value in head_pairs(spec):
        out.append(f"{key} {value}")
        out.append("")
    out.append(("11 " if numbered else "") + "一级指标 二级指标 三级指标 指标说明 指标值 指标确定依据")
    out.append("")
    out.append(("12 " if numbered else "") + "符号 值 单位")
    out.append("")
    out.append("（文字描述）")
    out.append("")
    limits = {"level3": 8, "description": 9, "basis": 12}
    for n, r in enumerate(merged(spec.rows), start=13):
        prefix = f"{n} " if numbered else ""
        labels = [c for c in (r["level1"], r["level2"]) if c]
        for lab in labels:
            out.append(prefix + lab)
            prefix = ""
            out.append("")
        pieces = {f: wrap(r[f], limits[f]) for f in limits}
        value = " ".join(p for p in (r.get("_op", r["operator"]), r["value"], r["unit"]) if p)
        value = to_wide(value) if "_op" in r else value
        if all(len(pieces[f]) == 1 for f in ("level3", "description")):
            line = " ".join(p for p in (r["level3"], r["description"], value) if p)
            out.append(prefix + line + (" " + pieces["basis"][0] if pieces["basis"][0] else ""))
            out.extend(pieces["basis"][1:])
        else:
            for f in ("level3", "description"):
                for p in pieces[f]:
                    out.append(prefix + p)
                    prefix = ""
                    out.append("")
            out.append(value + (" " + pieces["basis"][0] if pieces["basis"][0] else ""))
            out.extend(pieces["basis"][1:])
        out.append("")
    return out


# ---------------------------------------------------------------- department-wide and continued tables


DEPARTMENT_TASKS = [("党建工作", "加强基层党组织建设", "10.5"), ("干部教育培训", "开展各类干部教育培训", "20")]


def department_goal(spec: Spec) -> str:
    return "；".join(spec.goals) or "全面加强党的建设，提高组织工作质量。"


def department_tab(spec: Spec, k: int, *, markdown: bool = False) -> list[str]:
    """部门整体支出绩效目标表: tasks, 年度总体目标, then indicators beside a 年度绩效指标 label cell."""
    goal = department_goal(spec)
    rows = [
        ["部门（单位）名称", "XX县委组织部", "", "", "", "", ""],
        ["年度主要任务", "任务名称", "主要内容", "预算金额（万元）", "", "", ""],
    ]
    rows += [["", name, content, amount, "", "", ""] for name, content, amount in DEPARTMENT_TASKS]
    rows.append(["年度总体目标", goal, "", "", "", "", ""])
    rows.append(["年度绩效指标", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    for r in merged(spec.rows):
        rows.append([""] + standard_columns(spec).cells(r))
    out = [f"{k}、部门整体支出绩效目标表", "（2025年度）", "单位：万元"]
    if not markdown:
        return out + ["\t".join(r) for r in rows]
    out.append("| " + " | ".join(rows[0]) + " |")
    out.append("|" + "---|" * len(rows[0]))
    out.extend("| " + " | ".join(r) + " |" for r in rows[1:])
    return out


def continued_tab(spec: Spec, k: int, *, title: bool = True, debris: tuple[str, ...] = ("- 7 -",)) -> list[str]:
    """A table broken by a page: page-number debris, the title again with （续）, the header repeated."""
    lines = tab_table(spec, k)
    header_at = next(i for i, line in enumerate(lines) if line.startswith("一级指标"))
    half = header_at + 1 + max(1, (len(lines) - header_at - 1) // 2)
    page2 = list(debris) + ([f"{title_of(spec, k)}（续）"] if title else []) + [lines[header_at]]
    return lines[:half] + page2 + lines[half:]


def continued(renderer, debris: tuple[str, ...] = ("", "- 7 -", "")):
    """Any layout broken by a page after half its rows: page number, title with （续）, header again.

    The rows after the break start a new group, as a PDF or markdown conversion prints the
    top of a page (the level cells repeated).
    """
    def table_lines(spec: Spec, k: int) -> list[str]:
        half = max(1, len(spec.rows) // 2)
        first = renderer(replace(spec, rows=spec.rows[:half]), k)
        second = renderer(replace(spec, rows=spec.rows[half:]), k)
        header_at = next(i for i, line in enumerate(second) if "一级" in line and "二级" in line)
        return first + list(debris) + [f"{title_of(spec, k)}（续）", ""] + second[header_at:]
    return table_lines


def browser_copy(spec: Spec, k: int) -> list[str]:
    """A web page's table copied from the browser: tab-separated, no cell under a rowspan."""
    cols = standard_columns(spec)
    out = [title_of(spec, k)]
    for key, value in head_pairs(spec):
        out.append(f"{key}\t{value}")
    out.append("\t".join(cols.header[0]))
    for r, m in zip(spec.rows, merged(spec.rows)):
        cells = cols.cells(m)
        covered = (m["level1"] == "" and r["level1"] != "") + (m["level2"] == "" and r["level2"] != "")
        out.append("\t".join(cells[covered:]))
    return out


def html_table(spec: Spec, k: int) -> list[str]:
    """pandoc's markdown for a table with merged cells: raw HTML with rowspan, one tag per line."""
    cols = standard_columns(spec)
    out = [f"## {title_of(spec, k)}", "", f"项目名称：{spec.project}", "", "<table>", "<thead>", "<tr>"]
    out += [f"<th>{h}</th>" for h in cols.header[0]]
    out += ["</tr>", "</thead>", "<tbody>"]
    rows = spec.rows
    spans: dict[tuple[int, int], int] = {}
    for col, field_ in ((0, "level1"), (1, "level2")):
        i = 0
        while i < len(rows):
            j = i
            while j + 1 < len(rows) and rows[j + 1][field_] == rows[i][field_] and rows[j + 1]["level1"] == rows[i]["level1"]:
                j += 1
            spans[(i, col)] = j - i + 1
            for covered in range(i + 1, j + 1):
                spans[(covered, col)] = 0
            i = j + 1
    for n, r in enumerate(rows):
        out.append('<tr class="odd">' if n % 2 == 0 else '<tr class="even">')
        for col, cell in enumerate(cols.cells(r)):
            span = spans.get((n, col), 1)
            if span == 0:
                continue
            attr = f' rowspan="{span}"' if span > 1 else ""
            text = cell.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(f"<td{attr}>{text}</td>")
        out.append("</tr>")
    out += ["</tbody>", "</table>"]
    return out


# ---------------------------------------------------------------- row transformations


def as_101(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """财预〔2021〕101号: 成本指标 leaves 产出 and becomes a level1 with 经济成本指标 under it."""
    cost = [dict(r, level1="成本指标", level2="经济成本指标") for r in rows if r["level2"] == "成本指标"]
    rest = [r for r in rows if r["level2"] != "成本指标"]
    last_output = max((i for i, r in enumerate(rest) if r["level1"] == "产出指标"), default=-1)
    return rest[: last_output + 1] + cost + rest[last_output + 1 :]


OPERATOR_SPELLINGS = ("＞＝", ">=", "≧", "不低于", "大于等于")


def respelled(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The same targets typed other ways: ≥ as ＞＝ / >= / ≧ / 不低于, full-width digits and ％."""
    out = []
    k = 0
    for r in rows:
        r = dict(r)
        if r["operator"] == "≥":
            r["_op"] = OPERATOR_SPELLINGS[k % len(OPERATOR_SPELLINGS)]
            k += 1
        out.append(r)
    return out


def respelled_value(r: dict[str, str]) -> str:
    op = r.get("_op", r["operator"])
    sep = " " if op in QUALITATIVE else ""
    return to_wide(f"{op}{sep}{r['value']}{r['unit']}") if r.get("_op") else value_cell(r)


# ---------------------------------------------------------------- checks of the renderers


def test_wrap_keeps_text_and_latin_words():
    text = "秦财行[2024]479 号文件规定的标准"
    parts = wrap(text, 6)
    assert "".join(parts) == text and all(len(p) <= 12 for p in parts)


def test_merged_blanks_repeated_levels():
    rows = [
        {"level1": "产出指标", "level2": "数量指标"},
        {"level1": "产出指标", "level2": "数量指标"},
        {"level1": "产出指标", "level2": "质量指标"},
        {"level1": "效益指标", "level2": "社会效益指标"},
    ]
    got = [(r["level1"], r["level2"]) for r in merged(rows)]
    assert got == [("产出指标", "数量指标"), ("", ""), ("", "质量指标"), ("效益指标", "社会效益指标")]


def test_aligned_table_keeps_columns():
    spec = Spec("x", 1, "测试项目", [], [
        {"level1": "产出指标", "level2": "数量指标", "level3": "培训人数", "description": "年度培训人数",
         "operator": "≥", "value": "100", "unit": "人", "basis": "年度计划", "expected": "", "actual": ""},
    ])
    lines = aligned_table(spec, 1)
    row = next(line for line in lines if "培训人数" in line)
    header = next(line for line in lines if "一级指标" in line)
    assert row.index("产出指标") == 2 and 2 <= header.index("一级指标") <= 6
