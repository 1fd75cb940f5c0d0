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

from targetqa.catalog import selected_codes
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
    only = selected_codes(["UNIT", "CAT101"], None)
    again = run_leaderboard([str(folder)], db, only, jobs=2)
    cold = run_leaderboard([str(folder)], ":memory:", only, jobs=2)
    assert {f.code[:3] for r in again.results for f in r.findings} <= {"UNI", "CAT"}
    assert snapshot(again) == snapshot(cold)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_run_after_changes_equals_a_cold_run(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    # a second copy of 002 (same department and year): its tables are copies across reports
    (folder / "copy_002.txt").write_bytes((folder / TXT[2].name).read_bytes().replace(b"\n", b"\n\n", 3))
    db = tmp_path / "s.sqlite3"
    first = run_leaderboard([str(folder)], db, jobs=2)
    assert first.recompared == len(first.results) == 6
    assert any(f.code == "DUP003" for r in first.results if r.doc.path.endswith("copy_002.txt") for f in r.findings)
    recompared = []

    def step() -> None:
        again = run_leaderboard([str(folder)], db, jobs=2)
        cold = run_leaderboard([str(folder)], ":memory:", jobs=2)
        assert again.audited and again.recompared <= len(again.results)
        assert snapshot(again) == snapshot(cold)
        recompared.append(again.recompared)

    _edit(folder / TXT[4].name, "≥", "≤")  # a row's target and key change
    step()
    _edit(folder / "copy_002.txt", "\n\n", "\n")  # only line numbers move
    step()
    _edit(folder / "copy_002.txt", "≥", "＞")  # a row of a copied table changes
    step()
    (folder / "copy_002.txt").unlink()
    step()
    shutil.copy(TXT[0], folder / "again_000.txt")
    step()
    assert min(recompared) < len(TXT)  # some changes reach only part of the store
    # nothing changed: the stored results as they are
    same = run_leaderboard([str(folder)], db, jobs=2)
    assert not same.audited and snapshot(same) == snapshot(run_leaderboard([str(folder)], ":memory:", jobs=2))


def test_a_department_that_comes_to_count_reaches_everything() -> None:
    """The boilerplate thresholds count departments whose tables are big enough
    (`Context.table_departments`); a change that moves one across that bar moves them all."""
    from targetqa.compare.context import MIN_ROWS_FOR_HABIT
    from targetqa.compare.incremental import affected

    def summary(dept: str, habit: int) -> dict:
        return {"dept": dept, "year": 2024, "tables": habit > 0, "habit": habit, "keys": [], "names": [],
                "templates": [], "words": [], "sents": [], "own_ref": []}

    previous = {"a": summary("甲", MIN_ROWS_FOR_HABIT - 1), "b": summary("乙", MIN_ROWS_FOR_HABIT)}
    assert affected({**previous, "c": summary("甲", 1)}, previous, {"c"}) is None
    assert affected({**previous, "d": summary("乙", 1)}, previous, {"d"}) == {"d"}
    # with the reference's tables 甲 counted already: nothing moves
    assert affected({**previous, "c": summary("甲", 1)}, previous, {"c"}, ref_habits={"甲": 1}) == {"c"}


def test_row_keys_are_hashed_once_across_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The MinHash signatures of the stored reports' row keys are kept: a run after a change
    hashes the keys that are new, and only those."""
    import numpy as np

    from targetqa.compare.index import MinHashIndex

    folder = _folder(tmp_path)
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(folder)], db, jobs=2)
    hashed: list[str] = []
    real = MinHashIndex.signatures

    def counting(self, texts: list[str]) -> np.ndarray:  # noqa: ANN001
        hashed.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(MinHashIndex, "signatures", counting)
    _edit(folder / TXT[4].name, "≥800 卷", "≥900 卷")  # one row's target changes: its key is new
    again = run_leaderboard([str(folder)], db, jobs=2)
    assert again.recompared >= 1
    assert len(hashed) == 1 and "数字化档案" in hashed[0]
    monkeypatch.setattr(MinHashIndex, "signatures", real)
    assert snapshot(again) == snapshot(run_leaderboard([str(folder)], ":memory:", jobs=2))


def test_kept_signatures_equal_computed_ones() -> None:
    from targetqa.compare.index import MinHashIndex
    from targetqa.compare.tables import NUM_PERM, SEED, KeySignatures
    from targetqa.ingest import load
    from targetqa.text.normalize import mask_numbers, row_key

    keys = sorted({row_key(r) for t in load(TXT[2]).tables for r in t.rows})
    fresh = KeySignatures()
    first = fresh.of(keys)
    assert set(fresh.added) == set(keys)
    kept = KeySignatures(fresh.added)
    assert (kept.of(keys) == first).all() and kept.added == {}
    direct = MinHashIndex(num_perm=NUM_PERM, threshold=0.5, seed=SEED).signatures([mask_numbers(k) for k in keys])
    assert (first == direct).all()


def test_a_summary_gives_the_rows_as_read_from_the_document() -> None:
    """The comparison takes each row's key, template, text and level2 from the document's
    summary instead of normalising its cells again: the same as reading them."""
    from targetqa.compare.context import Context
    from targetqa.compare.perdoc import comparison_summary
    from targetqa.ingest import load

    docs = [load(p) for p in TXT]
    read = Context.build(docs).doc_sigs
    kept = Context.build(docs, summaries=[comparison_summary(d) for d in docs]).doc_sigs
    assert sum(len(s.rows) for sigs in read for s in sigs) > 400

    def cells(sigs):  # noqa: ANN001, ANN202
        return [[(s.table_no, [(r.key, r.template, r.text, r.level2, r.row_no, r.row is not None) for r in s.rows])
                 for s in doc] for doc in sigs]

    assert cells(kept) == cells(read)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork: the file is parsed in this process")
def test_after_one_changed_file_the_parsing_process_lends_its_segmenter(tmp_path: Path) -> None:
    """The command's process does not build the segmenter's dictionary: the process that parsed
    the file answers its few segmentations, and the results are a cold run's."""
    import subprocess
    import sys

    folder = _folder(tmp_path)
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(folder)], db, jobs=2)
    _edit(folder / TXT[4].name, "≥800 卷", "≥900 卷")
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_leaderboard_incremental import snapshot\n"
        "from targetqa.commands.leaderboard import run_leaderboard\n"
        "from targetqa.text import segment\n"
        "run = run_leaderboard([sys.argv[1]], sys.argv[2], jobs=2)\n"
        "print(run.recompared, 'rjieba' in sys.modules, 'jieba' in sys.modules, segment._CUT is None)\n"
        "print(repr(snapshot(run)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(folder), str(db)], capture_output=True, text=True,
                         check=True, timeout=300).stdout.splitlines()
    recompared, rjieba, jieba, given_back = out[0].split()
    assert int(recompared) >= 1
    assert (rjieba, jieba, given_back) == ("False", "False", "True")
    assert out[1] == repr(snapshot(run_leaderboard([str(folder)], ":memory:", jobs=2)))
