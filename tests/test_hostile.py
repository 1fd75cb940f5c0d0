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
