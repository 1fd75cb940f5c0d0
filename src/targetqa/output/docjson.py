"""Documents as JSON: the tables with their heads and rows, for researchers and other tools."""

from __future__ import annotations

from dataclasses import asdict

from targetqa.model import Document


def document_payload(doc: Document) -> dict[str, object]:
    return {
        "file": doc.path,
        "format": doc.fmt,
        "department": doc.department,
        "region": doc.region,
        "year": doc.year,
        "kind": doc.kind,
        "notes": doc.notes,
        "unread_tables": [{"line": line, "title": title, "reason": why} for line, title, why in doc.unread],
        "statements": [asdict(s) for s in doc.statements],
        "tables": [
            {k: v for k, v in asdict(t).items() if k != "rows"} | {"rows": [asdict(r) for r in t.rows]}
            for t in doc.tables
        ],
    }


def documents_payload(docs: list[Document]) -> list[dict[str, object]]:
    return [document_payload(d) for d in docs]
