"""Extraction on the five real seed documents: tables, projects, row counts and exact cells."""

from __future__ import annotations

import pytest

from conftest import find_row

EXPECTED_TABLES = {
    "000": [4, 4, 3, 3, 4],
    "001": [7] + [6] * 15 + [7, 7, 7, 7, 6, 6],
    "002": [6] * 17 + [9],
    "003": [21],  # was [12]: rows after the 成本指标 cell whose text is a list （一）…（八） were lost
    "004": [7, 6, 6, 7, 6, 6, 7, 6, 7, 6, 7, 6, 9, 6, 9, 6, 6, 6, 6, 6, 6, 6, 6, 7, 6, 6, 7],
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED_TABLES))
def test_table_and_row_counts(seeds, prefix):
    doc = seeds[prefix]
    assert [len(t.rows) for t in doc.tables] == EXPECTED_TABLES[prefix]


def test_document_facts(seeds):
    assert (seeds["000"].department, seeds["000"].year, seeds["000"].kind) == ("中共秦皇岛市山海关区委组织部", 2020, "预算")
    assert (seeds["001"].department, seeds["001"].year) == ("中国共产党廊坊市广阳区委员会组织部", 2021)
    assert seeds["002"].year == 2025 and seeds["002"].department == "中共秦皇岛市山海关区委组织部"
    assert (seeds["003"].kind, seeds["003"].year) == ("决算", 2020)
    assert seeds["004"].department == "中共秦皇岛经济技术开发区工作委员会党建工作部"


def test_project_names_and_codes(seeds):
    t = seeds["000"].tables[0]
    assert (t.project, t.project_code) == ("关于提前下达2020年老党员生活补贴省级补助经费的通知", "203-0403-JBN-AWSO")
    assert t.plan == [("3月底", 0.0), ("6月底", 60.0), ("10月底", 90.0), ("12月底", 100.0)]
    # 002 table 4: the title says 党员档案, the head still carries the 党内关爱 code and name
    t4 = seeds["002"].tables[3]
    assert t4.title.endswith("党员档案县级集中管理经费绩效目标表")
    assert (t4.project, t4.project_code, t4.budget) == ("党内关爱专项资金", "13030325P004950100029", 2.0)
    assert seeds["001"].tables[0].kind == "department" and seeds["001"].tables[0].table_no == 0
    assert seeds["003"].tables[0].kind == "final" and seeds["003"].tables[0].budget == 75.0


def test_one_cell_per_line_with_row_numbers(seeds):
    row = find_row(seeds["000"], 1, "老党员生活情况")
    assert (row.level1, row.level2, row.operator, row.value, row.unit) == ("效果指标", "社会效益指标", "", "0.00", "有效改善")
    row = find_row(seeds["000"], 1, "老党员满意度")
    assert (row.operator, row.value, row.unit, row.line) == ("≥", "90.00", "", 262)


def test_multiline_cells_are_joined(seeds):
    dept = seeds["001"].tables[0]
    first = dept.rows[0]
    assert (first.level1, first.level2, first.level3) == ("部门产出", "数量", "对信息化进行调研")
    assert (first.operator, first.value, first.unit) == ("≥", "2", "调研次数")


def test_pdf_text_wrapped_cells(seeds):
    doc = seeds["002"]
    row = find_row(doc, 3, "帮扶生活困难党员数")
    assert row.description == "帮扶我区生活困难党员数量"
    assert (row.operator, row.value, row.unit, row.basis) == ("≥", "90", "%", "山组字[2018]12号")
    row = find_row(doc, 1, "保障紧急处置到位率")
    assert row.description == "保障紧急处置到位率" and row.basis == "保障机关办公正常运转"
    row = find_row(doc, 10, "及时拨付率")
    assert (row.operator, row.value) == ("文字描述", "按规定时间足额拨付")
    row = find_row(doc, 10, "持续开展驻村工作")
    assert row.value == "持续开展驻村工作，稳步推进农业农村各项政策落实"
    assert row.basis == "秦财行[2024]651 号文件"
    row = find_row(doc, 1, "投保完成率")
    assert (row.level1, row.level2) == ("产出指标", "成本指标")


def test_table_continued_over_page_break(seeds):
    t18 = seeds["002"].tables[17]
    assert [r.level2 for r in t18.rows][-3:] == ["生态效益指标", "可持续影响指标", "服务对象满意度指标"]
    eco = t18.rows[6]
    assert eco.basis == "上级文件要求"
    assert t18.rows[7].value == "到村任职"


def test_tab_separated_rows_carry_level1(seeds):
    row = find_row(seeds["004"], 1, "预算控制数")
    assert (row.level1, row.level2, row.operator, row.value, row.unit) == ("产出指标", "成本指标", "≤", "34.92", "万元")
    row = find_row(seeds["004"], 1, "制作数字化档案数量")
    assert (row.operator, row.value, row.unit) == ("≥", "800", "卷")


def test_final_accounts_expected_and_actual(seeds):
    row = find_row(seeds["003"], 1, "完成贫困党员救助次数")
    assert row.expected == "计划全年救助2次"
    assert row.actual == "全年完成2次救助，上半年、下半年各一次"
    row = find_row(seeds["003"], 1, "全县贫困申报救助率")
    assert row.expected.startswith("≥100%")
