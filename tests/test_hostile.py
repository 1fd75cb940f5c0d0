"""Hostile, huge and odd inputs: one Chinese line and exit 2 instead of a traceback, other files'
results still written, document text never taken for markup, formulas or escape sequences.

Every hostile input is built here, in the test's own folder, and the real command is run on it.
"""

from __future__ import annotations

import csv
import re

import pytest
from typer.testing import CliRunner

from conftest import seed_path
from targetqa.cli import app

GOOD = seed_path("000")
OTHER = seed_path("002")
FAST = ("--isolated", "--select", "UNIT")


def cli(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def err_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def csv_rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]


def report_text(names: list[str], value: str = "有效", project: str = "测试经费") -> str:
    """A small tab-separated report: one project table whose output rows carry `names`."""
    lines = ["中共某某市某某区委组织部2024年部门预算", f"1、{project}绩效目标表", "\t".join(HEADER)]
    for k, name in enumerate(names):
        lines.append("\t".join(["产出指标" if k == 0 else "", "数量指标", name, name, value, name]))
    lines.append("\t".join(["效益指标", "满意度指标", "群众满意度", "群众满意", "≥90%", "调查"]))
    return "\n".join(lines) + "\n"


def write_report(tmp_path, name: str, names: list[str], **kw):
    path = tmp_path / name
    path.write_text(report_text(names, **kw), encoding="utf-8")
    return path


def copy_report(tmp_path, name: str, source=GOOD):
    target = tmp_path / name
    target.write_bytes(source.read_bytes())
    return target


# 1. one guard: an unexpected error is one Chinese line and exit 2, never 1 ("findings")

def test_a_crash_in_one_reports_checks_costs_that_report_only(tmp_path, monkeypatch):
    import targetqa.pipeline as pipeline

    bad = copy_report(tmp_path, "崩溃.txt")
    real = pipeline.run_rules

    def run_rules(doc, rules):
        if doc.path.endswith("崩溃.txt"):
            raise ZeroDivisionError("boom")
        return real(doc, rules)

    monkeypatch.setattr(pipeline, "run_rules", run_rules)
    out = tmp_path / "rows.csv"
    result = cli("score", bad, OTHER, *FAST, "--csv", out)
    assert result.exit_code == 2
    lines = err_lines(result)
    assert len(lines) == 1 and "崩溃.txt" in lines[0] and "内部错误" in lines[0] and "ZeroDivisionError" in lines[0]
    assert OTHER.name in result.stdout
    assert {r["file"] for r in csv_rows(out)} == {OTHER.name}


def test_a_failing_writer_leaves_the_other_outputs_written(tmp_path, monkeypatch):
    import targetqa.output.xlsx as xlsx

    def broken(path, board):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(xlsx, "write_board_xlsx", broken)
    out_csv, out_xlsx = tmp_path / "rows.csv", tmp_path / "book.xlsx"
    result = cli("score", GOOD, *FAST, "--xlsx", out_xlsx, "--csv", out_csv, "--exit-zero")
    assert result.exit_code == 2
    lines = err_lines(result)
    assert len(lines) == 1 and "book.xlsx" in lines[0] and "无法写入" in lines[0]
    assert out_csv.exists() and not out_xlsx.exists()


@pytest.mark.parametrize("command", ["score", "extract", "leaderboard"])
def test_an_unexpected_error_anywhere_is_exit_2_not_1(tmp_path, monkeypatch, command):
    import targetqa.files as files

    def broken(paths):
        raise KeyError("surprise")

    monkeypatch.setattr(files, "expand", broken)
    extra = ("--db", tmp_path / "db.sqlite3") if command == "leaderboard" else ()
    result = cli(command, GOOD, *extra)
    assert result.exit_code == 2
    lines = err_lines(result)
    assert len(lines) == 1 and lines[0].startswith("targetqa: 内部错误：KeyError")


# 2. document text is shown, never parsed as rich markup nor obeyed as an escape sequence

HOSTILE_NAMES = ["[/bold]数量", "\x1b]0;pwned\x07\x1b[2J清屏", "[link=http://evil.example]点我[/link]", "[/]结尾\\"]


@pytest.mark.parametrize("command", ["score", "extract", "leaderboard"])
def test_markup_and_escape_sequences_in_cells_are_shown_not_obeyed(tmp_path, command):
    bad = write_report(tmp_path, "markup.txt", HOSTILE_NAMES, value="有效[/]", project="测[/]经费[on white]")
    extra = ("--db", tmp_path / "db.sqlite3") if command == "leaderboard" else ()
    judged = ("--isolated", "--exit-zero") if command != "extract" else ()
    result = cli(command, bad, *judged, *extra)
    assert result.exit_code == 0, result.stderr
    shown = result.stdout + result.stderr
    assert "\x1b" not in shown and "\x07" not in shown
    assert "测[/]经费[on white]" in shown
    if command == "score":
        assert "[/bold]数量" in shown and "[link=http://evil.example]点我[/link]" in shown and "]0;pwned[2J清屏" in shown


def test_control_characters_in_a_file_name_are_not_sent_to_the_terminal(tmp_path):
    bad = tmp_path / "a\x1b[2J\x1b]0;x\x07b.txt"
    bad.write_bytes(b"")
    result = cli("score", bad, GOOD, *FAST)
    assert result.exit_code == 2
    (line,) = err_lines(result)
    assert "\x1b" not in line and "\x07" not in line and "为空" in line
