"""Comparison across tables and documents: copies (DUP), boilerplate (BOIL), repeated text (REP),
and the level2 classifier (CAT101).

`compare_documents` is the single entry point the pipeline calls. The rules live in `rules.py`
(registered in the common catalog with scope "corpus"); what they share is computed once per
run in `analysis.py`. Reference statistics ship in targetqa/data/models/ (`targetqa build-model`).
"""

from __future__ import annotations

from collections import defaultdict

from typing import TYPE_CHECKING

from targetqa.model import Document, Finding, ModelError

if TYPE_CHECKING:
    from targetqa.checks.registry import Rule


def corpus_rules() -> list[Rule]:
    """The rules of this package (scope "corpus"), in catalog order."""
    from targetqa.checks.registry import RULES, catalog_order
    from targetqa.compare import rules as _rules  # noqa: F401 - importing registers them

    return catalog_order(r for r in RULES.values() if r.scope == "corpus")


def compare_documents(docs: list[Document], codes: set[str], use_corpus: bool = True) -> dict[int, list[Finding]]:
    """Findings keyed by id(document). Rules not in `codes` are not run."""
    return compare_some(docs, codes, use_corpus)[0]


def compare_some(
    docs: list[Document],
    codes: set[str],
    use_corpus: bool = True,
    targets: set[int] | None = None,
    summaries: dict[int, dict] | None = None,
    known_pairs: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
) -> tuple[dict[int, list[Finding]], dict[int, list[tuple[int, int, int]]]]:
    """`compare_documents` for the documents whose id is in `targets` (None: all), the others
    being compared with but not judged. `summaries` (id(doc) -> `perdoc.comparison_summary`)
    stand for reading every document's sentences; `known_pairs` are the cross-report copies
    found earlier for documents that are not targets, as ((id(doc), table seq), (id(doc), table
    seq)). Returns the findings and, per target, its cross-report copies of another given
    report's table: id(doc) -> [(table seq, id(other doc), its table seq)]."""
    rules = [r for r in corpus_rules() if r.code in codes]
    docs = [d for d in docs if d.text_ok]
    if not rules or not docs:
        return {}, {}
    from targetqa.compare.analysis import Analysis
    from targetqa.compare.context import Context

    kept = [summaries[id(d)] for d in docs] if summaries is not None and all(id(d) in summaries for d in docs) else None
    ctx = Context.build(docs, use_corpus=use_corpus, summaries=kept)
    sig_at: dict[tuple[int, int], object] = {}
    seq_of: dict[int, int] = {}
    for doc, sigs in zip(docs, ctx.doc_sigs):
        where = {id(t): k for k, t in enumerate(doc.tables)}
        for sig in sigs:
            sig_at[(id(doc), where[id(sig.table)])] = sig
            seq_of[id(sig)] = where[id(sig.table)]
    pairs = [(sig_at[a], sig_at[b]) for a, b in (known_pairs or []) if a in sig_at and b in sig_at]
    wanted = None if targets is None else {n for n, d in enumerate(docs) if id(d) in targets}
    analysis = Analysis(ctx, wanted, pairs)  # type: ignore[arg-type]
    out = run_corpus_rules(analysis, rules)
    copies: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    if any(r.code == "DUP003" for r in rules) or any(r.code == "DUP004" for r in rules):
        for p in analysis.cross_report:
            if p.b.origin == "doc":
                copies[id(p.a.doc)].append((seq_of[id(p.a)], id(p.b.doc), seq_of[id(p.b)]))
    return dict(out), dict(copies)


def run_corpus_rules(analysis, rules: list) -> dict[int, list[Finding]]:  # noqa: ANN001
    """Findings of these corpus-scope rules over an `Analysis`, keyed by id(document)."""
    from targetqa.checks.registry import make_finding

    out: dict[int, list[Finding]] = defaultdict(list)
    for rule_ in rules:
        try:
            for doc, hit in rule_.check(analysis):
                out[id(doc)].append(make_finding(rule_, hit, doc, hit.table, hit.row))
        except ModelError:
            raise  # without the reference statistics every result would silently change
        except Exception as exc:  # noqa: BLE001 - one failing comparison must not stop the scoring
            from targetqa.guard import reason
            from targetqa.terminal import err

            err(f"比较规则 {rule_.code} 出错，已跳过（{reason(exc)}）")
    return dict(out)
