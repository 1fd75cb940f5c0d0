"""Findings that read one document alone: every row, table and document rule, and the comparison
rules whose verdict on a report depends on nothing but that report and the shipped models
(CAT101's classifier, DUP005's wording of another kind of project, REP001's repeats inside the
text, REP003's stale year).

`targetqa leaderboard` computes them in the worker process that parses the file, for every rule
(the selection is applied when the results are put together), and keeps them in the store with
the document, so that a later run does this work only for new or changed files.
"""

from __future__ import annotations

from targetqa.model import Document, Finding

# Corpus-scope rules whose findings on a report depend only on that report (and models/).
SINGLE_DOCUMENT_CODES = frozenset({"CAT101", "DUP005", "REP001", "REP003"})


def document_findings(doc: Document, codes: set[str] | None = None) -> list[Finding]:
    """The findings of the rules in `codes` (default: all) that read this document alone, in
    the order `pipeline.audit` has always produced them: row/table/document rules first, then
    the single-document comparison rules in catalog order."""
    from targetqa.checks.registry import all_rules, run_rules

    rules = [r for r in all_rules() if codes is None or r.code in codes]
    out = list(run_rules(doc, [r for r in rules if r.scope != "corpus"]))
    single = {r.code for r in rules if r.scope == "corpus" and r.code in SINGLE_DOCUMENT_CODES}
    if single:
        from targetqa.compare import compare_documents

        out.extend(compare_documents([doc], single).get(id(doc), []))
    return out
