"""Checks on one table as a whole: structure, goals, and numbers against the table's own budget."""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz

from targetqa import rx
from targetqa.checks.context import head_states_goals, header_says, table_cut_off
from targetqa.checks.registry import Hit, figure, rule
from targetqa.checks.semantics import (
    Measure,
    ValueKind,
    is_cost_row,
    measure_of,
    money_in_wan,
    value_info,
)
from targetqa.extract.values import number_of, split_value
from targetqa.model import Document, Table
from targetqa.taxonomy import (
    LEVEL1_OF_LEVEL2,
    canonical_level1,
    canonical_level2,
    compact,
    is_standard_level1,
    is_standard_level2,
)

_TOLERANCE = 0.005  # rounding in published tables (万元 with two decimals)
_REASON_COLUMN = rx.compile(r"未完成原因|偏差原因|原因分析|差异原因|未达标原因")


# --------------------------------------------------------------------------- STR


def _named(table: Table) -> str:
    """The table's project, else its title, else its number: never an empty “”."""
    return table.project or table.title or f"表{table.table_no}"


def _has_part(table: Table, *level1s: str) -> bool:
    """Any row under one of these level1s, by its label or by the parent of its level2 label."""
    return any(
        canonical_level1(r.level1) in level1s or LEVEL1_OF_LEVEL2.get(canonical_level2(r.level2) or "") in level1s
        for r in table.rows
    )


@rule(
    "STR001", "no-output-rows", "error", "table",
    "缺少产出指标",
    "“{project}”没有产出指标。",
    "每个项目至少需要一个产出指标（数量、质量、时效或成本），否则无法判断钱花出去做成了什么"
    "（财预〔2021〕101号）。",
    "（示例，语料中没有实例）只有效益和满意度指标、没有数量/质量/时效/成本指标的项目表",
)
def no_output_rows(table: Table, doc: Document) -> Iterator[Hit]:
    if not table.rows or table.kind == "department":
        return
    # A table whose level1 label is non-standard (完成指标) but whose level2s are 数量/质量/…
    # has output rows; STR003 reports the label.
    if not _has_part(table, "产出指标", "成本指标") and not table_cut_off(table, doc):
        yield Hit({"project": _named(table)}, "一级指标：" + "、".join(sorted({r.level1 for r in table.rows if r.level1})))


@rule(
    "STR002", "no-benefit-rows", "error", "table",
    "缺少效益指标",
    "“{project}”没有效益指标。",
    "每个项目至少需要一个效益指标（经济、社会、生态效益或可持续影响），说明项目带来了什么变化"
    "（财预〔2021〕101号）。",
    "（示例，语料中没有实例）只有产出和满意度指标的项目表",
)
def no_benefit_rows(table: Table, doc: Document) -> Iterator[Hit]:
    if not table.rows or table.kind == "department":
        return
    if not _has_part(table, "效益指标") and not table_cut_off(table, doc):
        yield Hit({"project": _named(table)}, "一级指标：" + "、".join(sorted({r.level1 for r in table.rows if r.level1})))


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
        # 完成指标 or 产出值 is read as 产出指标, but is still not the prescribed name
        if label and label not in seen and not is_standard_level1(label):
            seen.add(label)
            yield Hit({"label": row.level1}, f"第 {row.row_no} 行", row=row)


@rule(
    "STR004", "unknown-level2", "warning", "table",
    "二级指标名称不规范",
    "二级指标“{label}”不是规定的指标名称。",
    "二级指标应为数量、质量、时效、成本、经济效益、社会效益、生态效益、可持续影响、服务对象满意度指标之一。",
    "（示例，语料中没有实例）二级指标“工作指标”",
)
def unknown_level2(table: Table, doc: Document) -> Iterator[Hit]:
    seen: set[str] = set()
    for row in table.rows:
        label = compact(row.level2)
        if label and label not in seen and not is_standard_level2(label):
            seen.add(label)
            yield Hit({"label": row.level2}, f"第 {row.row_no} 行", row=row)


@rule(
    "STR005", "level2-under-wrong-level1", "warning", "table",
    "二级指标挂错一级指标",
    "二级指标“{level2}”放在了一级指标“{level1}”下，应属于“{expected}”。",
    "二级指标有固定的上级：数量/质量/时效/成本属于产出，经济/社会/生态效益和可持续影响属于效益，"
    "服务对象满意度属于满意度（旧的共性指标框架把满意度列在效果/效益下，不视为错误）。",
    "（示例，语料中没有实例）产出指标下的“社会效益指标”",
)
def level2_under_wrong_level1(table: Table, doc: Document) -> Iterator[Hit]:
    seen: set[tuple[str, str]] = set()
    for row in table.rows:
        l1, l2 = canonical_level1(row.level1), canonical_level2(row.level2)
        if not l1 or not l2 or (l1, l2) in seen:
            continue
        expected = LEVEL1_OF_LEVEL2.get(l2)
        if not expected or l1 == expected or (l2 == "成本指标" and l1 == "成本指标"):
            continue
        # The older common framework (财预〔2013〕53号 共性指标框架) lists 满意度 as a 二级 under
        # 效果/效益, and department-wide tables still use it (部门效果 → 满意度).
        if l2 == "服务对象满意度指标" and l1 == "效益指标":
            continue
        seen.add((l1, l2))
        yield Hit({"level1": row.level1, "level2": row.level2, "expected": expected}, f"第 {row.row_no} 行", row=row)


@rule(
    "STR006", "no-goals", "warning", "table",
    "缺少年度绩效目标",
    "“{project}”没有填写年度绩效目标。",
    "项目表应先写明年度绩效目标，再用指标细化；没有目标的指标无从对照。",
    "（示例，语料中没有实例）表头“绩效目标”栏为空",
)
def no_goals(table: Table, doc: Document) -> Iterator[Hit]:
    if table.kind == "project" and table.rows and not any(compact(g) for g in table.goals):
        if head_states_goals(table, doc):
            return  # the head has a goal sentence the extraction did not take in: not empty
        yield Hit({"project": _named(table)}, "年度绩效目标为空")


# --------------------------------------------------------------------------- ECHO

_YEAR_PREFIX = rx.compile(r"^(?:关于)?(?:提前下达)?(?:20\d{2}|\d{2})\s*年(?:度)?")


def _core(text: str) -> str:
    """A title or goal without its year, trailing 资金/经费 words, punctuation and 等."""
    t = rx.sub(r"[\s，,。.；;、“”\"'（）()《》]", "", text or "")
    t = _YEAR_PREFIX.sub("", t)
    t = rx.sub(r"等(?:项)?$", "", t)
    prev = None
    while prev != t:
        prev = t
        t = rx.sub(r"(?:专项资金|专项经费|资金|经费|费用|费|支出|使用|发放|拨付|补助|补贴)$", "", t) or t
    return t


@rule(
    "ECHO002", "goal-repeats-project", "warning", "table",
    "绩效目标照抄项目名称",
    "“{project}”的年度目标“{goal}”只是重复了{what}。",
    "年度绩效目标应写明资金用来做成什么、达到什么效果；把项目名称或资金用途抄一遍，等于没有目标。",
    "002 表3 目标“党内关爱专项资金支出”（项目：党内关爱专项资金）",
)
def goal_repeats_project(table: Table, doc: Document) -> Iterator[Hit]:
    names = {"项目名称": table.project, "资金用途": table.purpose, "表名": rx.sub(r"绩效目标表$", "", table.title)}
    for goal in table.goals:
        g = compact(rx.sub(r"^\s*(?:目标\s*\d|\d[.、．])\s*", "", goal)).rstrip("。")
        if not g:
            continue
        g_core = _core(g)
        for what, name in names.items():
            n = compact(name).rstrip("。")
            if not n:
                continue
            n_core = _core(n)
            same = g == n or (len(g_core) >= 2 and g_core == n_core)
            if same or (len(g) >= 6 and fuzz.ratio(g, n) >= 92):
                yield Hit({"project": table.project, "goal": goal, "what": what}, f"目标：{goal}；{what}：{name}")
                break


# --------------------------------------------------------------------------- BUD


@rule(
    "BUD001", "cost-above-budget", "error", "table",
    "成本上限超过项目预算",
    "“{name}”的成本目标 {value} 超过了本项目的年度资金总额 {budget} 万元。",
    "成本指标的金额不应超过项目本身的预算；超出说明成本或预算有一处填错，或整表是从别的项目复制来的。",
    "（示例，语料中没有实例）年度资金总额 10 万元的项目，成本指标“预算控制数 ≤250万元”",
)
def cost_above_budget(table: Table, doc: Document) -> Iterator[Hit]:
    if table.budget is None or table.budget <= 0:
        return
    for row in table.rows:
        info = value_info(row)
        number, unit = info.number, info.unit
        if info.kind is not ValueKind.MONEY and row.operator == "文字描述":
            parsed = split_value(rx.sub(r"^[^\d]*", "", row.value))
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
                {"name": row.level3, "value": row.value_text or row.shown_value, "budget": f"{figure(table.budget)}"},
                f"成本 {figure(amount)} 万元 > 预算 {figure(table.budget)} 万元",
                row=row,
            )


@rule(
    "BUD002", "plan-not-cumulative", "error", "table",
    "资金支出计划不是累计数",
    "“{project}”的资金支出计划 {plan} 出现下降，累计进度不应减少。",
    "资金支出计划按 3、6、10、12 月底填写累计数（或累计进度%），后一个时点不应小于前一个。",
    "（示例，语料中没有实例）资金支出计划 3月底 60、6月底 40",
)
def plan_not_cumulative(table: Table, doc: Document) -> Iterator[Hit]:
    figures = [v for _, v in table.plan]
    if len(figures) >= 2 and any(b < a - 1e-9 for a, b in zip(figures, figures[1:])):
        plan = "、".join(f"{k} {figure(v)}" for k, v in table.plan)
        yield Hit({"project": table.project, "plan": plan}, plan)


@rule(
    "BUD003", "plan-exceeds-budget", "error", "table",
    "资金支出计划超过预算",
    "“{project}”的资金支出计划最终为 {last}，超过{limit}。",
    "资金支出计划的累计数到 12 月底应等于年度资金总额（按进度填写时为 100%），不应超过。",
    "（示例，语料中没有实例）年度资金总额 10 万元，12月底累计 12 万元",
)
def plan_exceeds_budget(table: Table, doc: Document) -> Iterator[Hit]:
    if not table.plan:
        return
    last = table.plan[-1][1]
    if table.plan_unit == "%" or (table.budget is None and max(v for _, v in table.plan) <= 100 and last == 100):
        if last > 100 + 1e-6:
            yield Hit({"project": table.project, "last": f"{figure(last)}%", "limit": "100%"}, f"12月底累计 {figure(last)}%")
        return
    if table.budget is not None and last > table.budget * (1 + _TOLERANCE) + 0.01:
        yield Hit({"project": table.project, "last": f"{figure(last)} 万元", "limit": f"年度资金总额 {figure(table.budget)} 万元"},
                  f"计划 {figure(last)} > 预算 {figure(table.budget)}")


@rule(
    "BUD009", "mid-term-below-annual", "error", "table",
    "中期资金少于年度资金",
    "“{project}”的中期资金总额 {mid} 万元少于年度资金总额 {annual} 万元。",
    "中期（实施期）包括本年度，中期资金总额不会少于年度资金总额；少了说明两个数有一个填错，"
    "或中期、年度两栏是分别从不同的表抄来的。",
    "realdocs D08 “城管执法车辆维修燃油费”：中期资金总额 170.00、年度资金总额 340.00（万元），中期目标写的是 2023年—2023年",
)
def mid_term_below_annual(table: Table, doc: Document) -> Iterator[Hit]:
    if table.mid_budget is None or table.budget is None or table.mid_budget <= 0:
        return
    if table.mid_budget < table.budget * (1 - _TOLERANCE) - 0.01:
        mid, annual = figure(table.mid_budget), figure(table.budget)
        yield Hit({"project": table.project, "mid": mid, "annual": annual}, f"中期资金总额 {mid} 万元 < 年度资金总额 {annual} 万元")


@rule(
    "BUD004", "actual-contradicts-expected", "warning", "table",
    "决算实际值与预期值矛盾",
    "决算指标“{name}”{problem}",
    "决算的完成情况表应如实对照预期值：实际值低于下限、与预期值逐字相同（照抄）、"
    "或预期是数值而实际只写“非常满意”之类的文字，都需要说明或改正。",
    "003 表1 可持续影响指标“持续救助”的实际完成值与预期值逐字相同",
)
def actual_contradicts_expected(table: Table, doc: Document) -> Iterator[Hit]:
    if table.kind != "final":
        return
    explained = header_says(table, doc, _REASON_COLUMN)
    for row in table.rows:
        exp, act = compact(row.expected), compact(row.actual)
        if not exp or not act:
            continue
        if exp == act and len(exp) >= 15:
            yield Hit({"name": row.level3, "problem": "的实际完成值与预期值逐字相同，是照抄而不是完成情况。"},
                      f"预期＝实际：{row.expected[:40]}", row=row)
            continue
        # a numeric target (满意度≥98%, 450人) answered with words only (非常满意)
        if (len(rx.findall(r"\d+(?:\.\d+)?", exp)) == 1 and len(exp) <= 30 and rx.search(r"\d+(?:\.\d+)?\s*[)）]?\s*(?:%|％|人|个|次|万元|元|户|项|场|件|份|套|台|本|卷|条|种|篇|名|家)", exp)
                and not rx.search(r"\d", act)):
            yield Hit({"name": row.level3, "problem": f"预期 {row.expected}，实际完成值“{row.actual[:40]}”没有给出可以对照的数值。"},
                      f"预期 {row.expected}；实际 {row.actual[:60]}", row=row)
            continue
        e, a = split_value(exp), split_value(act)
        en, an = number_of(e.value) if rx.fullmatch(r"[\d.]+", e.value) else None, number_of(a.value) if rx.fullmatch(r"[\d.]+", a.value) else None
        if en is None or an is None or e.unit != a.unit:
            continue
        if (e.operator in ("≥", ">", "=", "") and an < en and e.operator != "≤") or (e.operator in ("≤", "<") and an > en):
            if explained:
                continue  # the table has a column for the reason (未完成原因), which the row may fill
            yield Hit({"name": row.level3, "problem": f"预期 {row.expected}，实际完成 {row.actual}，未达到预期值却没有说明。"},
                      f"预期 {row.expected}；实际 {row.actual}", row=row)


@rule(
    "BUD006", "plan-percent-is-amount", "warning", "table",
    "资金支出计划的单位与数字不符",
    "“{project}”的资金支出计划标为百分比，12月底累计却是 {last}，{why}",
    "按累计进度（%）填写时，12 月底应为 100%；按金额填写时应标明万元。标为 % 的数字等于年度资金总额，"
    "说明把金额填进了百分比栏，读者无法判断支出进度。",
    "002 表18 资金支出计划（%）：3月底 3.00、6月底 6.00、10月底 9.00、12月底 10.95（预算数 10.95 万元）",
)
def plan_percent_is_amount(table: Table, doc: Document) -> Iterator[Hit]:
    if table.plan_unit != "%" or not table.plan or table.budget is None or table.budget <= 0:
        return
    last = table.plan[-1][1]
    if abs(last - 100) > 0.5 and abs(last - table.budget) <= max(0.01, table.budget * _TOLERANCE):
        plan = "、".join(f"{k} {figure(v)}" for k, v in table.plan)
        yield Hit({"project": table.project, "last": f"{figure(last)}",
                   "why": f"与年度资金总额 {figure(table.budget)} 万元相同，像是金额而不是累计进度。"},
                  f"计划（%）：{plan}；预算 {figure(table.budget)} 万元")


# A name for the project's whole amount, not for what the money buys: 项目金额, 项目计划总投资,
# 本年预算安排, 预算控制数, 项目总成本.
_WHOLE_AMOUNT = rx.compile(
    r"(?:本年|本年度|年度|全年)?(?:项目)?(?:计划)?(?:预算)?(?:总)?(?:金额|投资|资金|预算|预算安排|安排|成本|经费|支出|控制数|资金量)"
    r"(?:总额|总量|总计|合计|控制数|额|数)?"
)


@rule(
    "BUD007", "cost-restates-budget", "warning", "table",
    "成本指标只是重复项目预算",
    "成本指标“{name}”只是把本项目的年度资金总额 {budget} 万元再写一遍（{value}），没有说明钱花在哪里、单位成本多少。",
    "成本指标应反映产出的成本：单位成本（元/人、元/亩、元/场）或主要支出项的金额上限。把项目预算总额再写一遍"
    "（项目金额 5 万元，预算 5 万元），年终必然“达标”，起不到控制成本的作用。只提示名称就是项目总额的行"
    "（项目金额、项目总投资、预算控制数）；写明支出内容的成本（培训经费 ≤5 万元）不在此列。",
    "realdocs D05 成本指标“项目金额 5万元”，年度资金总额 5 万元",
    convention=True,
)
def cost_restates_budget(table: Table, doc: Document) -> Iterator[Hit]:
    if table.budget is None or table.budget <= 0:
        return
    costs = [r for r in table.rows if is_cost_row(r) and _WHOLE_AMOUNT.fullmatch(rx.sub(r"[（(][^）)]*[）)]", "", compact(r.level3)))]
    for row in costs:
        info = value_info(row)
        if info.kind is not ValueKind.MONEY or info.number is None or "/" in info.unit:
            continue
        amount = money_in_wan(info.number, info.unit)
        if amount is not None and abs(amount - table.budget) <= max(0.01, table.budget * _TOLERANCE):
            yield Hit({"name": row.level3, "value": row.value_text or row.shown_value, "budget": figure(table.budget)},
                      f"成本 {figure(amount)} 万元 = 预算 {figure(table.budget)} 万元", row=row)


# --------------------------------------------------------------------------- DUP (within one table)


def _same_name(a: str, b: str) -> bool:
    """Equal, or one is the other with a word of at most two characters before or after (督导各项工作完成)."""
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and len(long_) - len(short) <= 2 and (long_.startswith(short) or long_.endswith(short)))


@rule(
    "DUP006", "indicator-under-two-level2", "warning", "table",
    "同一指标放在两个二级指标下",
    "“{name}”（{level2}）与“{other}”（{other_level2}）是同一个指标（{value}），同一指标不应重复计入两个类别。",
    "每个指标只衡量一件事，应放在最贴切的一个二级指标下。同一指标在数量和社会效益（或满意度）下各出现一次，"
    "是用重复的行凑满模板的栏目，表内实际的指标比看上去少。",
    "000 表4 数量指标“各项工作完成 ≥90.00”与满意度指标“督导各项工作完成 ≥90.00”",
)
def indicator_under_two_level2(table: Table, doc: Document) -> Iterator[Hit]:
    seen: list[tuple[str, str, object]] = []
    for row in table.rows:
        name = rx.sub(r"[\s，,。.；;：:、“”\"'（）()]", "", row.level3 or "")
        if len(name) < 2:
            continue
        level2 = canonical_level2(row.level2) or compact(row.level2)
        shown = compact(row.shown_value)
        for other_name, other_level2, other in seen:
            if other_level2 == level2 or not level2 or not other_level2:
                continue
            same_value = shown == compact(other.shown_value)
            if (other_name == name and (same_value or not shown)) or (_same_name(other_name, name) and same_value and shown):
                yield Hit({"name": other.level3, "value": other.shown_value, "level2": other.level2,
                           "other": row.level3, "other_level2": row.level2},
                          f"第 {other.row_no} 行（{other.level2}）与第 {row.row_no} 行（{row.level2}）", row=row)
                break
        seen.append((name, level2, row))
