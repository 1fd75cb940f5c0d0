"""Comparison across tables and documents: copies (DUP), boilerplate (BOIL), repeated text (REP),
and the level2 classifier (CAT101).

`compare_documents` is the single entry point the pipeline calls. The rules live in `rules.py`
(registered in the common catalog with scope "corpus"); what they share is computed once per
run in `analysis.py`. Reference statistics come from models/ (`targetqa build-model`).
"""

from __future__ import annotations

import sys
from collections import defaultdict

from targetqa.model import Document, Finding


def compare_documents(docs: list[Document], codes: set[str], use_corpus: bool = True) -> dict[int, list[Finding]]:
    """Findings keyed by id(document). Rules not in `codes` are not run."""
    from targetqa.checks.registry import all_rules, make_finding

    rules = [r for r in all_rules() if r.scope == "corpus" and r.code in codes]
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
        except Exception as exc:  # noqa: BLE001 - one failing comparison must not stop the scoring
            from targetqa.guard import reason
            from targetqa.output.terminal import printable

            print(printable(f"targetqa: 比较规则 {rule_.code} 出错，已跳过（{reason(exc)}）"), file=sys.stderr)
    return dict(out)
