"""BOIL: boilerplate rows and tables, judged against the shipped reference statistics — never
counting the report's own department."""

from __future__ import annotations

import pytest

from conftest import seed
from targetqa.compare.analysis import Analysis
from targetqa.compare.build import build_reference
from targetqa.compare.context import Context
from test_compare_support import findings, keyset


@pytest.fixture(scope="module")
def boil():
    return {p: findings(seed(p), "BOIL") for p in ("000", "001", "002", "003", "004")}


def test_satisfaction_row_with_questionnaire_is_boilerplate(boil):
    f = next(f for f in boil["002"] if f.code == "BOIL001" and f.table_no == 1)
    assert f.row_no == 6 and f.severity == "info" and f.line == 1200
    assert "服务对象满意度" in f.message and "2 个其他部门" in f.message
    # the other departments are named, never the report's own (山海关区委组织部, also 000's)
    assert "廊坊市广阳区" in f.evidence and "经济技术开发区" in f.evidence
    assert "山海关" not in f.evidence


def test_boilerplate_rows_of_002(boil):
    rows = {(f.table_no, f.row_no) for f in boil["002"] if f.code == "BOIL001"}
    satisfaction = {(t, 6) for t in (1, 2, 3, 4, 6, 7, 11, 12, 14, 16, 17)}
    budget_as_percent = {(7, 4), (15, 4), (16, 4)}  # 预算控制数 ≥90%
    assert rows == satisfaction | budget_as_percent


def test_specific_rows_are_not_boilerplate(boil):
    # 004 writes amounts (预算控制数 ≤5万元) and named satisfaction (参训学员满意度): not boilerplate
    assert {(f.table_no, f.row_no) for f in boil["004"]} == {(15, 9)}  # '确保服务对象满意 ≥95%'
    # 000 and 001 name the beneficiary (老党员满意度, 党员满意度 …)
    assert boil["000"] == [] and boil["001"] == [] and boil["003"] == []


def test_boilerplate_table(boil):
    got = [f for f in boil["002"] if f.code == "BOIL002"]
    # 14 人才工作经费: 工作完成率 / 经费支付及时率 / 资金成本 / 服务对象满意度, all ≥90% — generic once the
    # corpus holds other provinces' tables, whose words show 工作完成率 names nothing specific
    assert [f.table_no for f in got] == [2, 14]
    f = got[0]
    assert f.severity == "warning" and "4/6" in f.message
    assert "工作完成率" in f.message and "服务对象满意度" in f.message
    # 公务员工资系统运维服务费: rows name the 工资系统, not a boilerplate table
    assert ("BOIL002", 16, None) not in keyset(boil["002"])


def test_own_department_never_makes_a_row_boilerplate():
    """A reference built only from the 山海关 reports (000, 002) gives no other department:
    nothing in 002 is boilerplate, however often 服务对象满意度 occurs in its own tables."""
    ref = build_reference([("000.txt", seed("000"), "x"), ("002.txt", seed("002"), "y")])
    ctx = Context([seed("002")], ref, None)
    ctx.own[id(seed("002"))] = ref.own_docs(seed("002"))
    an = Analysis(ctx)
    assert not any(i.boilerplate for infos in an.boil_info.values() for i in infos)


def test_isolated_single_report_has_no_boilerplate():
    assert findings(seed("002"), "BOIL", use_corpus=False) == []
