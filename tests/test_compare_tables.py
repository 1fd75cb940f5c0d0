"""DUP: copied tables, funding-source twins, copies across reports, foreign rows — on the real
reports in corpora/, with the pairs that must not be flagged."""

from __future__ import annotations

import copy

import pytest

from conftest import seed
from test_compare_support import findings, keyset


@pytest.fixture(scope="module")
def dup():
    return {p: findings(seed(p), "DUP") for p in ("000", "001", "002", "003", "004")}


def test_002_table4_is_table3_pasted_with_code_and_purpose(dup):
    f = next(f for f in dup["002"] if f.code == "DUP001")
    assert f.table_no == 4 and f.row_no is None and f.severity == "error"
    assert "党员档案县级集中管理经费" in f.message and "表3“党内关爱专项资金”" in f.message
    assert "6/6 行相同" in f.message and "相似度 100%" in f.message
    for part in ("项目编码", "13030325P004950100029", "资金用途", "与标题“党员档案县级集中管理经费”不符",
                 "第1行、第2行、第3行、第4行、第5行、第6行"):
        assert part in f.evidence
    assert f.line == 1321 and f.file.endswith("002_56a85238fadff2f4.txt")


def test_002_has_no_other_copies_tables_1_and_2_share_only_the_satisfaction_row(dup):
    # tables 1 and 2 (and most others) share '服务对象满意度 ≥90% 调查问卷': not a copy
    assert keyset(dup["002"]) == {("DUP001", 4, None)}


def test_funding_source_twins_are_info_with_their_explanation(dup):
    f = next(f for f in dup["000"] if f.code == "DUP002")
    assert f.table_no == 2 and f.severity == "info"
    assert "同一项目的不同资金来源" in f.message and "表1" in f.message and "4/4 行相同" in f.message
    twins_001 = {f.table_no for f in dup["001"] if f.code == "DUP002"}
    assert twins_001 == {8, 21}  # 老党员生活补贴: 区级/走访慰问 and 中央, both near copies of 表2 (省级)
    assert not [f for f in dup["000"] + dup["001"] if f.code == "DUP001" and f.table_no in (2, 8, 21)]


def test_001_two_community_funds_with_the_same_rows_are_a_warning(dup):
    f = next(f for f in dup["001"] if f.code == "DUP001")
    assert f.table_no == 20 and f.severity == "warning"  # wording copied, amounts differ
    assert "表18“社区工作经费”" in f.message and "只有数值不同" in f.message


def test_001_village_fund_tables_sharing_two_rows_are_not_copies(dup):
    # 村级组织办公经费 / 村民小组长误工补贴 / 村党组织活动经费 / 服务群众专项经费 share a satisfaction
    # row and one template row each
    flagged = {f.table_no for f in dup["001"] if f.code in ("DUP001", "DUP002")}
    assert not flagged & {4, 5, 6, 10}


def test_001_foreign_row_copied_from_the_inspection_table(dup):
    f = next(f for f in dup["001"] if f.code == "DUP004")
    assert (f.table_no, f.row_no, f.line) == (18, 6, 1243) and f.severity == "error"
    assert "表17“全区重点工作大督查活动经费”第6行" in f.message
    assert "廊广字【2017】58号" in f.evidence and "督查" in f.evidence
    # the only foreign row in the corpus; 干群关系和谐 shared by two village funds is not one
    assert [k for k in keyset(dup["001"]) if k[0] == "DUP004"] == [("DUP004", 18, 6)]


def test_001_research_wording_in_a_subsidy_table(dup):
    got = {(f.table_no, f.row_no) for f in dup["001"] if f.code == "DUP005"}
    assert got == {(9, 2), (9, 3)}
    f = next(f for f in dup["001"] if f.code == "DUP005" and f.row_no == 3)
    assert "立项项目" in f.message and "研究任务" in f.message


def test_exact_finding_set_on_all_seeds(dup):
    """Precision on the seeds: nothing but the reviewed copies fires."""
    assert keyset(dup["000"]) == {("DUP002", 2, None)}
    assert keyset(dup["001"]) == {("DUP002", 8, None), ("DUP002", 21, None), ("DUP001", 20, None),
                                  ("DUP004", 18, 6), ("DUP005", 9, 2), ("DUP005", 9, 3)}
    assert dup["003"] == [] and dup["004"] == []


def _with_table(target, table_no, source, source_table_no):
    """A report whose table `table_no` carries the rows of a real table of another report (the
    way a department pastes last year's table): for checking cross-report copies."""
    doc = copy.deepcopy(target)
    src = next(t for t in source.tables if t.table_no == source_table_no)
    dst = next(t for t in doc.tables if t.table_no == table_no)
    dst.rows = copy.deepcopy(src.rows)
    for n, r in enumerate(dst.rows, 1):
        r.row_no = n
    return doc


def test_copy_from_the_same_departments_earlier_report():
    # 002 (2025) with table 2 基层党建工作经费 replaced by 000's (2020) 基层党建工作经费 rows
    doc = _with_table(seed("002"), 2, seed("000"), 3)
    fs = [f for f in findings(doc, "DUP") if f.code == "DUP003"]
    assert len(fs) == 1
    f = fs[0]
    assert f.table_no == 2 and f.severity == "warning"
    assert "000_ef258b979fdd371a.txt" in f.message and "表3“基层党建工作经费”" in f.message
    assert "本部门 2020 年报告" in f.message and "相似度 100%" in f.message
    # isolated: no corpus, no cross-report finding
    assert not [f for f in findings(doc, "DUP", use_corpus=False) if f.code == "DUP003"]


def test_copy_from_another_department_given_on_the_command_line():
    # 004 (2023) with table 5 replaced by 001's (2021) 学习、培训经费; 001 given too, judged without the shipped corpus
    doc = _with_table(seed("004"), 5, seed("001"), 3)
    fs = [f for f in findings(doc, "DUP", use_corpus=False, others=[seed("001")]) if f.code == "DUP003"]
    assert [(f.table_no, f.severity) for f in fs] == [(5, "warning")]
    assert "另一个部门" in fs[0].message and "001_7b1ed1aacc69697f.txt" in fs[0].message


def test_the_original_report_is_not_flagged_for_being_copied_later():
    # 000 (2020) scored together with a 2025 report that copied its table: only the 2025 one is flagged
    later = _with_table(seed("002"), 2, seed("000"), 3)
    from test_compare_support import compare

    out = compare([seed("000"), later], "DUP003", use_corpus=False)
    assert out.get(id(seed("000")), []) == []
    assert [f.table_no for f in out[id(later)]] == [2]


def test_findings_carry_table_row_and_line(dup):
    for fs in dup.values():
        for f in fs:
            assert f.table_no is not None and f.line and f.message and f.evidence
            assert (f.row_no is None) == (f.code in ("DUP001", "DUP002", "DUP003"))
