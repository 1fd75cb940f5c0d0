"""Bad input: one clear line on stderr naming the file and the reason, the other files still
scored, never a traceback; a report without tables gets no score (n/a), never 100; the same
report in GB18030 or UTF-16 gives the same rows as in UTF-8."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import seed, seed_path
from targetqa.cli import app
from targetqa.ingest import load
from targetqa.model import InputError

S000 = seed_path("000")
S002 = seed_path("002")


def score(*paths, args=("--isolated", "--select", "UNIT")):
    result = CliRunner().invoke(app, ["score", *map(str, paths), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def stderr_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.fixture
def bad_files(tmp_path) -> dict[str, Path]:
    files = {
        "empty": b"",
        "blank": b"   \n\n\t\n",
        "binary": bytes(range(256)) * 40,
        "undecodable": b"\xbf\xbf\x80\x80" * 500 + "预算".encode("utf-8"),
        "zip": b"PK\x03\x04" + b"\x00" * 200,
    }
    out = {}
    for name, data in files.items():
        p = tmp_path / f"{name}.txt"
        p.write_bytes(data)
        out[name] = p
    return out


@pytest.mark.parametrize("name,reason", [
    ("empty", "为空"),
    ("blank", "为空"),
    ("binary", "二进制"),
    ("undecodable", "编码"),
    ("zip", "压缩包"),  # a ZIP that is neither DOCX nor XLSX
])
def test_unreadable_file_one_line_and_exit_2(bad_files, name, reason):
    result = score(bad_files[name])
    assert result.exit_code == 2
    lines = stderr_lines(result)
    assert len(lines) == 1
    assert bad_files[name].name in lines[0] and reason in lines[0]


def test_other_files_still_scored(bad_files):
    result = score(bad_files["empty"], S000, bad_files["binary"], S002)
    assert result.exit_code == 2
    assert S000.name in result.stdout and S002.name in result.stdout
    lines = stderr_lines(result)
    assert len(lines) == 2 and "empty.txt" in lines[0] and "binary.txt" in lines[1]


def test_missing_file(tmp_path):
    result = score(tmp_path / "absent.txt", S000)
    assert result.exit_code == 2 and "absent.txt" in result.stderr and S000.name in result.stdout


def test_loader_raises_input_error_not_a_crash(bad_files):
    for path in bad_files.values():
        with pytest.raises(InputError):
            load(path)


def test_no_tables_gets_no_score(tmp_path):
    prose = tmp_path / "prose.txt"
    prose.write_text("某区某局2024年部门预算公开说明\n一、部门职责\n负责全区有关工作。\n二、绩效目标\n详见单位的项目绩效目标表。\n",
                     encoding="utf-8")
    result = score(prose, args=("--isolated", "--format", "json"))
    payload = json.loads(result.stdout)
    assert payload[0]["score"] is None  # n/a, never 100
    assert "EXT001" in payload[0]["statistics"]
    assert result.exit_code == 1  # EXT001 is an error-level finding
    lines = stderr_lines(result)
    assert len(lines) == 1 and "prose.txt" in lines[0] and "不计分" in lines[0]
    text = score(prose, args=("--isolated",))
    assert "n/a" in text.stdout and "100" not in text.stdout.split("n/a")[0].splitlines()[-1]


def test_no_tables_even_with_nothing_selected(tmp_path):
    # with EXT001 ignored, the report still has no score, and nothing hides that
    prose = tmp_path / "prose.txt"
    prose.write_text("某区某局2024年部门预算公开说明\n本单位无项目支出。\n", encoding="utf-8")
    result = score(prose, args=("--isolated", "--ignore", "EXT", "--format", "json"))
    assert json.loads(result.stdout)[0]["score"] is None


def _rows(doc):
    return [(t.table_no, r.row_no, tuple(r.cells().items()), r.line) for t in doc.tables for r in t.rows]


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
@pytest.mark.parametrize("prefix", ["000", "004"])
def test_other_encodings_give_the_same_rows(tmp_path, encoding, prefix):
    text = seed_path(prefix).read_text(encoding="utf-8")
    copy = tmp_path / f"{prefix}-{encoding}.txt"
    try:
        copy.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        pytest.skip(f"{prefix} has characters outside {encoding}")
    doc = load(copy)
    original = seed(prefix)
    assert _rows(doc) == _rows(original)
    assert (doc.department, doc.year) == (original.department, original.year)


def test_other_encodings_give_the_same_score(tmp_path):
    text = S000.read_text(encoding="utf-8")
    scores = []
    for enc in ("utf-8", "gb18030", "utf-16"):
        p = tmp_path / f"000-{enc}.txt"
        p.write_bytes(text.encode(enc))
        payload = json.loads(score(p, args=("--isolated", "--format", "json")).stdout)
        scores.append((payload[0]["score"], payload[0]["statistics"]))
    assert scores[0] == scores[1] == scores[2]


def test_real_process_never_prints_a_traceback(bad_files, tmp_path):
    exe = Path(sys.executable).with_name("targetqa")
    proc = subprocess.run([str(exe), "score", *map(str, bad_files.values()), str(S000), "--isolated"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == len(bad_files)
    for path, line in zip(bad_files.values(), lines):
        assert path.name in line
    assert S000.name in proc.stdout


def test_utf8_cut_inside_the_last_character_is_read(tmp_path):
    data = seed_path("004").read_bytes()
    cut = tmp_path / "cut.txt"
    cut.write_bytes(data + "指".encode()[:2])  # a download that stopped mid-character
    doc = load(cut)
    assert [len(t.rows) for t in doc.tables] == [len(t.rows) for t in seed("004").tables]
