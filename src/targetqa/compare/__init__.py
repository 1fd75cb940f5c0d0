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
    from targetqa.checks.registry import make_finding

    rules = [r for r in corpus_rules() if r.code in codes]
    docs = [d for d in docs if d.text_ok]
    if not rules or not docs:
        return {}
    from targetqa.compare.analysis import Analysis
    from targetqa.compare.context import Context

    analysis = Analysis(Context.build(docs, use_corpus=use_corpus))
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
