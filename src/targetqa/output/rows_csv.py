"""Write extracted rows as data (`targetqa extract --csv/--json`)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

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


def write_csv(path: Path, columns: list[str], records: list[dict[str, object]]) -> None:
    """UTF-8 with BOM and CRLF-free quoting: Excel and WPS open it as Chinese text directly."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: ("" if rec.get(k) is None else rec.get(k)) for k in columns})


def write_json(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
