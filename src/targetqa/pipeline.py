"""The whole job, top to bottom: read → extract → check → compare → score.

`audit` is what `targetqa score` and `targetqa leaderboard` call; everything it returns is
plain data for the writers in `output`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from targetqa.checks import Rule
from targetqa.model import Document, Finding
from targetqa.score import ReportScore, score_report

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class ReportResult:
    doc: Document
    findings: list[Finding] = field(default_factory=list)
    score: ReportScore | None = None


def _sort_key(f: Finding) -> tuple:
    return (
        -1 if f.table_no is None else 0,
        f.table_no if f.table_no is not None else -1,
        f.row_no if f.row_no is not None else -1,
        f.line or 0,
        _SEVERITY_ORDER[f.severity],
        f.code,
    )


def audit(docs: list[Document], rules: list[Rule], use_corpus: bool = True,
          known: dict[int, list[Finding]] | None = None) -> list[ReportResult]:
    """Check every document, compare them with each other and with the shipped corpus model.

    `known` maps id(document) to the findings that read that document alone, for every rule
    (`compare.perdoc.document_findings`), when they were computed before (by the worker that
    parsed it, or by an earlier run); they are filtered by `rules` here."""
    from targetqa.compare.perdoc import SINGLE_DOCUMENT_CODES, document_findings

    codes = {r.code for r in rules}
    known = known or {}
    results = []
    for doc in docs:
        own = known.get(id(doc))
        own = document_findings(doc, codes) if own is None else [f for f in own if f.code in codes]
        results.append(ReportResult(doc, own))
    from targetqa.compare import compare_documents  # lazy: vectorizers are only needed here

    extra = compare_documents(docs, codes - SINGLE_DOCUMENT_CODES, use_corpus=use_corpus)
    return [assemble(r.doc, r.findings, extra.get(id(r.doc), [])) for r in results]


def assemble(doc: Document, own: list[Finding], cross: list[Finding]) -> ReportResult:
    """A report's result from what was found in it alone and in comparison with others: the
    findings in document order, and the score."""
    findings = sorted([*own, *cross], key=_sort_key)
    return ReportResult(doc, findings, score_report(doc, findings))
