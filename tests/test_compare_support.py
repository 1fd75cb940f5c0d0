"""Helpers shared by the comparison tests (no tests here): run the corpus-scope rules on real reports."""

from __future__ import annotations

from targetqa.catalog import all_rules
from targetqa.compare import compare_documents
from targetqa.model import Document, Finding


def corpus_codes(prefix: str = "") -> set[str]:
    return {r.code for r in all_rules() if r.scope == "corpus" and r.code.startswith(prefix)}


def compare(docs: list[Document], prefix: str = "", use_corpus: bool = True) -> dict[int, list[Finding]]:
    return compare_documents(docs, corpus_codes(prefix), use_corpus=use_corpus)


def findings(doc: Document, prefix: str = "", use_corpus: bool = True, others: list[Document] | None = None) -> list[Finding]:
    out = compare([doc, *(others or [])], prefix, use_corpus)
    return out.get(id(doc), [])


def keyset(fs: list[Finding]) -> set[tuple]:
    return {(f.code, f.table_no, f.row_no) for f in fs}
