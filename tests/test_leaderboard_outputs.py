"""The leaderboard command line and its outputs (CSV, XLSX, HTML), and `score --html/--xlsx`."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from targetqa.cli import app

ROOT = Path(__file__).resolve().parent.parent
TXT = sorted((ROOT / "corpora").glob("*.txt"))
runner = CliRunner()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("lbcli")
    folder = tmp / "reports"
    folder.mkdir()
    for p in TXT:
        shutil.copy(p, folder / p.name)
    (folder / "empty.txt").write_bytes(b"")
    out = tmp / "out"
    result = runner.invoke(app, [
        "leaderboard", str(folder), "--db", str(tmp / "s.sqlite3"), "--csv", str(out / "rank.csv"),
        "--xlsx", str(out / "rank.xlsx"), "--html", str(out / "rank.html"), "--exit-zero",
    ])
    return {"result": result, "out": out, "folder": folder, "tmp": tmp}


def test_exit_code_2_for_an_unreadable_file_but_everything_written(outputs) -> None:  # noqa: ANN001
    result = outputs["result"]
    assert result.exit_code == 2, result.output
    assert "empty.txt" in result.stderr and "文件为空" in result.stderr
    for name in ("rank.csv", "rank.xlsx", "rank.html"):
        assert (outputs["out"] / name).stat().st_size > 0
    # The console table: every department, in score order.
    assert "中共秦皇岛市山海关区委组织部" in result.stdout
    assert "排名" in result.stdout and "较上年" in result.stdout


def test_csv_ranking(outputs) -> None:  # noqa: ANN001
    raw = (outputs["out"] / "rank.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel/WPS
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    ranked = [r for r in rows if r["rank"]]
    assert len(ranked) == 5
    scores = [float(r["score"]) for r in ranked]
    assert scores == sorted(scores, reverse=True)
    [failed] = [r for r in rows if not r["rank"]]
    assert failed["files"] == "empty.txt" and failed["error"]
    y2025 = next(r for r in ranked if r["year"] == "2025")
    assert y2025["prev_year"] == "2020" and y2025["change"]
    for fam in ("UNIT", "VAL", "ECHO", "DUP", "BOIL"):
        assert fam in rows[0]
    # coverage beside the score: every table of the seeds was read
    assert list(rows[0]).index("coverage") == list(rows[0]).index("score") + 1
    assert all(re.fullmatch(r"(\d+)/\1", r["coverage"]) for r in ranked)


def test_xlsx_sheets_and_columns(outputs) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    from targetqa.checks import FAMILIES

    wb = load_workbook(outputs["out"] / "rank.xlsx")
    assert wb.sheetnames == ["排名", "问题行", "无法读取"]
    ranking, flagged, failed = wb["排名"], wb["问题行"], wb["无法读取"]
    head = [c.value for c in ranking[1]]
    assert head[:9] == ["排名", "部门", "地区", "年度", "类型", "得分", "表数", "指标行数", "问题数"]
    assert head[9:9 + len(FAMILIES)] == list(FAMILIES)
    assert head[-8:] == ["最差的表", "最差表得分", "上一年度", "上年得分", "较上年", "文件", "部门标识", "说明"]
    body = [[c.value for c in row] for row in ranking.iter_rows(min_row=2)]
    assert len(body) == 5
    assert [r[0] for r in body] == [1, 2, 3, 4, 5]
    assert [r[5] for r in body] == sorted((r[5] for r in body), reverse=True)
    fhead = [c.value for c in flagged[1]]
    for col in ("部门", "年度", "文件", "表号", "项目", "行号", "源文件行", "三级指标", "指标值", "规则", "级别", "问题", "证据"):
        assert col in fhead
    n_findings = sum(r[8] for r in body)
    assert flagged.max_row - 1 == n_findings
    for ws in (ranking, flagged, failed):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    assert [c.value for c in failed[2]][0].endswith("empty.txt")


def test_html_is_one_self_contained_page(outputs) -> None:  # noqa: ANN001
    page = (outputs["out"] / "rank.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # nothing fetched
    assert "url(" not in page and "@import" not in page and "<link" not in page
    assert page.count('<table id="ranking">') == 1
    assert page.count("<svg") == 2  # scores by department, findings by family
    assert 'id="failures"' in page and "empty.txt" in page
    assert "中共秦皇岛市山海关区委组织部" in page


def test_second_run_is_incremental_from_the_command_line(outputs) -> None:  # noqa: ANN001
    tmp = outputs["tmp"]
    result = runner.invoke(app, ["leaderboard", str(outputs["folder"]), "--db", str(tmp / "s.sqlite3"), "--exit-zero"])
    assert "新解析 0" in result.stderr and "沿用数据库 5" in result.stderr


def test_exit_codes(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    ok = runner.invoke(app, ["leaderboard", str(TXT[4]), "--db", db, "--exit-zero"])
    assert ok.exit_code == 0, ok.output
    strict = runner.invoke(app, ["leaderboard", str(TXT[4]), "--db", db, "--fail-level", "info"])
    assert strict.exit_code == 1
    none = runner.invoke(app, ["leaderboard", str(tmp_path / "nothing-here"), "--db", db])
    assert none.exit_code == 2
    bad_rule = runner.invoke(app, ["leaderboard", str(TXT[4]), "--db", db, "--select", "NOPE999"])
    assert bad_rule.exit_code == 2 and "未知的规则代码" in bad_rule.stderr
    bad_db = tmp_path / "junk.sqlite3"
    bad_db.write_bytes(b"junk" * 500)
    junk = runner.invoke(app, ["leaderboard", str(TXT[4]), "--db", str(bad_db)])
    assert junk.exit_code == 2 and "无法打开数据库" in junk.stderr
    same = runner.invoke(app, ["leaderboard", str(TXT[4]), "--db", str(TXT[4])])
    assert same.exit_code == 2  # never writes over an input file


def test_memory_database_and_help(tmp_path: Path) -> None:
    result = runner.invoke(app, ["leaderboard", str(TXT[0]), "--db", ":memory:", "--exit-zero"])
    assert result.exit_code == 0, result.output
    helptext = runner.invoke(app, ["leaderboard", "--help"]).stdout
    assert "leaderboard.sqlite3" in helptext and "TARGETQA_DB" in helptext
    assert "--xlsx" in helptext and "--html" in helptext and "--select" in helptext


def test_default_database_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from targetqa.store import default_db_path

    monkeypatch.setenv("TARGETQA_DB", str(tmp_path / "env.sqlite3"))
    assert default_db_path() == tmp_path / "env.sqlite3"
    result = runner.invoke(app, ["leaderboard", str(TXT[0]), "--exit-zero"])
    assert result.exit_code == 0
    assert (tmp_path / "env.sqlite3").exists()
    monkeypatch.delenv("TARGETQA_DB")
    assert default_db_path().name == "leaderboard.sqlite3" and "targetqa" in str(default_db_path())


def test_score_writes_html_and_xlsx_with_the_same_writers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    html, xlsx = tmp_path / "one.html", tmp_path / "one.xlsx"
    result = runner.invoke(app, ["score", str(TXT[2]), "--html", str(html), "--xlsx", str(xlsx), "--exit-zero"])
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert '<table id="ranking">' in page and TXT[2].name in page
    assert "各报告得分" in page
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["排名", "问题行"]
    assert wb["排名"].max_row == 2
    assert wb["问题行"].max_row > 1


def test_document_text_is_escaped_in_the_page(tmp_path: Path) -> None:
    from targetqa.catalog import select_rules
    from targetqa.ingest import load
    from targetqa.output.board import board_for_results
    from targetqa.output.html import render_board_html
    from targetqa.output.xlsx import write_board_xlsx
    from targetqa.pipeline import audit

    doc = load(TXT[0])
    doc.department = '<script>alert("部门")</script>组织部'
    doc.tables[0].project = "<img src=x onerror=alert(1)>项目"
    [result] = audit([doc], select_rules())
    assert result.findings
    result.findings[0].evidence = "</td><b>证据</b>"
    result.findings[0].message = "=HYPERLINK(\"x\")"
    board = board_for_results([result], title="<i>标题</i>")
    page = render_board_html(board)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>证据</b>" not in page
    assert "&lt;script&gt;alert(&#34;部门&#34;)&lt;/script&gt;" in page
    assert "&lt;i&gt;标题&lt;/i&gt;" in page
    write_board_xlsx(tmp_path / "x.xlsx", board)  # a formula-looking message stays text
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "x.xlsx")["问题行"]
    cell = next(c for row in ws.iter_rows(min_row=2) for c in row if c.value == "=HYPERLINK(\"x\")")
    assert cell.data_type == "s"
