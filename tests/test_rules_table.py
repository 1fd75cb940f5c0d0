"""Table checks (STR001–006, ECHO002, BUD001–004, BUD006) on real tables of the five seeds.

Where the seeds hold no real instance, the test copies a real table and changes one thing
(drops rows, sets the budget, edits one figure of the spending plan) and says so.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import find_row, seed
from targetqa.catalog import all_rules
from targetqa.checks.registry import RULES, run_rules

all_rules()

TABLE_CODES = [r.code for r in all_rules() if r.scope == "table" and r.family in ("STR", "ECHO", "BUD")]
PREFIXES = ("000", "001", "002", "003", "004")


def table_of(doc, table_no):
    return next(t for t in doc.tables if t.table_no == table_no)


def hits(prefix: str, table_no: int, code: str, **changes):
    """Findings of one table rule on one table, the table optionally changed first."""
    doc = seed(prefix)
    table = table_of(doc, table_no)
    if changes:
        table = replace(table, **changes)
    return [f for f in run_rules(replace(doc, tables=[table], statements=[]), [RULES[code]]) if f.code == code]


def all_hits(code: str) -> set[tuple[str, int]]:
    """(seed, table_no) of every table a rule flags across the five seeds."""
    out = set()
    for prefix in PREFIXES:
        for f in run_rules(seed(prefix), [RULES[code]]):
            out.add((prefix, f.table_no))
    return out


# --------------------------------------------------------------------------- STR


def test_str001_no_output_rows():
    # 004 表1 with its 产出 rows removed (only 效益 and 满意度 rows left)
    t = table_of(seed("004"), 1)
    rows = [r for r in t.rows if r.level1 != "产出指标"]
    assert hits("004", 1, "STR001", rows=rows)
    assert not hits("004", 1, "STR001")
    # 003 表1 writes 完成指标 as its level1 but its 数量/质量/时效/成本 rows are output rows
    assert not hits("003", 1, "STR001")
    assert all_hits("STR001") == set()


def test_str002_no_benefit_rows():
    # 004 表1 with its 效益 rows removed
    t = table_of(seed("004"), 1)
    rows = [r for r in t.rows if r.level1 != "效益指标"]
    found = hits("004", 1, "STR002", rows=rows)
    assert found and found[0].row_no is None and found[0].table_no == 1
    assert all_hits("STR002") == set()


def test_str003_unknown_level1():
    found = hits("003", 1, "STR003")
    assert [f.message for f in found] == ["一级指标“完成指标”不是规定的指标名称。"]
    assert found[0].row_no == 1  # the first row carrying the label
    # 部门产出 / 部门效果 in the department-wide table are accepted spellings
    assert not hits("001", 0, "STR003")
    assert all_hits("STR003") == {("003", 1)}


def test_str004_unknown_level2():
    # 004 表1: the level2 of 制作数字化档案数量 changed from 数量指标 to 工作指标
    doc = seed("004")
    t = table_of(doc, 1)
    row = find_row(doc, 1, "制作数字化档案数量")
    rows = [replace(r, level2="工作指标") if r is row else r for r in t.rows]
    found = hits("004", 1, "STR004", rows=rows)
    assert len(found) == 1 and found[0].row_no == row.row_no
    # short forms (数量, 时效, 满意度) and 003's 满意度指标 as a level2 are accepted
    assert not hits("001", 0, "STR004") and not hits("003", 1, "STR004")
    assert all_hits("STR004") == set()


def test_str005_level2_under_wrong_level1():
    # 004 表1: the 社会效益指标 row moved under 产出指标
    doc = seed("004")
    t = table_of(doc, 1)
    row = find_row(doc, 1, "档案管理数字化")
    rows = [replace(r, level1="产出指标") if r is row else r for r in t.rows]
    found = hits("004", 1, "STR005", rows=rows)
    assert len(found) == 1 and "应属于“效益指标”" in found[0].message
    # 001 表0 puts 满意度 under 部门效果, as the older common framework did: not flagged
    assert not hits("001", 0, "STR005")
    assert all_hits("STR005") == set()


def test_str006_no_goals():
    # 004 表1 with its goals removed, from the table and from the text (the rule reads the head too)
    doc = seed("004")
    t = table_of(doc, 1)
    lines = [("" if any(g and g in line for g in t.goals) else line) for line in doc.lines]
    no_goals = replace(doc, tables=[replace(t, goals=[])], statements=[], lines=lines)
    assert [f.code for f in run_rules(no_goals, [RULES["STR006"]])] == ["STR006"]
    # goals the extraction missed but the head states (年度绩效目标 | 一句话) are not reported as empty
    assert not hits("004", 1, "STR006", goals=[])
    assert not hits("004", 1, "STR006")
    # a department-wide table has no goal cell of its own
    assert not hits("001", 0, "STR006")
    assert all_hits("STR006") == set()


# --------------------------------------------------------------------------- ECHO002

ECHO002_REAL = [
    ("002", 3),  # 党内关爱专项资金支出 — project 党内关爱专项资金
    ("002", 4),  # the same table pasted again under 党员档案
    ("002", 5),  # 党员远程教育站点服务费
    ("002", 6),  # the purpose, word for word
    ("002", 7),  # the purpose, with a space
    ("002", 9),
    ("002", 11),  # 老干部活动及关心下一代工作经费 — project 老干部活动及关心下一代经费
    ("002", 12),  # 2025年度老年大学培训经费
    ("002", 14),
    ("002", 15),
    ("002", 16),  # 2025年度公务员工资系统运维服务费 — project 公务员工资系统运维服务费
]


@pytest.mark.parametrize("prefix,table_no", ECHO002_REAL)
def test_echo002_goal_repeats_project(prefix, table_no):
    found = hits(prefix, table_no, "ECHO002")
    assert found and found[0].row_no is None


def test_echo002_real_goals_are_not_flagged():
    flagged = all_hits("ECHO002")
    assert flagged == set(ECHO002_REAL)
    # goals that say what the money achieves
    for prefix, table_no in (("002", 1), ("002", 2), ("002", 8), ("002", 13), ("004", 1), ("000", 1), ("001", 3)):
        assert (prefix, table_no) not in flagged


# --------------------------------------------------------------------------- BUD


def test_bud001_cost_above_budget():
    # 004 表1 (预算控制数 ≤34.92 万元) has no budget cell; given one of 10 万元, the cost is above it
    found = hits("004", 1, "BUD001", budget=10.0)
    assert len(found) == 1 and found[0].row.level3 == "预算控制数"
    # equal, or within rounding, is fine
    assert not hits("004", 1, "BUD001", budget=34.92)
    assert not hits("004", 1, "BUD001", budget=34.9)
    # 002 表6 (budget 10 万元) 经费开支 “不超 10万元”: equal; changed to 不超 25万元: above
    assert not hits("002", 6, "BUD001")
    doc = seed("002")
    t = table_of(doc, 6)
    row = find_row(doc, 6, "经费开支")
    rows = [replace(r, value="不超 25万元") if r is row else r for r in t.rows]
    assert hits("002", 6, "BUD001", rows=rows)
    # in 元: 60000 元 = 6 万元 > 5 万元 (002 表9 成本控制数 “不超 5万元” changed)
    t9 = table_of(doc, 9)
    row9 = find_row(doc, 9, "成本控制数")
    assert hits("002", 9, "BUD001", rows=[replace(r, value="不超 60000元") if r is row9 else r for r in t9.rows])
    assert not hits("002", 9, "BUD001", rows=[replace(r, value="不超 50000元") if r is row9 else r for r in t9.rows])
    # a unit cost (元/人) is not compared with the total
    assert not hits("004", 1, "BUD001", budget=10.0,
                    rows=[replace(r, unit="万元/人") if r.level3 == "预算控制数" else r for r in table_of(seed("004"), 1).rows])
    assert all_hits("BUD001") == set()


def test_bud002_plan_not_cumulative():
    t = table_of(seed("002"), 2)  # plan 3, 6, 9, 10 (万元), budget 10
    assert not hits("002", 2, "BUD002")
    plan = [(k, 2.0 if k == "6月底" else v) for k, v in t.plan]  # 6月底 changed from 6 to 2
    found = hits("002", 2, "BUD002", plan=plan)
    assert found and "6月底 2" in found[0].message
    # 002 表3: 6月底 1.0, 10月底 1.0, 12月底 2.0 — flat is still cumulative
    assert not hits("002", 3, "BUD002")
    assert all_hits("BUD002") == set()


def test_bud003_plan_exceeds_budget():
    t = table_of(seed("002"), 2)
    plan = t.plan[:-1] + [("12月底", 12.0)]  # 12月底 changed from 10 to 12, budget 10
    assert hits("002", 2, "BUD003", plan=plan)
    # a cumulative percentage must end at or below 100 %: 000 表1 0/60/90/100 %, last changed to 110
    assert not hits("000", 1, "BUD003")
    t0 = table_of(seed("000"), 1)
    assert hits("000", 1, "BUD003", plan=t0.plan[:-1] + [("12月底", 110.0)])
    # 002 表7: 5, 40, 40 against a budget of 40
    assert not hits("002", 7, "BUD003")
    assert all_hits("BUD003") == set()


def test_bud004_actual_against_expected():
    found = {f.row.level3: f for f in hits("003", 1, "BUD004")}
    # copied word for word
    assert "持续救助" in found and "逐字相同" in found["持续救助"].message
    assert "全县贫困申报救助率" in found
    # a numeric target (满意度≧（98）％) answered with words only
    assert "救助对象满意度" in found and "没有给出可以对照的数值" in found["救助对象满意度"].message
    # short equal figures (219个 / 219个) are a met target, not a copy; a list of standards
    # answered with 已按救助标准完成发放 is an answer
    for name in ("“智慧党建”维护村级站点（平台）数", "帮扶救助标准", "完成贫困党员救助次数", "贫困党员救助时间"):
        assert name not in found
    assert set(found) == {"持续救助", "全县贫困申报救助率", "救助对象满意度"}


def test_bud004_actual_below_expected():
    # 003 表1 完成贫困党员救助资金: expected 50万元, actual changed to 40万元
    doc = seed("003")
    t = table_of(doc, 1)
    row = find_row(doc, 1, "完成贫困党员救助资金")
    rows = [replace(r, actual="40万元") if r is row else r for r in t.rows]
    found = [f for f in hits("003", 1, "BUD004", rows=rows) if f.row.level3 == "完成贫困党员救助资金"]
    assert found and "未达到预期值" in found[0].message
    # budget tables have no actual column: BUD004 stays silent
    assert all(p == "003" for p, _ in all_hits("BUD004"))


def test_bud006_percent_plan_that_is_an_amount():
    # 002 表18: 资金支出计划（%） 3.00 6.00 9.00 10.95 with 预算数 10.95
    found = hits("002", 18, "BUD006")
    assert len(found) == 1 and "10.95" in found[0].message
    # a real cumulative percentage ending at 100
    assert not hits("000", 1, "BUD006")
    assert all_hits("BUD006") == {("002", 18)}


@pytest.mark.parametrize("code", TABLE_CODES)
def test_table_rules_run_on_every_seed(code):
    for prefix in PREFIXES:
        for f in run_rules(seed(prefix), [RULES[code]]):
            assert f.table_no is not None and f.message and "{" not in f.message


# --------------------------------------------------------------------------- DUP (within one table)


def test_dup006_indicator_under_two_level2():
    # 000 表4: 各项工作完成 ≥90.00 under 数量指标 and 督导各项工作完成 ≥90.00 under 满意度
    found = hits("000", 4, "DUP006")
    assert len(found) == 1 and found[0].row.level3 == "督导各项工作完成"
    assert "各项工作完成" in found[0].message and "数量指标" in found[0].message
    # 002: 发展党员工作完成率 (数量) and the generic 工作完成率 (质量) are two indicators, not one
    assert all_hits("DUP006") == {("000", 4)}


def test_bud007_cost_restates_budget_needs_the_same_amount():
    # 004 表1: 预算控制数 ≤34.92 万元 — flagged only when the table's budget is that same amount
    doc = seed("004")
    t = table_of(doc, 1)
    assert not hits("004", 1, "BUD007", budget=(t.budget or 0) + 10)
    found = hits("004", 1, "BUD007", budget=34.92)
    assert [f.row.level3 for f in found] == ["预算控制数"]
    # a cost that names what the money buys is not a restated budget, even at the same amount
    doc = seed("004")
    t = table_of(doc, 1)
    named = [replace(r, level3="数字化档案扫描服务费") if r.level3 == "预算控制数" else r for r in t.rows]
    assert not hits("004", 1, "BUD007", budget=34.92, rows=named)
