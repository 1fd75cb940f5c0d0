"""Row checks on real flattened pages (corpora/realdocs): each rule flags the row a reviewer would
send back, and leaves alone the real rows next to it.

Rows are found by table number and the indicator name as printed (traditional characters and
pinyin glosses of mirror sites included): the rules read them folded (checks/fold.py), the finding
points at the printed row.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from conftest import CORPORA
from targetqa.catalog import all_rules, select_rules
from targetqa.checks.registry import RULES, run_rules
from targetqa.ingest import load

all_rules()

REALDOCS = CORPORA / "realdocs"


@lru_cache(maxsize=None)
def real(prefix: str):
    return load(next(REALDOCS.glob(f"{prefix}_*.txt")))


def row_of(prefix: str, table_no: int, level3: str):
    doc = real(prefix)
    table = next(t for t in doc.tables if t.table_no == table_no)
    return next(r for r in table.rows if r.level3 == level3)


def codes_on_row(prefix: str, table_no: int, level3: str, codes: list[str]) -> set[str]:
    doc = real(prefix)
    row = row_of(prefix, table_no, level3)
    return {f.code for f in run_rules(doc, select_rules(codes)) if f.row is row}


FLAGGED = [
    # (code, doc, table, level3 as printed) — each read against the source page
    ("CAT006", "D20", 1, "资金执行率"),  # 100% under 成本指标
    ("CAT006", "D20", 1, "助学金社会化发放率"),  # ≥95% under 成本指标
    ("CAT006", "D02", 1, "资助标准达标率"),  # 100% under 成本指标
    ("CAT007", "D02", 1, "资金支出率"),  # 95% under 数量指标
    ("CAT008", "D01", 1, "安全情况"),  # under 生态效益值: school safety is not an ecological benefit
    ("CAT005", "D21", 0, "業(yè)務(wù)工作支出安排金額"),  # 28.8萬元 under 數量指標 (traditional page)
    ("UNIT002", "D04", 1, "本年预算安排800万元"),  # a cost given as 100%
    ("UNIT005", "D09", 1, "检测及时率"),  # ≤7工作日 for a rate
    ("UNIT009", "D04", 1, "2023年项目完工、投入使用"),  # a deadline given as 100%
    ("UNIT010", "D21", 0, "保證單位正常運(yùn)轉(zhuǎn)"),  # 應保盡保 with the unit %
    ("UNIT010", "D21", 0, "業(yè)務(wù)工作支出安排金額"),  # 28.8萬元 %
    ("UNIT011", "D03", 0, "消化利用农作物秸秆数量"),  # 5个: the utilisation points, not the straw
    ("VAL001", "D08", 1, "经费支出合规性"),  # 较高
    ("VAL001", "D08", 1, "对减少财政投资成本的改善程度"),  # 程度较高
    ("VAL001", "D06", 1, "群众创业热情高涨"),  # 创业热情高涨
    ("VAL007", "D01", 1, "教学条件改善、办学水平提高"),  # =100%
    ("VAL007", "D01", 1, "教学质量提高、办学条件改善"),  # =100%
    ("VAL007", "D04", 1, "建设平安校园,满足教师和学生生活、学习的需要"),  # ≥95%
    ("VAL007", "D04", 1, "保障校园环境安全、教学工作正常运转"),  # 良好 for two goals at once
    ("VAL008", "D14", 1, "发放(缴纳)覆盖率"),  # 完成值 empty
    ("VAL008", "D14", 1, "足额保障率(参保率)"),
    ("VAL009", "D20", 1, "政策知晓率"),  # actual ≥90%
    ("VAL009", "D20", 1, "救助对象对社会救助实施的满意度"),
    ("VAL010", "D20", 1, "按季发放助学金"),  # value cell: 发放时间达标率
    ("ECHO001", "D10", 1, "疾病预防控制中心经费"),  # 反映疾病预防控制中心经费。
    ("ECHO001", "D10", 1, "实施项目对社会产生的不利影响"),
    ("ECHO004", "D05", 1, "项目受益人满意程度"),  # 满意度指标 / 满意度指标
    ("ECHO004", "D06", 1, "群众创业热情高涨"),  # 满意度指标(10分) / 满意度指标
    ("ECHO005", "D06", 1, "2022年底之前"),  # name and value: 2022年底之前
    ("TPL001", "D16", 1, "受益建档立卡贫困人口数≥**人"),
    ("TPL001", "D16", 1, "游客满意度(≥**%)"),
    ("TPL002", "D07", 1, "★补助鱼塘面积"),
    ("BUD007", "D05", 1, "项目金额"),  # 5万元 with 年度资金总额 5 万元
]


@pytest.mark.parametrize("code,prefix,table_no,level3", FLAGGED)
def test_flags_real_row(code, prefix, table_no, level3):
    assert code in codes_on_row(prefix, table_no, level3, [code])


def test_finding_points_at_the_printed_row():
    """A traditional page is read folded, yet the finding carries the printed row and its line."""
    doc = real("D21")
    row = row_of("D21", 0, "業(yè)務(wù)工作支出安排金額")
    hits = [f for f in run_rules(doc, [RULES["CAT005"]]) if f.row is row]
    assert hits and hits[0].line == row.line == 14
    assert "业务工作支出安排金额" in hits[0].message


CLEAN = [
    # (codes that must stay silent, doc, table, level3)
    (["CAT006", "UNIT002"], "D24", 1, "年度预算执行率"),  # ≥90% under 预算(或投资规模)控制指标: fits its label
    (["CAT006", "UNIT002"], "D16", 1, "流转土地补助标准"),  # ≤475元/亩: a real cost
    (["CAT007"], "D14", 1, "发放(缴纳)覆盖率"),  # a coverage rate under 数量
    (["CAT008"], "D05", 1, "是否对当地生态环境造成影响"),  # 否: an ecological question, answered
    (["CAT002"], "D19", 1, "滿意度"),  # a satisfaction rate, written in traditional characters
    (["CAT004", "VAL005"], "D21", 0, "工作安排時(shí)間"),  # 按月安排 is a schedule
    (["UNIT005"], "D09", 1, "农产品例行监测合格率"),  # ≥98%
    (["UNIT009"], "D05", 1, "项目完成时限"),  # 2025年12月
    (["UNIT010"], "D21", 0, "業(yè)務(wù)工作支出到位率"),  # 100 %
    (["UNIT011"], "D03", 0, "培育中药材品种数量"),  # 4种: varieties are counted
    (["UNIT011"], "D23", 1, "指标1:新建保鲜库数量"),  # 1座
    (["VAL001"], "D05", 1, "项目实施是否产生经济价值"),  # 否 is a grade
    (["VAL007", "UNIT008"], "D01", 1, "经费有效使用情况"),  # one clause: not a goal sentence
    (["VAL008"], "D19", 1, "滿意度"),  # the page stops inside this row: its cells are cut, not empty
    (["VAL008", "VAL009"], "D20", 1, "资金执行率"),  # actual 82%
    (["VAL010"], "D20", 1, "孤儿身份、年满18周岁后就学水平情况"),  # 有所提升 is vague (VAL001), not a name
    (["BUD004"], "D20", 1, "资金执行率"),  # 82% of 100%, and the table has a 未完成原因 column (filled: 动态管理人员减少)
    (["ECHO001"], "D18", 1, "伙食补助发放率"),  # the description gives the formula
    (["ECHO004"], "D05", 1, "送戏进万村活动完成率"),  # 产出指标 / 质量指标
    (["ECHO005"], "D06", 1, "巩固拓展脱贫攻坚成果"),  # a slogan as its own value: VAL006's, not a target value
    (["TPL001"], "D08", 1, "项目总成本"),  # ≤****000元: the republisher masked digits, not a placeholder
    (["TPL002"], "D07", 1, "其中桃树种植面积"),
    (["BUD007"], "D22", 1, "硬化水泥砼公路补助标准"),  # ≤120万元 of a 500万元 budget
]


@pytest.mark.parametrize("codes,prefix,table_no,level3", CLEAN)
def test_leaves_real_row_alone(codes, prefix, table_no, level3):
    assert not codes_on_row(prefix, table_no, level3, codes)


def test_instructions_left_in_a_self_evaluation_table():
    """D14: the 评价结论 / 存在问题 / 改进措施 cells still hold the form's instructions (200字以内)."""
    found = [f for f in run_rules(real("D14"), [RULES["TPL003"]])]
    assert len(found) == 1 and found[0].line == 103 and "3 处" in found[0].message
    # D04's printed footnote (备注: 1.预算执行情况口径…) defines terms; it is not an instruction left in
    assert not list(run_rules(real("D04"), [RULES["TPL003"]]))


def test_score_that_contradicts_the_result():
    """D19 prints 分值/得分 beside each row: the extraction reads them, and a met target with points
    taken off is flagged on the four whole rows (the fifth is cut by the page, its 得分 missing)."""
    from dataclasses import replace

    doc = real("D19")
    table = doc.tables[0]
    assert [(r.points, r.score) for r in table.rows][:4] == [(10.0, 9.0), (20.0, 19.0), (20.0, 19.0), (30.0, 27.0)]
    hits = {f.row_no: f for f in run_rules(doc, [RULES["BUD008"]])}
    assert set(hits) == {1, 2, 3, 4}
    assert "只得 9 分（分值 10）" in hits[1].message
    # full points for a met target, or no score columns at all: nothing to say
    full = [replace(r, points=10.0, score=10.0) for r in table.rows]
    assert not list(run_rules(replace(doc, tables=[replace(table, rows=full)]), [RULES["BUD008"]]))
    unscored = [replace(r, points=None, score=None) for r in table.rows]
    assert not list(run_rules(replace(doc, tables=[replace(table, rows=unscored)]), [RULES["BUD008"]]))
    # below the target with full points
    below = [replace(table.rows[3], actual="90", score=30.0)]
    assert "却得了满分" in next(iter(run_rules(replace(doc, tables=[replace(table, rows=below)]), [RULES["BUD008"]]))).message


def _table_codes(prefix: str, code: str) -> list:
    return [f for f in run_rules(real(prefix), [RULES[code]])]


@pytest.mark.parametrize("prefix", ["D03", "D09", "D10", "D22", "D23"])
def test_no_missing_part_reported_where_the_page_stops_inside_the_table(prefix):
    """An excerpt cut at the byte limit ends inside the table: its 效益 rows are not shown, not missing."""
    assert not _table_codes(prefix, "STR002")


def test_missing_benefit_rows_of_a_whole_table_are_reported():
    # D02 ends with 总分 100: the table is whole, and has no 效益 level at all
    assert [f.code for f in _table_codes("D02", "STR002")] == ["STR002"]


@pytest.mark.parametrize("prefix", ["D03", "D10", "D11", "D16", "D21", "D24"])
def test_goals_stated_in_the_head_are_not_reported_empty(prefix):
    """The head has 年度绩效目标 | 一句话 (or the sentence on the next line): not an empty goal."""
    assert not _table_codes(prefix, "STR006")


@pytest.mark.parametrize("prefix", ["D01", "D05"])
def test_tables_without_goals_are_reported(prefix):
    found = _table_codes(prefix, "STR006")
    assert len(found) == 1 and "“”" not in found[0].message


def test_mid_term_group_that_copies_the_annual_one():
    """D09 prints 中期 (2024年—2026年) and 年度 indicators side by side, identical cell for cell."""
    from dataclasses import replace

    doc = real("D09")
    found = _table_codes("D09", "TPL004")
    assert len(found) == 1 and "7 行全部相同" in found[0].message and found[0].line == 19
    # one annual value of its own (≥57个 → ≥20个 in the right-hand group): the groups differ
    lines = list(doc.lines)
    lines[18] = lines[18][::-1].replace("个75≥", "个02≥", 1)[::-1]
    assert not list(run_rules(replace(doc, lines=lines), [RULES["TPL004"]]))
    # D24's two groups were read as two tables: DUP001 compares those, not this rule
    assert not _table_codes("D24", "TPL004")


def test_row_findings_do_not_depend_on_how_the_page_flattened_the_table(tmp_path):
    """D05's rows printed the ways pages flatten tables (test_extract_flattened.LAYOUTS): every
    layout that reads the rows gets the same row findings."""
    from test_extract_flattened import LAYOUTS

    rules = [r for r in select_rules() if r.scope == "row"]
    seen = {}
    for name, lay_out in sorted(LAYOUTS.items()):
        path = tmp_path / f"{len(seen)}.txt"
        path.write_text("\n".join(["项目支出绩效目标表", "项目名称 农村文化建设配套补助经费", *lay_out(), "备注："]), encoding="utf-8")
        seen[name] = sorted((f.row.level3, f.code) for f in run_rules(load(path), rules))
    whole = seen.pop("rows run together")  # drops the rows whose target is words: a subset
    assert len(set(map(tuple, seen.values()))) == 1
    assert set(whole) <= set(next(iter(seen.values())))
    assert ("保障人民群众基本文化权益", "VAL001") in next(iter(seen.values()))


def test_mid_term_funding_below_the_annual_funding():
    """D08's head gives 中期资金总额 170.00 and 年度资金总额 340.00 (万元) for a 中期 of one year;
    D09's 中期 68.50 over 年度 51.35 is how the two stand."""
    d08 = next(t for t in real("D08").tables if t.rows)
    assert (d08.mid_budget, d08.budget) == (170, 340)
    [found] = _table_codes("D08", "BUD009")
    assert "中期资金总额 170 万元少于年度资金总额 340 万元" in found.message
    d09 = next(t for t in real("D09").tables if t.rows)
    assert (d09.mid_budget, d09.budget) == (68.5, 51.35)
    assert not _table_codes("D09", "BUD009")
