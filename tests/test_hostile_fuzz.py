"""Property tests of the readers and writers on arbitrary input, bounded to a few seconds.

Readers: any bytes give a Document or a Chinese InputError, never another exception.
Writers: any text a document can hold is written (CSV, JSON, XLSX, terminal) without an error,
no CSV cell starts a formula, the JSON is valid and the terminal never receives markup or control
characters. Examples are derandomised so that CI runs the same cases every time.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from targetqa.ingest import load  # noqa: E402
from targetqa.ingest.decode import decode_bytes  # noqa: E402
from targetqa.model import InputError  # noqa: E402

BOUNDED = settings(max_examples=int(__import__("os").environ.get("TARGETQA_FUZZ_EXAMPLES", "150")), deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces of real reports and of hostile ones, so that generated files reach the table reader.
PIECES = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "效益指标", "满意度指标", "绩效目标表",
          "≥", "≤", "=", "90", "%", "万元", "-3.5", "9" * 400, "\t", "\n", "\r\n", " ", "|", ",", "[/bold]", "[/]",
          "[link=x]", "\x1b[2J", "\x07", "\ufffe", "\uffff", "\x00", "=HYPERLINK(\"x\")", "+cmd", "@SUM(1)", "　", "１２"]
document_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=120).map("".join)


@BOUNDED
@given(st.binary(max_size=2000))
def test_decoding_any_bytes_gives_text_or_a_chinese_reason(data):
    try:
        text, encoding = decode_bytes(data)
    except InputError as exc:
        assert re.search(r"[\u4e00-\u9fff]", str(exc))
    else:
        assert isinstance(text, str) and encoding


@BOUNDED
@given(document_text, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "gb18030"]), st.booleans())
def test_reading_any_text_report_never_crashes(tmp_path, text, encoding, cut):
    data = text.encode(encoding, errors="ignore")
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data[:-1] if cut and data else data)
    try:
        doc = load(path)
    except InputError:
        return
    assert doc.lines is not None


@BOUNDED
@given(st.lists(st.one_of(document_text, st.integers(), st.floats(allow_nan=True, allow_infinity=True)), max_size=6))
def test_csv_and_json_writers_accept_any_value(tmp_path, values):
    from targetqa.output.rows_csv import _PLAIN_NUMBER, dumps, write_csv

    columns = [f"c{k}" for k in range(len(values))]
    path = tmp_path / "fuzz.csv"
    write_csv(path, columns, [dict(zip(columns, values))])
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or _PLAIN_NUMBER.fullmatch(cell), cell
    json.loads(dumps({"values": values}), parse_constant=lambda name: pytest.fail(f"not JSON: {name}"))


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(document_text, min_size=1, max_size=4))
def test_xlsx_writer_accepts_any_text(tmp_path, texts):
    from openpyxl import Workbook, load_workbook

    from targetqa.output.xlsx import _sheet

    wb = Workbook(write_only=True)
    _sheet(wb, "问题行", [f"列{k}" for k in range(len(texts))], [texts], {})
    path = tmp_path / "fuzz.xlsx"
    wb.save(path)
    load_workbook(path, read_only=True).close()


@BOUNDED
@given(document_text)
def test_terminal_text_is_shown_never_obeyed(text):
    from rich.console import Console

    from targetqa.terminal import markup_safe, printable

    text = text.replace("\t", " ")  # rich expands tabs to the next stop: compared without them
    out = Console(file=io.StringIO(), width=10_000, highlight=False, emoji=False, soft_wrap=True, color_system=None)
    out.print(f"[bold]x[/bold] {markup_safe(text)}")
    shown = out.file.getvalue()
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\x1b]", shown)
    assert "x " + printable(text) in shown
