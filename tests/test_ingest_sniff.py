"""Formats are chosen by content; old binary Office files and RTF get a clear message, not garbage rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import seed_path
from targetqa.ingest import load, sniff
from targetqa.model import InputError

EXE = str(Path(sys.executable).parent / "targetqa")


def test_sniff_by_content_not_extension():
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "ole"
    assert sniff(b"{\\rtf1\\ansi hello}") == "rtf"
    assert sniff("一级指标".encode()) == "txt"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "旧版 Office"), (b"{\\rtf1\\ansi hello}", "RTF")],
)
def test_old_binary_formats_are_refused_with_a_reason(tmp_path, payload, reason):
    path = tmp_path / "report.txt"  # a misleading extension must not matter
    path.write_bytes(payload)
    with pytest.raises(InputError, match=reason):
        load(path)


def test_cli_goes_on_after_an_unreadable_file(tmp_path):
    bad = tmp_path / "old.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    out = tmp_path / "rows.csv"
    proc = subprocess.run([EXE, "extract", str(bad), str(seed_path("003")), "--csv", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "old.doc" in proc.stderr and "Traceback" not in proc.stderr
    assert "全县基层党建工作经费" in out.read_text(encoding="utf-8-sig")
