"""The leaderboard's work kept per document, and a run after a change equal to a cold run.

Per document (in the worker that parses it) the store keeps the findings of every rule that
reads the document alone; a later run must give exactly what a run from an empty store gives
on the same final set of files: the same findings (message and evidence included), scores and
ranking.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from targetqa.checks import select_rules
from targetqa.commands.leaderboard import run_leaderboard
from targetqa.compare.perdoc import document_findings
from targetqa.store import Store
from targetqa.store.fingerprint import analysis_fingerprint

ROOT = Path(__file__).resolve().parent.parent
TXT = sorted((ROOT / "corpora").glob("*.txt"))


def _folder(tmp_path: Path, name: str = "reports") -> Path:
    out = tmp_path / name
    out.mkdir()
    for p in TXT:
        shutil.copy(p, out / p.name)
    return out


def _finding_key(f) -> tuple:  # noqa: ANN001
    return (f.code, f.severity, f.table_no, f.row_no, f.line, f.page, f.message, f.evidence, f.project,
            f.row.cells() if f.row is not None else None)


def snapshot(run) -> tuple:  # noqa: ANN001
    """Everything a user sees of a run: per file its score and findings, and the ranking."""
    results = sorted(
        (Path(r.doc.path).name, r.score.score, r.score.families, [_finding_key(f) for f in r.findings])
        for r in run.results
    )
    lines = [(line.rank, line.department, line.year, line.kind, line.score, line.prev_score, line.files)
             for line in run.board.lines]
    return results, lines


def test_single_document_findings_are_kept_with_the_document(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(_folder(tmp_path))], db, jobs=2)
    with Store(db) as store:
        docs = store.load_documents()
        kept = store.load_doc_findings(docs, analysis_fingerprint())
        assert set(kept) == set(docs)
        for rid, doc in docs.items():
            assert [_finding_key(f) for f in kept[rid]] == [_finding_key(f) for f in document_findings(doc)]
        assert store.load_doc_findings(docs, "another version of the code") == {}


def test_selection_applies_to_kept_findings(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(folder)], db, jobs=2)
    only = select_rules(["UNIT", "CAT101"], None)
    again = run_leaderboard([str(folder)], db, only, jobs=2)
    cold = run_leaderboard([str(folder)], ":memory:", only, jobs=2)
    assert {f.code[:3] for r in again.results for f in r.findings} <= {"UNI", "CAT"}
    assert snapshot(again) == snapshot(cold)


def _replace_table_rows(target: Path, source: Path) -> None:
    """Paste the indicator lines of a table of `source` over the lines of a table of `target`
    (same number of lines): the way a department copies another report's table."""
    from targetqa.ingest import load

    src_doc, dst_doc = load(source), load(target)
    src_lines = source.read_text(encoding="utf-8").splitlines()
    lines = target.read_text(encoding="utf-8").splitlines()
    src_table = max(src_doc.tables, key=lambda t: len(t.rows))
    dst_table = next(t for t in dst_doc.tables if len(t.rows) >= len(src_table.rows))
    for a, b in zip(dst_table.rows, src_table.rows):
        lines[a.line - 1] = src_lines[b.line - 1]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_run_after_changes_equals_a_cold_run(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "copy_002.txt").write_bytes((folder / TXT[2].name).read_bytes().replace(b"\n", b"\n\n", 3))
    db = tmp_path / "s.sqlite3"
    first = run_leaderboard([str(folder)], db, jobs=2)
    assert first.recompared == len(first.results) == 6

    def step() -> None:
        again = run_leaderboard([str(folder)], db, jobs=2)
        cold = run_leaderboard([str(folder)], ":memory:", jobs=2)
        assert again.audited and again.recompared <= len(again.results)
        assert snapshot(again) == snapshot(cold)

    # one file edited: a table of another report pasted in (a copy across reports appears)
    _replace_table_rows(folder / TXT[3].name, folder / TXT[1].name)
    step()
    # one file edited back, one removed, one added
    shutil.copy(TXT[3], folder / TXT[3].name)
    step()
    (folder / "copy_002.txt").unlink()
    step()
    shutil.copy(TXT[0], folder / "again_000.txt")
    step()
    # nothing changed: the stored results as they are
    same = run_leaderboard([str(folder)], db, jobs=2)
    assert not same.audited and snapshot(same) == snapshot(run_leaderboard([str(folder)], ":memory:", jobs=2))
