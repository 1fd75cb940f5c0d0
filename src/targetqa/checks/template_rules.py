"""Template residue: what the blank form said, left in the published table.

Forms come with placeholders (≥**人, (≥**%)), marks (★ core indicator, * required field) and
instructions to the person filling them in (结合自评情况，说明…(200字以内), 注：各地请根据实际情况…).
Left in a published table they show the form was filled in without being read through. None of
them makes a target wrong by itself, so these are warnings or notes, in a family of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

from targetqa import rx
from targetqa.checks.context import header_says
from targetqa.checks.fold import fold_text
from targetqa.checks.registry import Hit, rule
from targetqa.model import Document, Row, Table
from targetqa.taxonomy import compact

# '≥**人', '(≥**%)', '**个': two or more asterisks standing for a number. A republisher's masking
# of digits or names (≤****000元, 太**) touches digits or is not before a unit: not a placeholder.
_PLACEHOLDER = rx.compile(
    r"(?:^|[≥≤><=＝＞＜(（\s])\*{2,}\s*(?:[%％]|个|人|次|万元|元|项|户|场|亩|天|件|份|(?=[)）])|$)"
    r"|[XＸ×]{2,}\s*(?:[%％]|个|人|次|万元|元|项|户|场|亩|天|件|份)"
)
_MARK = rx.compile(r"^\s*(?:[★☆※]+|\*(?!\*))")


@rule(
    "TPL001", "placeholder-left", "warning", "row",
    "模板占位符没有替换",
    "“{name}”中还留着模板的占位符“{mark}”。",
    "模板用“≥**人”“(≥**%)”提示要填写的目标值和单位。占位符留在已公开的表中，说明表格是照模板填的、没有通读；"
    "请删去占位符，只保留指标名称和实际的目标值。",
    "realdocs D16 数量指标“贫困地区旅游景点开发数量(≥**个)”",
)
def placeholder_left(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    for cell in (row.level3, row.value_text or row.value, row.description):
        m = _PLACEHOLDER.search(cell or "")
        if m:
            yield Hit({"name": row.level3 or row.value_text, "mark": m.group(0).strip("(（ ")}, f"单元格：{cell}")
            return


@rule(
    "TPL002", "form-mark-in-name", "info", "row",
    "指标名称前留有模板标记",
    "“{name}”前面有模板的标记“{mark}”。",
    "有的模板用 ★ 标出核心指标、用 * 标出必填项。标记留在指标名称里，复制、汇总和比对指标时会被当成名称的一部分；"
    "需要标明核心指标时，宜在备注栏说明。",
    "realdocs D07 数量指标“★补助各类瓜果蔬菜种植面积”",
)
def form_mark_in_name(row: Row, table: Table, doc: Document) -> Iterator[Hit]:
    m = _MARK.match(row.level3 or "")
    if m:
        yield Hit({"name": row.level3, "mark": m.group(0).strip()}, f"三级指标：{row.level3}")


# Instructions addressed to the person filling in the form, not content of the table.
_INSTRUCTION = rx.compile(
    r"[(（]\s*\d+\s*字以内\s*[)）]|各地(?:区|单位)?请|请(?:根据|结合|按照|如实)[^。；]{0,30}(?:填写|填报|设置|调整|增减)|"
    r"根据实际(?:情况)?(?:填写|增减|调整|自行)|(?:此栏|本栏|此处)(?:请)?填写|填表说明|填报说明"
)


@rule(
    "TPL003", "form-instructions-left", "warning", "table",
    "表中留有填表说明",
    "“{project}”的表中留有模板的填表说明（{count} 处），如第 {line} 行“{text}”。",
    "“结合自评情况，说明……（200字以内）”“注：各地请根据实际情况……”是写给填表人的说明。它们留在应填写内容的栏里，"
    "说明这一栏其实没有填写（评价结论、存在问题、改进措施等空着），表也没有通读。请删去说明，填写实际内容。",
    "realdocs D14 自评表“评价结论”栏：“结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)”",
)
def form_instructions_left(table: Table, doc: Document) -> Iterator[Hit]:
    if not doc.lines or not table.line:
        return
    start = table.line - 1
    later = [t.line for t in doc.tables if t.line > table.line]
    last_row = max((r.line for r in table.rows if r.line), default=table.line)
    end = min([*later, last_row + 40, len(doc.lines) + 1]) - 1
    hits = [(i + 1, doc.lines[i].strip(" |\t")) for i in range(start, max(start, end))
            if _INSTRUCTION.search(fold_text(compact(doc.lines[i])))]
    if hits:
        line, text = hits[0]
        yield Hit({"project": table.project, "count": len(hits), "line": line, "text": text[:40]},
                  "；".join(f"第 {n} 行：{t[:30]}" for n, t in hits[:4]), line=line)


_LONG_TERM = rx.compile(r"中期|实施期|长期|滚动")


@rule(
    "TPL004", "mid-term-copies-annual", "warning", "table",
    "中期指标与年度指标逐格相同",
    "“{project}”的中期（实施期）指标与年度指标逐格相同（{rows} 行全部相同），中期目标实际上没有设定。",
    "中期（或实施期）指标应反映整个实施期要达到的规模和效果，年度指标只是其中一年的部分。两组指标逐格相同，"
    "说明表格是把年度一栏复制到中期一栏（或反过来），多年期的目标没有写。请按实施期的总任务重新填写中期指标。",
    "realdocs D09 项目支出绩效目标申报表：中期（2024年—2026年）与年度的 7 行指标、指标值逐格相同",
)
def mid_term_copies_annual(table: Table, doc: Document) -> Iterator[Hit]:
    rows = [r for r in table.rows if compact(r.level3) and r.line]
    if len(rows) < 2 or not doc.lines or not header_says(table, doc, _LONG_TERM, back=12):
        return
    lines = {r.line for r in rows}
    if any(r.line in lines for t in doc.tables if t is not table for r in t.rows):
        return  # the two groups were read as two tables: DUP001 compares them
    for r in rows:
        text = compact(fold_text(doc.lines[r.line - 1])) if r.line <= len(doc.lines) else ""
        value = compact(r.value_text or r.shown_value)
        if text.count(compact(r.level3)) < 2 or not value or text.count(value) < 2:
            return
    yield Hit({"project": table.project or table.title, "rows": len(rows)},
              f"第 {rows[0].line}–{rows[-1].line} 行每行的三级指标和指标值都出现两次", line=rows[0].line)
