"""Checks on one table as a whole: structure, goals, and numbers against the table's own budget."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from targetqa.checks.registry import Hit, rule
from targetqa.checks.semantics import ValueKind, is_cost_row, measure_of, Measure, money_in_wan, value_info
from targetqa.extract.values import number_of, split_value
from targetqa.model import Document, Table
from targetqa.taxonomy import LEVEL1_OF_LEVEL2, canonical_level1, canonical_level2, compact

_TOLERANCE = 0.005  # rounding in published tables (万元 with two decimals)


def _project_tables(table: Table) -> bool:
    return table.kind in ("project", "final")


# --------------------------------------------------------------------------- STR


@rule(
    "STR001", "no-output-rows", "error", "table",
    "缺少产出指标",
    "“{project}”没有产出指标。",
    "每个项目至少需要一个产出指标（数量、质量、时效或成本），否则无法判断钱花出去做成了什么"
    "（财预〔2021〕101号）。",
    "003 表1 一级指标写作“完成指标”，表内没有“产出指标”",
)
def no_output_rows(table: Table, doc: Document) -> Iterator[Hit]:
    if not table.rows or table.kind == "department":
        return
    # A table whose level1 label is non-standard (完成指标) but whose level2s are 数量/质量/…
    # has output rows; STR003 reports the label.
    if not any(canonical_level1(r.level1) in ("产出指标", "成本指标") or LEVEL1_OF_LEVEL2.get(canonical_level2(r.level2) or "") == "产出指标" for r in table.rows):
        yield Hit({"project": table.project}, "一级指标：" + "、".join(sorted({r.level1 for r in table.rows if r.level1})))


@rule(
    "STR002", "no-benefit-rows", "error", "table",
    "缺少效益指标",
    "“{project}”没有效益指标。",
    "每个项目至少需要一个效益指标（经济、社会、生态效益或可持续影响），说明项目带来了什么变化"
    "（财预〔2021〕101号）。",
    "（示例）只有产出和满意度指标的项目表",
)
def no_benefit_rows(table: Table, doc: Document) -> Iterator[Hit]:
    if not table.rows or table.kind == "department":
        return
    if not any(canonical_level1(r.level1) == "效益指标" or LEVEL1_OF_LEVEL2.get(canonical_level2(r.level2) or "") == "效益指标" for r in table.rows):
        yield Hit({"project": table.project}, "一级指标：" + "、".join(sorted({r.level1 for r in table.rows if r.level1})))


@rule(
    "STR003", "unknown-level1", "warning", "table",
    "一级指标名称不规范",
    "一级指标“{label}”不是规定的指标名称。",
    "一级指标应为产出指标、效益指标（旧称效果指标）、满意度指标，或按 101 号文单列的成本指标。",
    "003 表1 一级指标“完成指标”",
)
def unknown_level1(table: Table, doc: Document) -> Iterator[Hit]:
    seen: set[str] = set()
    for row in table.rows:
        label = compact(row.level1)
        if label and label not in seen and canonical_level1(label) is None:
            seen.add(label)
            yield Hit({"label": row.level1}, f"第 {row.row_no} 行", row=row)


@rule(
    "STR004", "unknown-level2", "warning", "table",
    "二级指标名称不规范",
    "二级指标“{label}”不是规定的指标名称。",
    "二级指标应为数量、质量、时效、成本、经济效益、社会效益、生态效益、可持续影响、服务对象满意度指标之一。",
    "（示例）二级指标“工作指标”",
)
def unknown_level2(table: Table, doc: Document) -> Iterator[Hit]:
    seen: set[str] = set()
    for row in table.rows:
        label = compact(row.level2)
        if label and label not in seen and canonical_level2(label) is None:
            seen.add(label)
            yield Hit({"label": row.level2}, f"第 {row.row_no} 行", row=row)


@rule(
    "STR005", "level2-under-wrong-level1", "warning", "table",
    "二级指标挂错一级指标",
    "二级指标“{level2}”放在了一级指标“{level1}”下，应属于“{expected}”。",
    "二级指标有固定的上级：数量/质量/时效/成本属于产出，经济/社会/生态效益和可持续影响属于效益，"
    "服务对象满意度属于满意度。",
    "（示例）产出指标下的“社会效益指标”",
)
def level2_under_wrong_level1(table: Table, doc: Document) -> Iterator[Hit]:
    seen: set[tuple[str, str]] = set()
    for row in table.rows:
        l1, l2 = canonical_level1(row.level1), canonical_level2(row.level2)
        if not l1 or not l2 or (l1, l2) in seen:
            continue
        expected = LEVEL1_OF_LEVEL2.get(l2)
        if expected and l1 != expected and not (l2 == "成本指标" and l1 == "成本指标"):
            seen.add((l1, l2))
            yield Hit({"level1": row.level1, "level2": row.level2, "expected": expected}, f"第 {row.row_no} 行", row=row)


@rule(
    "STR006", "no-goals", "warning", "table",
    "缺少年度绩效目标",
    "“{project}”没有填写年度绩效目标。",
    "项目表应先写明年度绩效目标，再用指标细化；没有目标的指标无从对照。",
    "（示例）表头“绩效目标”栏为空",
)
def no_goals(table: Table, doc: Document) -> Iterator[Hit]:
    if table.kind == "project" and table.rows and not any(compact(g) for g in table.goals):
        yield Hit({"project": table.project}, "年度绩效目标为空")


# --------------------------------------------------------------------------- ECHO

_GOAL_FILLER = re.compile(r"(?:专项)?(?:资金|经费)?(?:支出|使用|发放|拨付)$")


@rule(
    "ECHO002", "goal-repeats-project", "warning", "table",
    "绩效目标照抄项目名称",
    "“{project}”的年度目标“{goal}”只是重复了{what}。",
    "年度绩效目标应写明资金用来做成什么、达到什么效果；把项目名称或资金用途抄一遍，等于没有目标。",
    "002 表3 目标“党内关爱专项资金支出”（项目：党内关爱专项资金）",
)
def goal_repeats_project(table: Table, doc: Document) -> Iterator[Hit]:
    names = {"项目名称": compact(table.project), "资金用途": compact(table.purpose), "表名": compact(re.sub(r"绩效目标表$", "", table.title))}
    for goal in table.goals:
        g = compact(re.sub(r"^\s*(?:目标\s*\d|\d[.、．])\s*", "", goal)).rstrip("。")
        if not g:
            continue
        core = _GOAL_FILLER.sub("", g) or g
        for what, name in names.items():
            if name and (g == name or core == name or (len(g) >= 4 and fuzz.ratio(g, name) >= 92)):
                yield Hit({"project": table.project, "goal": goal, "what": what}, f"目标：{goal}；{what}：{name}")
                break


# --------------------------------------------------------------------------- BUD


@rule(
    "BUD001", "cost-above-budget", "error", "table",
    "成本上限超过项目预算",
    "“{name}”的成本目标 {value} 超过了本项目的年度资金总额 {budget} 万元。",
    "成本指标的金额不应超过项目本身的预算；超出说明成本或预算有一处填错，或整表是从别的项目复制来的。",
    "（示例）预算 10 万元的项目，成本指标“≤250万元”",
)
def cost_above_budget(table: Table, doc: Document) -> Iterator[Hit]:
    if table.budget is None or table.budget <= 0:
        return
    for row in table.rows:
        info = value_info(row)
        number, unit = info.number, info.unit
        if info.kind is not ValueKind.MONEY and row.operator == "文字描述":
            parsed = split_value(re.sub(r"^[^\d]*", "", row.value))
            number, unit = number_of(parsed.value), parsed.unit
        if number is None or not unit:
            continue
        if not (is_cost_row(row) or measure_of(row) is Measure.MONEY):
            continue
        if "/" in unit:
            continue  # a unit cost (元/人) is not comparable with the total
        amount = money_in_wan(number, unit)
        if amount is not None and amount > table.budget * (1 + _TOLERANCE) + 0.01:
            yield Hit(
                {"name": row.level3, "value": row.value_text or row.shown_value, "budget": f"{table.budget:g}"},
                f"成本 {amount:g} 万元 > 预算 {table.budget:g} 万元",
                row=row,
            )


@rule(
    "BUD002", "plan-not-cumulative", "error", "table",
    "资金支出计划不是累计数",
    "“{project}”的资金支出计划 {plan} 出现下降，累计进度不应减少。",
    "资金支出计划按 3、6、10、12 月底填写累计数（或累计进度%），后一个时点不应小于前一个。",
    "（示例）3月底 60、6月底 40",
)
def plan_not_cumulative(table: Table, doc: Document) -> Iterator[Hit]:
    figures = [v for _, v in table.plan]
    if len(figures) >= 2 and any(b < a - 1e-9 for a, b in zip(figures, figures[1:])):
        plan = "、".join(f"{k} {v:g}" for k, v in table.plan)
        yield Hit({"project": table.project, "plan": plan}, plan)


@rule(
    "BUD003", "plan-exceeds-budget", "error", "table",
    "资金支出计划超过预算",
    "“{project}”的资金支出计划最终为 {last}，超过{limit}。",
    "资金支出计划的累计数到 12 月底应等于年度资金总额（按进度填写时为 100%），不应超过。",
    "（示例）预算 10 万元，12月底累计 12 万元",
)
def plan_exceeds_budget(table: Table, doc: Document) -> Iterator[Hit]:
    if not table.plan:
        return
    last = table.plan[-1][1]
    if table.plan_unit == "%" or (table.budget is None and max(v for _, v in table.plan) <= 100 and last == 100):
        if last > 100 + 1e-6:
            yield Hit({"project": table.project, "last": f"{last:g}%", "limit": "100%"}, f"12月底累计 {last:g}%")
        return
    if table.budget is not None and last > table.budget * (1 + _TOLERANCE) + 0.01:
        yield Hit({"project": table.project, "last": f"{last:g} 万元", "limit": f"年度资金总额 {table.budget:g} 万元"},
                  f"计划 {last:g} > 预算 {table.budget:g}")


@rule(
    "BUD004", "actual-contradicts-expected", "warning", "table",
    "决算实际值与预期值矛盾",
    "“{name}”{problem}",
    "决算的完成情况表应如实对照预期值：实际值低于下限、或与预期值逐字相同（照抄），都需要说明。",
    "003 表1 可持续影响指标“持续救助”的实际完成值与预期值逐字相同",
)
def actual_contradicts_expected(table: Table, doc: Document) -> Iterator[Hit]:
    if table.kind != "final":
        return
    for row in table.rows:
        exp, act = compact(row.expected), compact(row.actual)
        if not exp or not act:
            continue
        if exp == act and len(exp) >= 15:
            yield Hit({"name": row.level3, "problem": "的实际完成值与预期值逐字相同，是照抄而不是完成情况。"},
                      f"预期＝实际：{row.expected[:40]}", row=row)
            continue
        e, a = split_value(exp), split_value(act)
        en, an = number_of(e.value) if re.fullmatch(r"[\d.]+", e.value) else None, number_of(a.value) if re.fullmatch(r"[\d.]+", a.value) else None
        if en is None or an is None or e.unit != a.unit:
            continue
        if (e.operator in ("≥", ">", "=", "") and an < en and e.operator != "≤") or (e.operator in ("≤", "<") and an > en):
            yield Hit({"name": row.level3, "problem": f"预期 {row.expected}，实际完成 {row.actual}，未达到预期值却没有说明。"},
                      f"预期 {row.expected}；实际 {row.actual}", row=row)
