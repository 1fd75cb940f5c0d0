"""Findings as records: the flagged-row CSV a reviewer opens in Excel/WPS, and JSON."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from targetqa.model import Finding
from targetqa.pipeline import ReportResult

FINDING_COLUMNS = [
    "file", "department", "year", "table_no", "project", "row_no", "line", "level1", "level2", "level3",
    "description", "operator", "value", "unit", "basis", "code", "family", "severity", "message", "evidence",
    "name", "page", "report_score",
]
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def finding_record(f: Finding, result: ReportResult) -> dict[str, object]:
    row = f.row
    cells = row.cells() if row is not None else {}
    return {
        "file": Path(f.file).name,
        "department": f.department,
        "year": f.year or "",
        "table_no": "" if f.table_no is None else f.table_no,
        "project": f.project,
        "row_no": "" if f.row_no is None else f.row_no,
        "line": f.line or "",
        **{k: cells.get(k, "") for k in ("level1", "level2", "level3", "description", "operator", "value", "unit", "basis")},
        "code": f.code,
        "family": f.family,
        "severity": f.severity,
        "message": f.message,
        "evidence": f.evidence,
        "name": f.name,
        "page": f.page or "",
        "report_score": result.score.shown if result.score else "",
    }


def finding_records(results: list[ReportResult]) -> list[dict[str, object]]:
    return [finding_record(f, r) for r in results for f in r.findings]


def report_payload(result: ReportResult) -> dict[str, object]:
    doc, sc = result.doc, result.score
    assert sc is not None
    return {
        "file": doc.path,
        "department": doc.department,
        "region": doc.region,
        "year": doc.year,
        "kind": doc.kind,
        "score": sc.score,
        "score_reason": sc.reason,
        "coverage": {"tables": len(doc.tables), "tables_with_rows": sc.tables, "rows": sc.rows,
                     "unparsed_lines": sum(len(t.unparsed) for t in doc.tables)},
        "points_lost_by_family": sc.families,
        "tables": [vars(t) for t in sc.table_scores],
        "statistics": dict(Counter(f.code for f in result.findings)),
        "findings": [{k: v for k, v in finding_record(f, result).items() if k != "report_score"} for f in result.findings],
    }
