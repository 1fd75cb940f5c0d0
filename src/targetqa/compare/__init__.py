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
    from targetqa.compare.tables import KeySignatures


def corpus_rules() -> list[Rule]:
    """The rules of this package (scope "corpus"), in catalog order."""
    from targetqa.checks.registry import RULES, catalog_order
    from targetqa.compare import rules as _rules  # noqa: F401 - importing registers them

    return catalog_order(r for r in RULES.values() if r.scope == "corpus")


def prepare(codes: set[str], segmenter: bool = True) -> None:
    """Load what comparing documents will need before they are known: the reference statistics,
    the fitted vectorizer and classifier, the segmenter's dictionary (unless another process
    lends its own: `segment.borrow`) and the comparison's code (~0.13 s). `targetqa score` does
    it while another process reads the reports. ModelError when the statistics are missing or
    stale, as the comparison itself would raise."""
    if not any(r.code in codes for r in corpus_rules()):
        return
    from targetqa.compare import analysis, context  # noqa: F401 - imported for the comparison to come
    from targetqa.compare.reference import load_reference
    from targetqa.text.segment import cut

    models = load_reference()
    _ = models.tfidf
    if "CAT101" in codes:
        _ = models.classifier
    if segmenter:
        cut("")


def compare_documents(docs: list[Document], codes: set[str], use_corpus: bool = True) -> dict[int, list[Finding]]:
    """Findings keyed by id(document). Rules not in `codes` are not run."""
    return Comparison(docs, codes, use_corpus).run()[0]


class Comparison:
    """Documents compared with each other (and the shipped corpus), for some targets at a time.

    The documents not targeted are compared with but not judged. `summaries` (id(doc) ->
    `perdoc.comparison_summary`) stand for reading every document's sentences, and
    `key_signatures` (`tables.KeySignatures`) for hashing the row keys indexed before. Running again
    for more targets keeps what does not depend on them (signatures, row index, boilerplate
    verdicts, sentences).
    """

    def __init__(self, docs: list[Document], codes: set[str], use_corpus: bool = True,
                 summaries: dict[int, dict] | None = None, key_signatures: KeySignatures | None = None) -> None:
        self.rules = [r for r in corpus_rules() if r.code in codes]
        self.docs = [d for d in docs if d.text_ok]
        self.analysis = None
        if not self.rules or not self.docs:
            return
        from targetqa.compare.context import Context

        kept = [summaries[id(d)] for d in self.docs] if summaries is not None and all(id(d) in summaries for d in self.docs) else None
        self.ctx = Context.build(self.docs, use_corpus=use_corpus, summaries=kept, key_signatures=key_signatures)
        self.sig_at: dict[tuple[int, int], object] = {}
        self.seq_of: dict[int, int] = {}
        for doc, sigs in zip(self.docs, self.ctx.doc_sigs):
            where = {id(t): k for k, t in enumerate(doc.tables)}
            for sig in sigs:
                self.sig_at[(id(doc), where[id(sig.table)])] = sig
                self.seq_of[id(sig)] = where[id(sig.table)]

    def run(self, targets: set[int] | None = None, known_pairs: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
            ) -> tuple[dict[int, list[Finding]], dict[int, list[tuple[int, int, int]]]]:
        """Findings keyed by id(document) for the documents whose id is in `targets` (None: all),
        and per target its cross-report copies of another given report's table:
        id(doc) -> [(table seq, id(other doc), its table seq)]. `known_pairs` are the copies found
        earlier for documents that are not targets, as ((id(doc), table seq), (id(doc), table seq))."""
        if not self.rules or not self.docs:
            return {}, {}
        from targetqa.compare.analysis import Analysis

        pairs = [(self.sig_at[a], self.sig_at[b]) for a, b in (known_pairs or []) if a in self.sig_at and b in self.sig_at]
        wanted = None if targets is None else {n for n, d in enumerate(self.docs) if id(d) in targets}
        if self.analysis is None:
            self.analysis = Analysis(self.ctx, wanted, pairs)  # type: ignore[arg-type]
        else:
            self.analysis = self.analysis.retarget(wanted, pairs)  # type: ignore[arg-type]
        analysis = self.analysis
        out = run_corpus_rules(analysis, self.rules)
        copies: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        if any(r.code in ("DUP003", "DUP004") for r in self.rules):
            for p in analysis.cross_report:
                if p.b.origin == "doc":
                    copies[id(p.a.doc)].append((self.seq_of[id(p.a)], id(p.b.doc), self.seq_of[id(p.b)]))
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
