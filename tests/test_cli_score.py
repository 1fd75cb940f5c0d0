"""`targetqa score`, `rules` and `rule` from the command line: exit codes, --select/--ignore,
the flagged-row CSV read back with the csv module, and a stable score.

Every run uses --isolated (no comparison with the shipped corpus statistics) so that the
findings are those of the row, table and document checks alone.
"""

from __future__ import annotations

import csv
import json
import re

import pytest
from typer.testing import CliRunner

from conftest import CORPORA, seed_path
from targetqa.catalog import all_rules
from targetqa.cli import app

LEADING_COLUMNS = [
    "file", "department", "year", "table_no", "project", "row_no", "line", "level1", "level2", "level3",
    "description", "operator", "value", "unit", "basis", "code", "family", "severity", "message", "evidence",
]


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run the CLI with the current folder set to an empty tmp dir (no config file above it)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=True)
        # never a traceback, whatever the input
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        return result

    return invoke


def read_csv(path):
    raw = path.read_bytes()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return raw, rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def codes_in(run, tmp_path, *args) -> list[str]:
    out = tmp_path / "codes.csv"
    result = run("score", *args, "--isolated", "--exit-zero", "--csv", out)
    assert result.exit_code == 0, result.output
    return [r["code"] for r in read_csv(out)[2]]


S000, S001, S002, S003, S004 = (seed_path(p) for p in ("000", "001", "002", "003", "004"))


# --------------------------------------------------------------------------- exit codes


def test_exit_1_on_errors(run):
    assert run("score", S002, "--isolated", "--select", "UNIT003").exit_code == 1


def test_exit_zero_flag(run):
    assert run("score", S002, "--isolated", "--select", "UNIT003", "--exit-zero").exit_code == 0


def test_exit_0_below_fail_level(run):
    # 004 has ECHO001 findings only at severity info
    assert run("score", S004, "--isolated", "--select", "ECHO001").exit_code == 0
    assert run("score", S004, "--isolated", "--select", "ECHO001", "--fail-level", "warning").exit_code == 0
    assert run("score", S004, "--isolated", "--select", "ECHO001", "--fail-level", "info").exit_code == 1
    # warnings count from --fail-level warning on
    assert run("score", S004, "--isolated", "--select", "VAL001").exit_code == 0
    assert run("score", S004, "--isolated", "--select", "VAL001", "--fail-level", "warning").exit_code == 1


def test_exit_0_when_nothing_found(run):
    # 004 has no DIR001 finding
    result = run("score", S004, "--isolated", "--select", "DIR001")
    assert result.exit_code == 0


@pytest.mark.parametrize("args", [
    ["--select", "NOPE001"],
    ["--ignore", "XYZ"],
    ["--select", "UNIT,BOGUS9"],
    ["--fail-level", "fatal"],
    ["--format", "xml"],
])
def test_exit_2_on_usage_errors(run, args):
    result = run("score", S000, "--isolated", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() and "targetqa" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_code_is_named(run):
    result = run("score", S000, "--select", "NOPE001")
    assert "NOPE001" in result.stderr and "未知的规则代码" in result.stderr


def test_exit_2_on_missing_file_but_others_scored(run, tmp_path):
    missing = tmp_path / "nope.txt"
    result = run("score", missing, S000, "--isolated", "--select", "UNIT")
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr
    assert S000.name in result.stdout  # the readable report was still scored


# --------------------------------------------------------------------------- select / ignore


def test_select_prefix(run, tmp_path):
    found = codes_in(run, tmp_path, S002, "--select", "UNIT")
    assert found and all(c.startswith("UNIT") for c in found)


def test_select_and_ignore_most_specific_wins(run, tmp_path):
    found = set(codes_in(run, tmp_path, S002, "--select", "UNIT", "--ignore", "UNIT007"))
    assert "UNIT007" not in found and {"UNIT001", "UNIT003"} <= found
    found = set(codes_in(run, tmp_path, S002, "--ignore", "UNIT", "--select", "UNIT003"))
    assert found == {"UNIT003"}


def test_select_comma_list_and_repeated(run, tmp_path):
    found = set(codes_in(run, tmp_path, S001, "--select", "DIR001,VAL004"))
    assert found == {"DIR001", "VAL004"}
    found = set(codes_in(run, tmp_path, S001, "--select", "DIR001", "--select", "VAL004"))
    assert found == {"DIR001", "VAL004"}


def test_select_is_case_insensitive(run, tmp_path):
    assert set(codes_in(run, tmp_path, S001, "--select", "dir001")) == {"DIR001"}


def test_ignore_alone(run, tmp_path):
    found = codes_in(run, tmp_path, S004, "--ignore", "VAL,ECHO")
    assert found and not any(c.startswith(("VAL", "ECHO")) for c in found)


# --------------------------------------------------------------------------- CSV


def test_csv_bom_columns_and_quoting(run, tmp_path):
    notable = tmp_path / "notable.txt"
    notable.write_text("某部门2024年部门预算\n本部门没有公开项目绩效目标表。\n", encoding="utf-8")
    out = tmp_path / "flagged.csv"
    result = run("score", S001, S002, notable, "--isolated", "--exit-zero", "--csv", out)
    assert result.exit_code == 0
    raw, header, rows = read_csv(out)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert header[: len(LEADING_COLUMNS)] == LEADING_COLUMNS
    assert rows and all(len(r) == len(header) for r in rows)
    by_code = {}
    for r in rows:
        by_code.setdefault(r["code"], []).append(r)
    # a row finding: every cell as written, the family and severity
    unit3 = next(r for r in by_code["UNIT003"] if r["level3"] == "投保车辆数")
    assert (unit3["file"], unit3["year"], unit3["table_no"], unit3["row_no"]) == (S002.name, "2025", "1", "1")
    assert (unit3["operator"], unit3["value"], unit3["unit"], unit3["family"], unit3["severity"]) == ("≥", "90", "%", "UNIT", "error")
    assert unit3["department"] == "中共秦皇岛市山海关区委组织部" and unit3["line"] == "1165"
    # a cell with ASCII double quotes survives the round trip (001 表11 依据 <关于实施"1235+"…>)
    quoted = next(r for r in rows if '"1235+"' in r["basis"])
    assert quoted["basis"] == '<关于实施"1235+"大党建工作机制的工作方案(试行)>'
    # a table finding leaves row_no empty; a document finding leaves table_no and row_no empty
    echo2 = by_code["ECHO002"][0]
    assert echo2["table_no"] and echo2["row_no"] == "" and echo2["level3"] == ""
    ext = by_code["EXT001"][0]
    assert ext["file"] == "notable.txt" and ext["table_no"] == "" and ext["row_no"] == ""
    # one line per finding: the same count as the JSON report
    out_json = tmp_path / "flagged.json"
    run("score", S001, S002, notable, "--isolated", "--exit-zero", "--json", out_json)
    payload = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(rows) == sum(len(r["findings"]) for r in payload)


def test_csv_refuses_to_overwrite_an_input(run, tmp_path):
    copy = tmp_path / "report.txt"
    copy.write_bytes(S000.read_bytes())
    result = run("score", copy, "--isolated", "--csv", copy)
    assert result.exit_code == 2
    assert copy.read_bytes() == S000.read_bytes()


# --------------------------------------------------------------------------- score


def _score(run, path, *args):
    result = run("score", path, "--isolated", "--format", "json", "--exit-zero", *args)
    return json.loads(result.stdout)[0]


def test_score_is_deterministic(run):
    first = [_score(run, p) for p in (S000, S001, S002, S003, S004)]
    second = [_score(run, p) for p in (S000, S001, S002, S003, S004)]
    assert [r["score"] for r in first] == [r["score"] for r in second]
    assert [r["findings"] for r in first] == [r["findings"] for r in second]
    # alone or together with other reports: the same score
    together = json.loads(run("score", S004, S000, "--isolated", "--format", "json", "--exit-zero").stdout)
    assert together[0]["score"] == first[4]["score"] and together[1]["score"] == first[0]["score"]


def test_scores_are_in_range_and_fewer_rules_never_lower(run):
    for p in (S000, S001, S002, S003, S004):
        full = _score(run, p)["score"]
        assert 0 <= full < 100
        assert _score(run, p, "--select", "ECHO")["score"] >= full


def test_text_output_names_score_and_coverage(run):
    result = run("score", S003, "--isolated")
    assert S003.name in result.stdout and "得分" in result.stdout and "指标行" in result.stdout


# --------------------------------------------------------------------------- rules / rule


def test_rules_lists_every_code(run):
    result = run("rules")
    assert result.exit_code == 0
    for r in all_rules():
        assert r.code in result.stdout


def test_rule_explains_one(run):
    result = run("rule", "UNIT001")
    assert result.exit_code == 0
    text = result.stdout
    assert "UNIT001" in text and "money-as-percent" in text and "金额类指标用百分比表示" in text
    assert "成本控制数" in text  # the real example from corpora/ (002 表3)
    assert re.search(r"真实例子", text)


def test_rule_is_case_insensitive_and_unknown_is_2(run):
    assert run("rule", "unit003").exit_code == 0
    result = run("rule", "NOPE001")
    assert result.exit_code == 2 and "NOPE001" in result.stderr


def test_corpora_seed_paths_exist():
    assert len(list(CORPORA.glob("*.txt"))) == 5


def test_a_partly_read_report_shows_its_coverage(run, tmp_path):
    """A real page plus a table whose body could not be read: the score covers the read table and
    says so in the terminal, and the leaderboard's CSV has the coverage beside the score."""
    page = (CORPORA / "realdocs" / "D05_huaibei-wenlvti-nongcun-wenhua-2025.txt").read_text(encoding="utf-8")
    unreadable = ["", "项目支出绩效目标表", "一级指标 | 二级指标 | 三级指标 | 指标值 |", "产出指标 | 数量指标 |",
                  "本表其余内容以图片形式提供，请到财政局网站下载原件查看 |"]
    report = tmp_path / "partly.txt"
    report.write_text(page + "\n" + "\n".join(unreadable) + "\n", encoding="utf-8")
    result = run("score", str(report), "--isolated", "--exit-zero")
    assert "EXT003" in result.output and re.search(r"得分 \d+\.\d（已读表 1/2）", result.output)
    out = tmp_path / "rank.csv"
    result = run("leaderboard", str(report), "--db", ":memory:", "--csv", str(out), "--exit-zero")
    [row] = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert row["coverage"] == "1/2" and float(row["score"]) > 0


def test_rows_left_out_of_a_wrapped_narrow_column_are_named_by_extract_and_score(run, tmp_path):
    """A real table printed one cell per line at eight characters a line: `extract` says how many
    rows of which table were not read and on which lines; `score` reports them (EXT004)."""
    from flat_layouts import reference_tables, wrapped_cells

    tables = [rows for rows in reference_tables() if any(r["level3"] == "对满足人民群众日益提高的文化需求的可持续影响" for r in rows)]
    page = tmp_path / "narrow.txt"
    page.write_text("\n".join(["项目支出绩效目标表", "项目名称 测试项目", *wrapped_cells(tables[0], 8), ""]), encoding="utf-8")
    result = run("extract", str(page))
    assert re.search(r"表 1 有 1 行未能可靠读取（第 \d+ 行）", result.output)
    result = run("score", str(page), "--isolated", "--exit-zero")
    assert "EXT004" in result.output
