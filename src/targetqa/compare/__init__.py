"""Comparison across tables and documents: copies (DUP), boilerplate (BOIL), repeated text (REP).

`compare_documents` is the single entry point the pipeline calls.
"""

from __future__ import annotations

from targetqa.model import Document, Finding


def compare_documents(docs: list[Document], codes: set[str], use_corpus: bool = True) -> dict[int, list[Finding]]:
    """Findings keyed by id(document). Rules not in `codes` are not run."""
    return {}
