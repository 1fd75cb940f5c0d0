"""The whole job, top to bottom: read → extract → check → compare → score.

`audit` is what `targetqa score` and `targetqa leaderboard` call; everything it returns is
plain data for the writers in `output`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from targetqa.checks.registry import Rule, run_rules
from targetqa.guard import reason
from targetqa.model import Document, Finding, ModelError
from targetqa.score import ReportScore, score_report
from targetqa.terminal import err

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class ReportResult:
    doc: Document
    findings: list[Finding] = field(default_factory=list)
    score: ReportScore | None = None
    error: str = ""  # an unexpected error while checking this document (Chinese, one line)


def _sort_key(f: Finding) -> tuple:
    return (
        -1 if f.table_no is None else 0,
        f.table_no if f.table_no is not None else -1,
        f.row_no if f.row_no is not None else -1,
        f.line or 0,
        _SEVERITY_ORDER[f.severity],
        f.code,
    )


def _failed(result: ReportResult, exc: Exception) -> None:
    """A document whose checks crashed gets no score and says why; the others go on."""
    result.error = "检查时" + reason(exc)
    doc = result.doc
    result.score = ReportScore(None, sum(len(t.rows) for t in doc.tables), len(doc.tables), reason=result.error)


def audit(docs: list[Document], rules: list[Rule], use_corpus: bool = True) -> list[ReportResult]:
    """Check every document, compare them with each other and with the shipped corpus model.

    An unexpected error in one document's checks costs that document only (`error`, no score);
    an error in the comparison across documents leaves their copy/boilerplate findings out and
    is reported on stderr, except ModelError (reference statistics missing or stale), which the
    command reports. (`targetqa leaderboard` puts the same results together from findings kept
    per document and an incremental comparison, with `assemble`.)
    """
    return compare_and_score(check_each(docs, rules), {r.code for r in rules}, use_corpus)


def check_each(docs: list[Document], rules: list[Rule]) -> list[ReportResult]:
    """Each document's own findings (the rules that read one document); no scores yet. Plain
    data: `targetqa score` runs this in the process that read the documents."""
    results = []
    for doc in docs:
        result = ReportResult(doc)
        try:
            result.findings = list(run_rules(doc, rules))
        except Exception as exc:  # noqa: BLE001 - one document's crash must not stop the others
            _failed(result, exc)
        results.append(result)
    return results


def compare_and_score(results: list[ReportResult], codes: set[str], use_corpus: bool = True) -> list[ReportResult]:
    """The documents of `check_each` compared with each other and the corpus (the rules with
    these codes), then scored."""
    from targetqa.compare import compare_documents  # lazy: vectorizers are only needed here

    try:
        extra = compare_documents([r.doc for r in results if not r.error], codes, use_corpus=use_corpus)
    except ModelError:
        raise  # missing or stale reference statistics: the command says so and exits 2
    except Exception as exc:  # noqa: BLE001
        err(f"报告之间的比较出错，已跳过（{reason(exc)}）")
        extra = {}
    return [r if r.error else assemble(r.doc, r.findings, extra.get(id(r.doc), [])) for r in results]


def _once(findings: list[Finding]) -> list[Finding]:
    """Each finding once: a line that holds two tables' rows (a 中期 and a 年度 value group side
    by side) gives the same finding for both, which says nothing the first does not."""
    seen: set[tuple] = set()
    out = []
    for f in findings:
        key = (f.code, f.line, f.page, f.message)
        if f.line is not None and key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def assemble(doc: Document, own: list[Finding], cross: list[Finding], score: ReportScore | None = None) -> ReportResult:
    """A report's result from what was found in it alone and in comparison with others: the
    findings in document order, and the score (or, if scoring crashed, the error). `score` is
    the one already computed from these very findings (kept in the leaderboard's store)."""
    result = ReportResult(doc, _once(sorted([*own, *cross], key=_sort_key)), score)
    if score is not None:
        return result
    try:
        result.score = score_report(doc, result.findings)
    except Exception as exc:  # noqa: BLE001
        _failed(result, exc)
    return result
