"""DOCX, XLSX and PDF reports: the same rows as the text version of the same real tables.

The files are built during the session from tables of the seed reports in corpora/ (see
office_fixtures.py): python-docx writes the DOCX with merged level cells, a 指标值 header merged
over its 符号/值/单位 subheader, repeated header rows and a page-number footer; openpyxl writes the
XLSX with the same merges; LibreOffice headless turns the DOCX into a 7-page PDF in which tables
and single rows break across pages, and the same DOCX with borderless tables into a PDF with no
ruling lines at all (read from text positions). PDF conversions are cached under .pytest_cache.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from office_fixtures import (
    FIELDS,
    agreement,
    build_docx,
    build_xlsx,
    image_pdf,
    resave,
    sample_lines,
    seed_lines,
    soffice,
    text_pdf,
    to_pdf,
)
from targetqa.ingest import load
from targetqa.model import InputError

NO_SOFFICE = "LibreOffice (soffice) 未安装，无法由 DOCX 生成 PDF 夹具；请安装 libreoffice-writer-nogui 和 fonts-noto-cjk（.ci/run 会安装）"


@pytest.fixture(scope="session")
def office(tmp_path_factory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("office")
    lines = sample_lines()
    txt = work / "sample.txt"
    txt.write_text("\n".join(lines), encoding="utf-8")
    return {
        "dir": work,
        "txt": txt,
        "docx": build_docx(lines, work / "sample.docx"),
        "xlsx": build_xlsx(lines, work / "sample.xlsx"),
    }


@pytest.fixture(scope="session")
def reference(office):
    return load(office["txt"])


def _cache(request) -> Path | None:
    cache = getattr(request.config, "cache", None)
    return Path(cache.mkdir("office-fixtures")) if cache is not None else None


@pytest.fixture(scope="session")
def pdf_path(office, request) -> Path:
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    return to_pdf(office["docx"], office["dir"], _cache(request))


@pytest.fixture(scope="session")
def pdf_doc(pdf_path):
    return load(pdf_path)


def _rows(doc) -> list[tuple[str, ...]]:
    return [tuple(getattr(r, f) for f in FIELDS) for r in doc.rows]


def _heads(doc) -> list[tuple]:
    return [(t.project, t.project_code, t.budget, t.goals, t.plan, t.kind) for t in doc.tables]


def test_sample_has_what_the_readers_must_handle(reference):
    # 9 tables from three seeds, 52 rows: 000 (numbered rows, subheader), 004, 001
    assert [len(t.rows) for t in reference.tables] == [4, 4, 7, 6, 6, 7, 6, 6, 6]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_rows_equal_text(office, reference, fmt):
    doc = load(office[fmt])
    assert doc.fmt == fmt and doc.text_ok
    assert _rows(doc) == _rows(reference)
    assert _heads(doc) == _heads(reference)
    assert [t.title for t in doc.tables] == [t.title for t in reference.tables]


def test_pdf_rows_equal_text(pdf_doc, reference):
    assert pdf_doc.fmt == "pdf" and pdf_doc.text_ok and not pdf_doc.notes
    assert _heads(pdf_doc) == _heads(reference)
    # whitespace aside, every row is the same; a space where a line wrapped inside a cell may go
    loose, total = agreement(reference, pdf_doc, loose=True)
    assert (loose, total) == (52, 52)
    exact, _ = agreement(reference, pdf_doc)
    assert exact >= 50


def test_pdf_keeps_pages_and_joins_tables_cut_by_page_breaks(pdf_doc, pdf_path):
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
    assert pages >= 4
    rows = pdf_doc.rows
    assert all(r.page is not None for r in rows)
    assert [r.page for r in rows] == sorted(r.page for r in rows)
    split = [t for t in pdf_doc.tables if len({r.page for r in t.rows}) > 1]
    assert split, "the sample must hold a table that runs over a page break"
    assert all(t.page is not None for t in pdf_doc.tables)
    # the page-number footer is not read as text between the parts of a table
    assert not any(line.strip().isdigit() for line in pdf_doc.lines)


def test_pdf_row_split_by_a_page_break_is_one_row(pdf_doc, reference):
    # In the PDF the goals row of the first 004 table starts on one page and ends on the next,
    # and so does the "服务对象满意\n度指标" row of a 001 table: each must stay one row.
    t = next(t for t in pdf_doc.tables if t.project.endswith("干部人事档案信息化建设工作经费"))
    assert t.goals == next(r.goals for r in reference.tables if r.project == t.project)
    assert sum(len(t.rows) for t in pdf_doc.tables) == 52


def test_docx_saved_by_libreoffice_reads_the_same_rows(office, reference, request):
    """A DOCX that went through LibreOffice (open, save) writes its merges its own way."""
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    doc = load(resave(office["docx"], office["dir"], _cache(request)))
    assert doc.fmt == "docx" and _rows(doc) == _rows(reference) and _heads(doc) == _heads(reference)


def test_docx_merged_cells_appear_once(office):
    doc = load(office["docx"])
    # 产出指标 is one merged cell over four rows: written once, the rows below start empty
    starts = [ln.split("\t")[0] for ln in doc.lines if "\t" in ln]
    assert starts.count("产出指标") == 7  # one per 004/001 table (000 tables are numbered)
    first = next(t for t in doc.tables if t.project.endswith("干部人事档案信息化建设工作经费"))
    line = doc.lines[first.rows[1].line - 1]
    assert line.startswith("\t质量指标\t数字化档案准确率")
    # 实际工作需要及合同 is one cell merged over four rows: each row has it as its basis
    assert [r.basis for r in first.rows[:4]] == ["实际工作需要及合同"] * 4


def test_xlsx_lines_and_merges(office):
    doc = load(office["xlsx"])
    first = next(t for t in doc.tables if t.project.endswith("干部人事档案信息化建设工作经费"))
    assert doc.lines[first.rows[1].line - 1].startswith("\t质量指标")
    assert [r.level1 for r in first.rows] == ["产出指标"] * 4 + ["效益指标"] * 2 + ["满意度指标"]


def test_format_is_sniffed_by_content(office, reference, tmp_path):
    renamed = tmp_path / "report.txt"
    shutil.copyfile(office["docx"], renamed)
    assert load(renamed).fmt == "docx"
    renamed = tmp_path / "table.pdf"
    shutil.copyfile(office["xlsx"], renamed)
    doc = load(renamed)
    assert doc.fmt == "xlsx" and _rows(doc) == _rows(reference)


def test_xlsx_numbers_shown_as_formatted_and_merged_labels(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "党员教育培训经费"])
    ws.append(["一级指标", "二级指标", "三级指标", "符号", "指标值", "单位", "指标值确定依据"])
    ws.append(["产出指标", "数量指标", "培训人次", "≥", 1000, "人次", "年度培训计划"])
    ws.append([None, "质量指标", "培训合格率", "≥", 0.95, None, None])
    ws.append(["满意度指标", "服务对象满意度指标", "学员满意度", "≥", 90.0, "%", "问卷调查"])
    ws["E4"].number_format = "0%"
    ws["E5"].number_format = "0.00"
    ws.merge_cells("A3:A4")
    ws.merge_cells("G3:G4")
    path = tmp_path / "t.xlsx"
    wb.save(path)
    doc = load(path)
    rows = [(r.level1, r.level2, r.level3, r.operator, r.value, r.unit, r.basis) for r in doc.rows]
    assert rows == [
        ("产出指标", "数量指标", "培训人次", "≥", "1000", "人次", "年度培训计划"),
        ("产出指标", "质量指标", "培训合格率", "≥", "95", "%", "年度培训计划"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥", "90.00", "%", "问卷调查"),
    ]
    assert doc.tables[0].project == "党员教育培训经费"


def test_scanned_pdf_is_not_read_as_text(pdf_path, tmp_path):
    doc = load(image_pdf(pdf_path, tmp_path / "scan.pdf"))
    assert doc.text_ok is False and doc.tables == []
    assert len(doc.notes) == 1 and "没有文字层" in doc.notes[0] and "扫描件" in doc.notes[0]


def test_pdf_without_unicode_mapping_is_not_read_as_text(pdf_path, tmp_path):
    # the same PDF with its fonts' ToUnicode maps gone: pdfminer gives (cid:NN) for every glyph
    broken = tmp_path / "cid.pdf"
    data = pdf_path.read_bytes()
    assert b"/ToUnicode" in data
    broken.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))
    doc = load(broken)
    assert doc.text_ok is False and doc.tables == []
    assert "文字层无法使用" in doc.notes[0] and "(cid:NN)" in doc.notes[0]


def test_mojibake_pdf_is_not_read_as_text(tmp_path):
    lines = [ln.encode("gbk") for ln in seed_lines("004", 548, 575) if ln.strip()]
    path = tmp_path / "mojibake.pdf"
    path.write_bytes(text_pdf(lines))
    doc = load(path)
    assert doc.text_ok is False and doc.tables == []
    assert "乱码" in doc.notes[0]


def test_latin_pdf_is_not_taken_for_mojibake(tmp_path):
    path = tmp_path / "plain.pdf"
    path.write_bytes(text_pdf([b"Annual performance targets (2025)", b"Budget: 1,000.00 yuan"]))
    doc = load(path)
    assert doc.text_ok and not doc.notes and doc.lines == ["Annual performance targets (2025)", "Budget: 1,000.00 yuan"]


def _truncated(src: Path, dest: Path) -> Path:
    data = src.read_bytes()
    dest.write_bytes(data[: len(data) // 2])
    return dest


@pytest.mark.parametrize("fmt,word", [("docx", "DOCX"), ("xlsx", "XLSX")])
def test_truncated_office_file_raises_input_error(office, tmp_path, fmt, word):
    bad = _truncated(office[fmt], tmp_path / f"bad.{fmt}")
    with pytest.raises(InputError) as err:
        load(bad)
    message = str(err.value)
    assert word in message and "损坏" in message and "\n" not in message


def test_truncated_pdf_raises_input_error(pdf_path, tmp_path):
    bad = _truncated(pdf_path, tmp_path / "bad.pdf")
    with pytest.raises(InputError) as err:
        load(bad)
    assert "PDF" in str(err.value) and "\n" not in str(err.value)


def test_encrypted_pdf_raises_input_error(office, request):
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    path = to_pdf(office["docx"], office["dir"], _cache(request), password="x")
    with pytest.raises(InputError) as err:
        load(path)
    assert "加密" in str(err.value)


def test_pdf_with_no_text_and_no_images(tmp_path):
    path = tmp_path / "blank.pdf"
    path.write_bytes(text_pdf([]))
    doc = load(path)
    assert doc.text_ok is False and "没有可提取的文字" in doc.notes[0]


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("targetqa")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from targetqa.cli import run; run()"]


def test_cli_reports_broken_files_and_reads_the_others(office, tmp_path):
    bad_docx = _truncated(office["docx"], tmp_path / "坏的.docx")
    bad_xlsx = _truncated(office["xlsx"], tmp_path / "坏的.xlsx")
    out = tmp_path / "rows.csv"
    proc = subprocess.run(
        _cli() + ["extract", str(bad_docx), str(office["docx"]), str(bad_xlsx), "--csv", str(out)],
        capture_output=True, text=True, timeout=120, env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )
    assert proc.returncode == 2
    errors = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(errors) == 2 and "Traceback" not in proc.stderr
    assert "坏的.docx" in errors[0] and "DOCX 文件已损坏" in errors[0]
    assert "坏的.xlsx" in errors[1] and "XLSX 文件已损坏" in errors[1]
    with out.open(encoding="utf-8-sig") as fh:
        records = list(csv.DictReader(fh))
    assert len(records) == 52 and {r["file"] for r in records} == {"sample.docx"}


@pytest.fixture(scope="session")
def unruled_pdf(office, request) -> Path:
    """The sample's tables written without borders: the PDF has no ruling lines at all."""
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    bare = build_docx(sample_lines(), office["dir"] / "unruled.docx", ruled=False)
    return to_pdf(bare, office["dir"], _cache(request))


def test_pdf_without_ruling_lines_reads_the_same_rows(unruled_pdf, reference):
    """Tables drawn without borders are read from the positions of their text: the same rows,
    heads and titles as the text version, each row with its page."""
    import pdfplumber

    with pdfplumber.open(unruled_pdf) as pdf:
        assert not any(p.find_tables() for p in pdf.pages)
    doc = load(unruled_pdf)
    assert doc.text_ok and not doc.notes
    assert agreement(reference, doc, loose=True) == (52, 52)
    assert agreement(reference, doc)[0] >= 50
    assert _heads(doc) == _heads(reference)
    assert [t.title for t in doc.tables] == [t.title for t in reference.tables]
    pages = [r.page for r in doc.rows]
    assert None not in pages and pages == sorted(pages)
    assert any(len({r.page for r in t.rows}) > 1 for t in doc.tables), "a table must run over a page break"


def test_pdf_without_ruling_lines_keeps_merged_cells_and_wrapped_headers(unruled_pdf, reference):
    # 指标值确定依据 wraps in its header cell; 产出指标 and 实际工作需要及合同 are cells merged
    # over four rows, printed once: the label is carried down, the basis repeated on each row
    doc = load(unruled_pdf)
    first = next(t for t in doc.tables if t.project.endswith("干部人事档案信息化建设工作经费"))
    assert [r.level1 for r in first.rows[:4]] == ["产出指标"] * 4
    assert [r.basis for r in first.rows[:4]] == ["实际工作需要及合同"] * 4
    assert not any(r.value == "据" or r.basis == "据" for r in doc.rows)


@pytest.fixture(scope="session")
def prose_pdf(office, request) -> tuple[list[str], Path]:
    """Prose of a seed report (paragraphs that wrap over two to four lines) as a PDF."""
    if soffice() is None:
        pytest.skip(NO_SOFFICE)
    lines = seed_lines("000", 1, 60)
    return lines, to_pdf(build_docx(lines, office["dir"] / "prose.docx"), office["dir"], _cache(request))


def test_pdf_paragraph_wrapped_over_lines_is_one_line(prose_pdf):
    from targetqa.extract.layout import TextLine, read_items

    def flat(text: str) -> str:
        return re.sub(r"\s+", "", text)

    lines, path = prose_pdf
    source = [flat(it.text) for it in read_items(lines) if isinstance(it, TextLine)]
    long = [p for p in source if len(p) >= 60]
    assert len(long) >= 8
    doc = load(path)
    got = [flat(ln) for ln in doc.lines if "\t" not in ln]
    # every paragraph whole, on one line; no line joins two paragraphs
    assert all(p in got for p in long)
    assert all(any(ln in p for p in source) for ln in got)


def test_extract_summary_says_why_a_scan_has_no_rows(pdf_path, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    scan = image_pdf(pdf_path, tmp_path / "scan.pdf")
    exe = Path(sys.executable).with_name("targetqa")
    proc = subprocess.run([str(exe), "extract", str(scan)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    assert "注意" in proc.stdout and "扫描件" in proc.stdout


def test_a_value_columns_unit_in_its_header_reaches_bare_numbers_in_xlsx_and_docx(tmp_path):
    """'指标值（万元）' over 50 in a workbook or a Word table: the 50 is 万元, as in a text report."""
    import openpyxl

    rows = [["一级指标", "二级指标", "三级指标", "指标值（万元）"],
            ["产出指标", "成本指标", "设备购置成本", "≤50"], ["产出指标", "成本指标", "培训成本", 10]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "设备更新项目"])
    for row in rows:
        ws.append(row)
    xlsx = tmp_path / "u.xlsx"
    wb.save(xlsx)
    docx_path = build_docx(["设备更新项目绩效目标表", *("\t".join(map(str, r)) for r in rows)], tmp_path / "u.docx")
    for path in (xlsx, docx_path):
        assert [(r.level3, r.operator, r.value, r.unit) for r in load(path).rows] == [
            ("设备购置成本", "≤", "50", "万元"), ("培训成本", "", "10", "万元")], path.suffix
