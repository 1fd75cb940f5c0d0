"""Every indicator row of the five seeds against a hand-made reference (tests/reference/*.csv).

The reference was built by reading the source text, not from the tool's output: one line per
indicator row, in document order, with the cells as written (see the conventions in the CSVs'
commit message / task brief). A failure lists each differing field with its table and row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import seed

REFERENCE = Path(__file__).resolve().parent / "reference"
FIELDS = (
    "level1", "level2", "level3", "description", "operator", "value", "unit",
    "basis", "expected", "actual", "line",
)
PREFIXES = ("000", "001", "002", "003", "004")


def _reference(prefix: str) -> dict[tuple[int, int], dict[str, str]]:
    with open(REFERENCE / f"{prefix}.csv", encoding="utf-8", newline="") as f:
        return {(int(r["table_no"]), int(r["row_no"])): r for r in csv.DictReader(f)}


def _extracted(prefix: str) -> dict[tuple[int, int], dict[str, str]]:
    out: dict[tuple[int, int], dict[str, str]] = {}
    for table in seed(prefix).tables:
        for row in table.rows:
            cells = {k: str(v) for k, v in row.cells().items()}
            cells["line"] = str(row.line)
            out[(table.table_no, row.row_no)] = cells
    return out


@pytest.mark.parametrize("prefix", PREFIXES)
def test_rows_match_reference(prefix):
    want = _reference(prefix)
    got = _extracted(prefix)
    problems: list[str] = []
    for key in sorted(want.keys() - got.keys()):
        problems.append(f"table {key[0]} row {key[1]}: missing (reference line {want[key]['line']})")
    for key in sorted(got.keys() - want.keys()):
        problems.append(f"table {key[0]} row {key[1]}: extra row {got[key]['level3']!r} (line {got[key]['line']})")
    for key in sorted(want.keys() & got.keys()):
        for field in FIELDS:
            if want[key][field] != got[key][field]:
                problems.append(
                    f"table {key[0]} row {key[1]} {field}: expected {want[key][field]!r}, got {got[key][field]!r}"
                )
    assert not problems, f"{prefix}: {len(problems)} differences\n" + "\n".join(problems)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_reference_is_in_document_order(prefix):
    rows = list(_reference(prefix).values())
    assert [int(r["line"]) for r in rows] == sorted(int(r["line"]) for r in rows)
