"""Findings that read one document alone: every row, table and document rule, and the comparison
rules whose verdict on a report depends on nothing but that report and the shipped models
(CAT101's classifier, DUP005's wording of another kind of project, REP001's repeats inside the
text, REP003's stale year).

`targetqa leaderboard` computes them in the worker process that parses the file, for every rule
(the selection is applied when the results are put together), and keeps them in the store with
the document, so that a later run does this work only for new or changed files.
"""

from __future__ import annotations

import json

from targetqa.model import Document, Finding

# Corpus-scope rules whose findings on a report depend only on that report (and models/).
SINGLE_DOCUMENT_CODES = frozenset({"CAT101", "DUP005", "REP001", "REP003"})


def document_findings(doc: Document, codes: set[str] | None = None) -> list[Finding]:
    """The findings of the rules in `codes` (default: all) that read this document alone, in
    the order `pipeline.audit` has always produced them: row/table/document rules first, then
    the single-document comparison rules in catalog order."""
    return _single(doc, codes)[0]


def findings_and_summary(doc: Document) -> tuple[list[Finding], dict]:
    """`document_findings` for every rule and `comparison_summary`, sharing the work both do
    (the document's sentences and table signatures): what a parsing worker computes."""
    return _single(doc, None, summary=True)  # type: ignore[return-value]


def _single(doc: Document, codes: set[str] | None, summary: bool = False) -> tuple[list[Finding], dict | None]:
    from targetqa.checks import catalog_order, check_rules
    from targetqa.checks.registry import run_rules
    from targetqa.compare import corpus_rules

    rules = [r for r in catalog_order(check_rules() + corpus_rules()) if codes is None or r.code in codes]
    out = list(run_rules(doc, [r for r in rules if r.scope != "corpus"]))
    single = [r for r in rules if r.scope == "corpus" and r.code in SINGLE_DOCUMENT_CODES]
    analysis = None
    if doc.text_ok and (single or summary):
        from targetqa.compare import run_corpus_rules
        from targetqa.compare.analysis import Analysis
        from targetqa.compare.context import Context

        analysis = Analysis(Context.build([doc]))
        if single:
            out.extend(run_corpus_rules(analysis, single).get(id(doc), []))
    return out, _summary(doc, analysis) if summary else None


def comparison_summary(doc: Document) -> dict:
    """What the comparison of many reports needs to know of this one without reading it again:
    its department and year, its distinct row keys, each table's rows as the comparison reads them
    (`context.RowSig`: key, template, text, level2), the name templates, row templates and words
    the boilerplate statistics count, the hashes of its sentences (for text carried over) and
    the reference documents that are this report. Plain JSON; computed once per document."""
    return _single(doc, set(), summary=True)[1]  # type: ignore[return-value]


def _summary(doc: Document, analysis) -> dict:  # noqa: ANN001
    import hashlib

    from targetqa.compare.analysis import sentence_entries
    from targetqa.compare.context import habit, table_stats
    from targetqa.compare.reference import department_key, load_reference

    sigs = analysis.ctx.doc_sigs[0] if analysis is not None else []
    entries = sentence_entries(doc, analysis.sentences_of(0), analysis.sentence_keys_of(0)) if analysis is not None else []
    ref = load_reference()
    # everything of the tables that other reports' comparison findings can show or depend on
    tables = [[s.table_no, s.title, s.project, s.code, s.purpose, s.goals,
               [[r.key, r.template, r.text, r.level2, r.row_no, *r.row.cells().values()] for r in s.rows]] for s in sigs]
    return {
        "dept": department_key(doc),
        "year": doc.year,
        "name": doc.name,
        "tables": bool(sigs),
        "habit": habit(sigs),
        "tables_digest": hashlib.sha256(json.dumps(tables, ensure_ascii=False).encode("utf-8")).hexdigest(),
        "keys": sorted({r.key for s in sigs for r in s.rows}),
        "rows": [[[r.key, r.template, r.text, r.level2] for r in s.rows] for s in sigs],
        **table_stats(sigs),
        "sents": [[h, line, int(duty)] for h, line, duty in entries],
        "own_ref": sorted(ref.own_docs(doc)) if ref is not None else [],
    }
