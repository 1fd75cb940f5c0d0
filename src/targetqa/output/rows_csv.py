"""Write extracted rows as data (`targetqa extract --csv/--json`)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from targetqa import rx
from targetqa.model import Document
from targetqa.taxonomy import canonical_level1, canonical_level2

EXTRACT_COLUMNS = [
    "file", "department", "year", "kind", "table_no", "project", "project_code", "row_no",
    "level1", "level2", "level3", "description", "operator", "value", "unit", "basis",
    "expected", "actual", "line", "page", "table_title", "table_kind", "value_text",
    "level1_std", "level2_std", "table_confidence",
]


def row_records(docs: list[Document]) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for doc in docs:
        for table in doc.tables:
            for row in table.rows:
                records.append({
                    "file": doc.name, "department": doc.department, "year": doc.year or "", "kind": doc.kind,
                    "table_no": table.table_no, "project": table.project, "project_code": table.project_code,
                    "row_no": row.row_no, **row.cells(), "line": row.line, "page": row.page or "",
                    "table_title": table.title, "table_kind": table.kind, "value_text": row.value_text,
                    # the labels as printed stay in level1/level2; what they stand for in the taxonomy here
                    "level1_std": canonical_level1(row.level1) or "", "level2_std": canonical_level2(row.level2) or "",
                    "table_confidence": table.confidence,
                })
    return records


# Excel and WPS run a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SURROGATE = rx.compile("[\ud800-\udfff]")
# the tool's own operator cells and targets: '=', '= 100 %', '=72890元'
_OPERATOR_TARGET = rx.compile(r"=\s*(?:\d[\d,.]*\s*[^\s=+\-@]{0,8})?")
_PLAIN_NUMBER = rx.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows and never runs.

    Text starting with = + - @ tab or CR gets a leading apostrophe, Excel's mark for "this is
    text"; a plain number such as -3.5 or +12% stays a number. The tool's own operator cells
    (`=`, `= 100 %`) take the full-width `＝` instead: it reads the same, is never a formula, and
    a program reading the CSV folds it back with NFKC.
    """
    if isinstance(value, float) and not math.isfinite(value):
        return ""  # as null in JSON: "-inf" would be a formula
    if isinstance(value, str) and _OPERATOR_TARGET.fullmatch(value):
        return "＝" + value[1:]  # '=' / '=100 %': the full-width sign reads the same and runs nothing
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def write_csv(path: Path, columns: list[str], records: list[dict[str, object]]) -> None:
    """UTF-8 with BOM: Excel and WPS open it as Chinese text directly; no cell is a formula."""
    with path.open("w", encoding="utf-8-sig", errors="replace", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: ("" if rec.get(k) is None else spreadsheet_safe(rec.get(k))) for k in columns})


def json_safe(payload: object) -> object:
    """The payload with every float that JSON cannot hold (inf, nan: a 400-digit figure) as null,
    and lone surrogates (a file name that is not UTF-8) as U+FFFD."""
    if isinstance(payload, str):
        return _SURROGATE.sub("\ufffd", payload)
    if isinstance(payload, float):
        return payload if math.isfinite(payload) else None
    if isinstance(payload, dict):
        return {k: json_safe(v) for k, v in payload.items()}
    if isinstance(payload, (list, tuple)):
        return [json_safe(v) for v in payload]
    return payload


def dumps(payload: object) -> str:
    """Always valid JSON (no Infinity or NaN), Chinese kept as it is."""
    return json.dumps(json_safe(payload), ensure_ascii=False, indent=1, default=str, allow_nan=False)


def write_json(path: Path, payload: object) -> None:
    path.write_text(dumps(payload), encoding="utf-8", errors="replace")
