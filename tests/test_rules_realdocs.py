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
from targetqa.checks import select_rules
from targetqa.checks.registry import RULES, all_rules, run_rules
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
    ("CAT005", "D21", 1, "業(yè)務(wù)工作支出安排金額"),  # 28.8萬元 under 數量指標 (traditional page)
    ("UNIT002", "D04", 1, "本年预算安排800万元"),  # a cost given as 100%
    ("UNIT005", "D09", 1, "检测及时率"),  # ≤7工作日 for a rate
    ("UNIT009", "D04", 1, "2023年项目完工、投入使用"),  # a deadline given as 100%
    ("UNIT010", "D21", 1, "保證單位正常運(yùn)轉(zhuǎn)"),  # 應保盡保 with the unit %
    ("UNIT010", "D21", 1, "業(yè)務(wù)工作支出安排金額"),  # 28.8萬元 %
    ("VAL001", "D08", 1, "经费支出合规性"),  # 较高
    ("VAL001", "D08", 1, "对减少财政投资成本的改善程度"),  # 程度较高
    ("VAL001", "D06", 1, "群众创业热情高涨"),  # 创业热情高涨
    ("VAL007", "D01", 1, "教学条件改善、办学水平提高"),  # =100%
    ("VAL007", "D01", 1, "教学质量提高、办学条件改善"),  # =100%
    ("VAL007", "D04", 1, "建设平安校园,满足教师和学生生活、学习的需要"),  # ≥95%
    ("VAL008", "D14", 1, "发放(缴纳)覆盖率"),  # 完成值 empty
    ("VAL008", "D14", 1, "足额保障率(参保率)"),
    ("VAL009", "D20", 1, "政策知晓率"),  # actual ≥90%
    ("VAL009", "D20", 1, "救助对象对社会救助实施的满意度"),
    ("VAL010", "D20", 1, "按季发放助学金"),  # value cell: 发放时间达标率
]


@pytest.mark.parametrize("code,prefix,table_no,level3", FLAGGED)
def test_flags_real_row(code, prefix, table_no, level3):
    assert code in codes_on_row(prefix, table_no, level3, [code])


def test_finding_points_at_the_printed_row():
    """A traditional page is read folded, yet the finding carries the printed row and its line."""
    doc = real("D21")
    row = row_of("D21", 1, "業(yè)務(wù)工作支出安排金額")
    hits = [f for f in run_rules(doc, [RULES["CAT005"]]) if f.row is row]
    assert hits and hits[0].line == row.line == 14
    assert "业务工作支出安排金额" in hits[0].message


CLEAN = [
    # (codes that must stay silent, doc, table, level3)
    (["CAT006", "UNIT002"], "D24", 1, "年度预算执行率"),  # ≥90% under 预算(或投资规模)控制指标: fits its label
    (["CAT006", "UNIT002"], "D16", 1, "流转土地补助标准"),  # ≤475元/亩: a real cost
    (["CAT007"], "D14", 1, "发放(缴纳)覆盖率"),  # a coverage rate under 数量
    (["CAT002"], "D19", 1, "滿意度"),  # a satisfaction rate, written in traditional characters
    (["CAT004", "VAL005"], "D21", 1, "工作安排時(shí)間"),  # 按月安排 is a schedule
    (["UNIT005"], "D09", 1, "农产品例行监测合格率"),  # ≥98%
    (["UNIT009"], "D05", 1, "项目完成时限"),  # 2025年12月
    (["UNIT010"], "D21", 1, "業(yè)務(wù)工作支出到位率"),  # 100 %
    (["VAL003"], "D18", 1, "-定性社会成本指标"),  # an unused category slot of the form
    (["VAL001"], "D05", 1, "项目实施是否产生经济价值"),  # 否 is a grade
    (["VAL007", "UNIT008"], "D01", 1, "经费有效使用情况"),  # one clause: not a goal sentence
    (["VAL008"], "D19", 1, "滿意度"),  # the page stops inside this row: its cells are cut, not empty
    (["VAL008", "VAL009"], "D20", 1, "资金执行率"),  # actual 82%
    (["VAL010"], "D20", 1, "孤儿身份、年满18周岁后就学水平情况"),  # 有所提升 is vague (VAL001), not a name
]


@pytest.mark.parametrize("codes,prefix,table_no,level3", CLEAN)
def test_leaves_real_row_alone(codes, prefix, table_no, level3):
    assert not codes_on_row(prefix, table_no, level3, codes)
