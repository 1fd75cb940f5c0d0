"""REP: repeated sentences, text carried over from the department's earlier report, stale years."""

from __future__ import annotations

import pytest

from conftest import seed
from targetqa.compare.prose import repeated_sentences, stale_years
from test_compare_support import compare, findings


@pytest.fixture(scope="module")
def rep():
    return {p: findings(seed(p), "REP") for p in ("000", "001", "002", "003", "004")}


def test_goal_sentences_pasted_three_times_in_000_and_002(rep):
    for prefix, line in (("000", 91), ("002", 877)):
        f = next(f for f in rep[prefix] if f.code == "REP001" and f.line == line)
        assert f.table_no is None and f.row_no is None and f.severity == "warning"
        assert "“绩效目标”一段" in f.message and "5 处" in f.message
        assert "“区管干部管理工作；”出现 3 次" in f.evidence
        assert "“培养锻炼干部，提高干部整体素质；" in f.evidence and "出现 3 次" in f.evidence


def test_repeats_found_and_not_found(rep):
    assert sorted(f.line for f in rep["000"] if f.code == "REP001") == [91, 115, 134]
    assert sorted(f.line for f in rep["002"] if f.code == "REP001") == [701, 827, 877, 951]
    # 绩效标准 lines stand under each of four duties, 003 explains 收入 and 支出 with one sentence,
    # 004 gives two years' 三公 figures in parallel sentences: none of these is a paste
    assert not [f for p in ("001", "003", "004") for f in rep[p] if f.code == "REP001"]


def test_parallel_statements_with_figures_are_not_repeats():
    from targetqa.model import Block, Document

    doc = Document(path="x.txt", blocks=[Block(
        "（二）公务用车购置及运行费0万元，与2024年预算持平。其中：公务用车购置费0万元，与2024年预算持平；"
        "公务用车运行费0万元，与2024年预算持平。", 10)])
    assert repeated_sentences(doc) == []


def test_002_carries_the_goal_paragraphs_of_000_five_years_later(rep):
    fs = [f for f in rep["002"] if f.code == "REP002"]
    assert len(fs) == 1
    f = fs[0]
    assert f.line == 842 and "第842–955行" in f.message
    assert "000_ef258b979fdd371a.txt（2020年）" in f.message
    for label in ("绩效目标", "绩效指标", "职责目标"):
        assert label in f.message
    assert "第79、81" in f.evidence


def test_duties_glossary_and_other_departments_text_are_not_carried_over(rep):
    f = next(f for f in rep["002"] if f.code == "REP002")
    # 主要职责 (697–736, 823–835) and the 名词解释 glossary (2471–) are shared with 000 too
    assert not (697 <= f.line <= 836) and f.line < 2400
    # 000 has no earlier report; 001/003/004 have none of their department
    assert not [f for p in ("000", "001", "003", "004") for f in rep[p] if f.code == "REP002"]


def test_carried_over_found_among_given_reports_without_models():
    out = compare([seed("000"), seed("002")], "REP002", use_corpus=False)
    assert out.get(id(seed("000")), []) == []
    assert [f.line for f in out[id(seed("002"))]] == [842]


def test_stale_year_in_the_2025_report(rep):
    fs = [f for f in rep["002"] if f.code == "REP003"]
    assert sorted(f.line for f in fs) == [788, 977]
    f = next(f for f in fs if f.line == 977)
    assert "2024年，区委组织部将继续" in f.message and "把 2024 年当作本年度" in f.message
    # '2022年“三公经费”为13.52万元' (004, a comparison) and '与2024年相比' are not stale
    assert not [f for p in ("000", "001", "003", "004") for f in rep[p] if f.code == "REP003"]


def test_stale_years_only_for_the_previous_year():
    assert [s.line for s, _, _ in stale_years(seed("002"))] == [788, 977]
    assert stale_years(seed("004")) == []
