"""Shared fixtures: the real reports in corpora/, each extracted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from targetqa.ingest import load
from targetqa.model import Document

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"


def seed_path(prefix: str) -> Path:
    return next(CORPORA.glob(f"{prefix}_*.txt"))


_CACHE: dict[str, Document] = {}


def seed(prefix: str) -> Document:
    if prefix not in _CACHE:
        _CACHE[prefix] = load(seed_path(prefix))
    return _CACHE[prefix]


@pytest.fixture(scope="session")
def seeds() -> dict[str, Document]:
    return {p: seed(p) for p in ("000", "001", "002", "003", "004")}


def find_row(doc: Document, table_no: int, level3: str):
    table = next(t for t in doc.tables if t.table_no == table_no)
    return next(r for r in table.rows if r.level3 == level3)
