"""Close variants of the seed layouts: the shapes behind the extraction fixes, in small made-up tables.

Each case is a shape seen in a real seed (cited), moved to another position or spelled another
way, so the fix is tested as a rule and not only on the seed line that showed it.
"""

from __future__ import annotations

import pytest

from targetqa.extract.columns import column_fields
from targetqa.extract.layout import CellRow, read_items
from targetqa.extract.values import split_value
from targetqa.ingest import load

ONE_CELL_PER_LINE = """1、测试项目绩效目标表

\t项目名称
\t测试项目

\t一级指标
\t二级指标
\t三级指标
\t指标值
\t指标值确定依据

\t产出指标\t
\t数量指标
\t培训人数
\t≥100人
\t年度计划

\t
\t质量指标
\t合格标准
\t（一）合格率≥90%
（二）优秀率≥30%
\t年度计划

\t效益指标
\t社会效益指标
\t群众知晓率
\t≥90%
\t调查问卷\t

二、其他说明
"""


@pytest.fixture
def cell_table(tmp_path):
    path = tmp_path / "variant.txt"
    path.write_text(ONE_CELL_PER_LINE, encoding="utf-8")
    return load(path).tables[0]


def test_stray_tab_after_a_cell_keeps_it_in_the_row(cell_table):
    # 001 line 565: '\t《…》（廊才【2020】6号）\t' ends the row; here also at a row's start
    first, _, last = cell_table.rows
    assert (first.level1, first.level2, first.level3, first.value, first.basis) == (
        "产出指标", "数量指标", "培训人数", "100", "年度计划"
    )
    assert last.basis == "调查问卷"


def test_enumerated_list_inside_a_cell_is_not_a_heading(cell_table):
    # 003 lines 206-214: （一）…（八） in one cell, then the row's next cell
    assert len(cell_table.rows) == 3
    row = cell_table.rows[1]
    assert row.value == "（一）合格率≥90%（二）优秀率≥30%"
    assert row.basis == "年度计划"


def test_heading_after_a_cell_still_ends_the_row():
    lines = ["\t甲", "\t（一）说明", "二、部门预算", ""]
    items = read_items(lines)
    assert isinstance(items[0], CellRow) and items[0].cells == ["甲", "（一）说明"]
    assert not isinstance(items[1], CellRow) and items[1].text == "二、部门预算"


def test_tab_separated_row_with_empty_cells_is_not_a_cell():
    items = read_items(["产出指标\t数量指标\t人数\t\t", "\t质量指标\t合格率\t\t"])
    assert [it.cells for it in items] == [["产出指标", "数量指标", "人数", "", ""], ["", "质量指标", "合格率", "", ""]]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("≥100%，全县申报救助全覆盖。", ("≥", "100", "%")),  # 003 line 178
        ("满意度≥98%", ("≥", "98", "%")),  # 003 line 271
        ("人数不少于3人", ("≥", "3", "人")),
        ("90%以上，全覆盖", ("≥", "90", "%")),
        ("2次，上半年、下半年各一次", ("", "2次，上半年、下半年各一次", "")),
        ("2次，上半年", ("", "2次，上半年", "")),
        ("≥90%。", ("≥", "90", "%")),
        ("计划全年救助2次", ("", "计划全年救助2次", "")),
        ("0.00有效改善", ("", "0.00", "有效改善")),
        ("2020年底完成", ("", "2020年底完成", "")),
    ],
)
def test_split_value_reads_through_label_and_remark(text, expected):
    v = split_value(text)
    assert (v.operator, v.value, v.unit) == expected


def test_single_target_column_is_a_value_not_an_expected():
    header = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "年度指标值", "指标值确定依据"]
    assert column_fields(header, None)[4] == "value"
    final = ["一级指标", "二级指标", "三级指标", "预期指标值", "实际完成指标值"]
    assert column_fields(final, None)[3:] == ["expected", "actual"]


def test_pdf_text_keeps_a_space_inside_one_line(tmp_path):
    # 002 line 1510: '经费开支 经费开支 文字描述 不超 10万元 秦组发[2024]1 号'
    text = "\n".join([
        "1、测试经费绩效目标表",
        "11 一级指标 二级指标 三级指标 指标说明 指标值 指标确定依据",
        "12 符号 值 单位",
        "13 产出指标 成本指标 经费开支 经费开支 文字描述 不超 10万元 年初计划",
        "14 满意度指标 服务对象满意度指标 服务对象满意度 服务对象满意度 ≥ 90 % 调查问卷",
        "",
        "二、其他",
    ])
    path = tmp_path / "pdf.txt"
    path.write_text(text, encoding="utf-8")
    rows = load(path).tables[0].rows
    assert (rows[0].operator, rows[0].value, rows[0].basis) == ("文字描述", "不超 10万元", "年初计划")
    assert (rows[1].operator, rows[1].value, rows[1].unit) == ("≥", "90", "%")


# ---- other converters' layouts, written out by hand from 004 table 1 (lines 552-560) ----------
# The bulk comparisons (every seed table in every layout) are in test_extract_variants_layouts.py;
# these show each layout as a reader meets it.

ROWS_004_1 = [
    ("产出指标", "数量指标", "制作数字化档案数量", "≥", "800", "卷"),
    ("产出指标", "质量指标", "数字化档案准确率", "≥", "90", "%"),
    ("产出指标", "时效指标", "建设完成时限", "≤", "6", "月"),
]

MARKITDOWN = """## 1、2021 年追加干部人事档案信息化建设工作经费绩效目标表

| 项目名称 | 2021 年追加干部人事档案信息化建设工作经费 |  |  |  |  |
| --- | --- | --- | --- | --- | --- |
| 一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据 |
| 产出指标 | 数量指标 | 制作数字化档案数量 | 制作数字化档案的数量 | ≥800 卷 | 实际工作需要<br>及合同 |
| 质量指标 | 数字化档案准确率 | 反映数字化档案与纸质档案一致性 | ≥90% | 实际工作需要及合同 |
| 时效指标 | 建设完成时限 | 规定时间内完成建设任务 | ≤6 月 | 实际工作需要及合同 |
"""

PDFTOTEXT_LAYOUT = """             1、2021 年追加干部人事档案信息化建设工作经费绩效目标表

  一级指标   二级指标   三级指标         绩效指标描述           指标值             指标值确定依据
                                                          符号   值   单位
  产出指标   数量指标   制作数字化档案   制作数字化档案的数   ≥     800  卷     实际工作需要及合同
                        数量             量
             质量指标   数字化档案准确   反映数字化档案与纸   ≥     90   %      实际工作需要及合同
                        率               质档案一致性
             时效指标   建设完成时限     规定时间内完成建设   ≤     6    月     实际工作需要及合同
                                         任务

二、其他说明
"""

PANDOC_HTML = """1、2021 年追加干部人事档案信息化建设工作经费绩效目标表

<table>
<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>绩效指标描述</th><th>指标值</th><th>指标值确定依据</th></tr>
<tr><td rowspan="3">产出指标</td><td>数量指标</td><td>制作数字化档案数量</td><td>制作数字化档案的数量</td><td>≥800 卷</td><td>实际工作需要及合同</td></tr>
<tr><td>质量指标</td><td>数字化档案准确率</td><td>反映数字化档案与纸质档案一致性</td><td>≥90%</td><td>实际工作需要及合同</td></tr>
<tr><td>时效指标</td><td>建设完成时限</td><td>规定时间内完成建设任务</td><td>≤6 月</td><td>实际工作需要及合同</td></tr>
</table>
"""

EXCEL_CSV = """1、2021 年追加干部人事档案信息化建设工作经费绩效目标表,,,,,
一级指标,二级指标,三级指标,绩效指标描述,指标值,指标值确定依据
产出指标,数量指标,制作数字化档案数量,制作数字化档案的数量,≥800 卷,"实际工作需要,及合同"
,质量指标,数字化档案准确率,反映数字化档案与纸质档案一致性,＞＝９０％,实际工作需要及合同
,时效指标,建设完成时限,"规定时间内
完成建设任务",≤6 月,实际工作需要及合同
"""


@pytest.mark.parametrize("text", [MARKITDOWN, PDFTOTEXT_LAYOUT, PANDOC_HTML, EXCEL_CSV],
                         ids=["markitdown", "pdftotext-layout", "pandoc-html", "excel-csv"])
def test_other_converters_layouts(tmp_path, text):
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    (table,) = load(path).tables
    got = [(r.level1, r.level2, r.level3, r.operator, r.value, r.unit) for r in table.rows]
    assert got == ROWS_004_1
    assert table.rows[1].description == "反映数字化档案与纸质档案一致性"
    assert table.rows[2].description == "规定时间内完成建设任务"
    assert table.project == "2021 年追加干部人事档案信息化建设工作经费"


@pytest.mark.parametrize(
    "written, expected",
    [
        ("＞＝９０％", ("≥", "90", "%")),
        ("≧90%", ("≥", "90", "%")),
        (">=90%", ("≥", "90", "%")),
        ("=>90%", ("≥", "90", "%")),
        ("不低于90%", ("≥", "90", "%")),
        ("90%（含）以上", ("≥", "90", "%")),
        ("＜＝５万元", ("≤", "5", "万元")),
        ("≯5万元", ("≤", "5", "万元")),
        ("≥９０．５％", ("≥", "90.5", "%")),
        ("达到100%", ("≥", "100", "%")),
        ("达到2100人", ("≥", "2100", "人")),
        ("﹥80%", (">", "80", "%")),
        ("90%-100%", ("", "90-100", "%")),
        ("90%～100%", ("", "90～100", "%")),
        ("50人左右", ("", "50", "人")),
        ("&ge;100人次", ("≥", "100", "人次")),
        ("&gt;=50&nbsp;人", ("≥", "50", "人")),
        ("100&#37;", ("", "100", "%")),
    ],
)
def test_operator_spellings(written, expected):
    from targetqa.ingest.clean import clean_line

    v = split_value(clean_line(written))
    assert (v.operator, v.value, v.unit) == expected


@pytest.mark.parametrize("line", ["- 7 -", "第 7 页", "第7页 共20页", "7/20", "— 12 —"])
def test_page_debris(line):
    from targetqa.extract.layout import is_page_debris

    assert is_page_debris(line)


def test_a_sentence_in_a_cell_is_no_header():
    from targetqa.extract.columns import is_header

    assert is_header(["一级指标", "二级指标", "三级指标", "指标值"])
    assert is_header(["一级\n指标", "二级\n指标", "三级\n指标"])
    assert not is_header(["一级指标和二级指标按财预〔2021〕101号文件设置。"])


@pytest.mark.parametrize("written, value, unit", [("3个工作日以内", "3", "个工作日"), ("6个月", "6", "个月"), ("120户次", "120", "户次")])
def test_a_unit_that_begins_with_a_shorter_one_is_read_whole(written, value, unit, tmp_path):
    """'3个月' is three months, not three of something followed by 月: the longer unit wins."""
    page = tmp_path / "units.txt"
    page.write_text(f"项目支出绩效目标表\n一级指标 | 二级指标 | 三级指标 | 指标值\n产出指标 | 时效指标 | 办结时间 | {written}\n",
                    encoding="utf-8")
    [row] = load(page).rows
    assert (row.value, row.unit) == (value, unit)


@pytest.mark.parametrize(
    "title, project",
    [
        ("农村公路养护项目绩效目标表", "农村公路养护"),
        ("困难群众救助补助资金绩效目标表", "困难群众救助补助资金"),
        ("2019年度宁晋县高中助学金项目绩效评价指标表", "2019年度宁晋县高中助学金"),
        ("附件2：党员教育培训经费项目支出绩效目标表.xlsx", "党员教育培训经费"),
        # the kind of table, a year, a place or office, the budget: no project
        ("2023年项目支出绩效目标表公开", ""),
        ("鄂州市2022年市直部门预算项目支出绩效目标表.docx", ""),
        ("县教育局2023年部门预算项目绩效目标表", ""),
    ],
)
def test_the_project_a_title_names(title, project):
    from targetqa.extract.tables import project_from_title

    assert project_from_title(title) == project
