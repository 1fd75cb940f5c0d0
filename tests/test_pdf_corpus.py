"""The two real published budget PDFs in corpora/pdf/ (Shanghai Putuo district, 2025).

Their 绩效目标 sections say only "详见单位的项目绩效目标表": the reader must get the department,
year and the stated number and amount of projects with targets, and find no indicator table
(the budget tables they hold are not 绩效目标表).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from targetqa.ingest import load

PDF_DIR = Path(__file__).resolve().parent.parent / "corpora" / "pdf"

EXPECTED = {
    "上海市普陀区人民政府办公室25年预算.pdf": ("上海市普陀区人民政府办公室", 22, 11, 6626.0),
    "上海市普陀区商务委员会25年预算.pdf": ("上海市普陀区商务委员会", 26, 25, 11381.6),
}

_DOCS: dict[str, object] = {}


def _doc(name: str):
    if name not in _DOCS:
        _DOCS[name] = load(PDF_DIR / name)
    return _DOCS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_facts_of_a_published_budget_pdf(name):
    department, pages, projects, amount = EXPECTED[name]
    doc = _doc(name)
    assert doc.fmt == "pdf" and doc.text_ok and not doc.notes
    assert (doc.department, doc.region, doc.year, doc.kind) == (department, "上海市普陀区", 2025, "预算")
    assert [(s.projects, s.amount) for s in doc.statements] == [(projects, amount)]
    statement = doc.statements[0]
    assert "绩效目标" in statement.text and 0 < statement.line <= len(doc.lines)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_indicator_table_in_a_published_budget_pdf(name):
    doc = _doc(name)
    assert doc.tables == [] and doc.rows == []
    assert any("详见单位的项目绩效目标表" in line for line in doc.lines)


def test_pdf_pages_and_budget_tables_are_read():
    doc = _doc("上海市普陀区商务委员会25年预算.pdf")
    # the ruled budget tables come through as rows of cells, tab-joined in the lines
    assert any(line.startswith("201\t") or "\t一般公共服务支出" in line for line in doc.lines)
    assert doc.lines[0] == "上海市普陀区2025年区级部门预算"


def test_cli_extract_reads_both_pdfs():
    exe = Path(sys.executable).with_name("targetqa")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from targetqa.cli import run; run()"]
    proc = subprocess.run(
        cmd + ["extract", str(PDF_DIR)], capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONIOENCODING="utf-8"),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for department, *_ in EXPECTED.values():
        assert department in proc.stdout


def test_paragraphs_wrapped_over_lines_are_one_line():
    doc = _doc("上海市普陀区商务委员会25年预算.pdf")
    # a numbered duty printed over four lines of the page
    line = next(ln for ln in doc.lines if ln.startswith("12、负责贯彻执行有关粮食流通"))
    assert line.endswith("按照程序进行协调采购和配送。")
    # the items around it stay lines of their own
    assert any(ln == "13、完成区委、区政府交办的其他任务。" for ln in doc.lines)
    assert doc.lines[0] == "上海市普陀区2025年区级部门预算"
