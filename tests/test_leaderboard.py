"""`targetqa leaderboard`: ranking, department identity across years, the SQLite store, failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from targetqa import files
from targetqa.commands.leaderboard import run_leaderboard
from targetqa.ingest import load
from targetqa.pipeline import audit
from targetqa.catalog import select_rules, selected_codes
from targetqa.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
TXT = sorted(CORPORA.glob("*.txt"))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A copy of corpora/*.txt that a test may change."""
    out = tmp_path / "reports"
    out.mkdir()
    for p in TXT:
        shutil.copy(p, out / p.name)
    return out


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    db = tmp_path_factory.mktemp("lb") / "store.sqlite3"
    return run_leaderboard([str(CORPORA / "*.txt")], db, jobs=2)


def _line_of(run, prefix: str):  # noqa: ANN001, ANN202
    return next(line for line in run.board.lines if any(f.startswith(prefix) for f in line.files))


def test_ranking_follows_the_scores(corpus_run) -> None:  # noqa: ANN001
    lines = corpus_run.board.lines
    assert len(lines) == 5  # one line per department and year; five documents, four departments
    scores = [line.score for line in lines]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert [line.rank for line in lines] == sorted(line.rank for line in lines)
    assert lines[0].rank == 1
    # The scores are the pipeline's, over the same documents compared with each other.
    fresh = audit([load(p) for p in TXT], select_rules())
    expected = {Path(r.doc.path).name: r.score.score for r in fresh}
    for line in lines:
        assert line.score == expected[line.files[0]], line.files
    # Every line carries what the table shows.
    for line in lines:
        assert line.year in (2020, 2021, 2023, 2025)
        assert line.kind in ("预算", "决算")
        assert line.tables > 0 and line.rows > 0
        assert line.findings == sum(len(r.findings) for r in line.results)
        assert line.worst_table.startswith("表")
        [result] = line.results
        assert line.worst_table_score == min(t.score for t in result.score.table_scores)


def test_same_department_across_years_is_one_department(corpus_run) -> None:  # noqa: ANN001
    l2020, l2025 = _line_of(corpus_run, "000_"), _line_of(corpus_run, "002_")
    assert (l2020.year, l2025.year) == (2020, 2025)
    assert l2020.key == l2025.key
    assert l2020.department == l2025.department
    assert l2020.region == "秦皇岛市山海关区"
    assert len({line.key for line in corpus_run.board.lines}) == 4
    # The 2025 line is compared with 2020, the department's previous year in the store.
    assert (l2025.prev_year, l2025.prev_score) == (2020, l2020.score)
    assert l2025.delta == round(l2025.score - l2020.score, 1)
    assert l2020.prev_year is None and l2020.delta is None


def test_previous_year_comes_from_the_store(tmp_path: Path) -> None:
    """Scanning only 2025 still shows the change from 2020 when 2020 is in the store."""
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(TXT[0])], db, jobs=1)  # 000: 2020
    run = run_leaderboard([str(TXT[2])], db, jobs=1)  # 002: 2025
    assert run.parsed == [str(TXT[2])]
    assert run.stored_reports == 2  # compared with everything in the store
    [line] = run.board.lines
    assert line.year == 2025 and line.prev_year == 2020 and line.delta is not None


def test_incremental_run_parses_only_new_or_changed_files(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    first = run_leaderboard([str(folder)], db, jobs=2)
    assert sorted(Path(p).name for p in first.parsed) == [p.name for p in TXT]
    assert first.audited

    second = run_leaderboard([str(folder)], db, jobs=2)
    assert second.parsed == []
    assert len(second.reused) == 5
    assert not second.audited  # nothing changed: the stored findings and scores are used
    assert [(x.key, x.year, x.score, x.findings) for x in second.board.lines] == \
           [(x.key, x.year, x.score, x.findings) for x in first.board.lines]
    first_rows = {x.files[0]: [(f.code, f.row_no, f.row.cells() if f.row else None) for r in x.results for f in r.findings]
                  for x in first.board.lines}
    second_rows = {x.files[0]: [(f.code, f.row_no, f.row.cells() if f.row else None) for r in x.results for f in r.findings]
                   for x in second.board.lines}
    assert first_rows == second_rows

    changed = folder / TXT[1].name
    changed.write_bytes(changed.read_bytes() + "\n".encode())
    third = run_leaderboard([str(folder)], db, jobs=2)
    assert [Path(p).name for p in third.parsed] == [TXT[1].name]
    assert third.audited  # one document changed: everything is compared again
    with Store(db) as store:
        reports = store.reports()
        assert len(reports) == 5  # the changed file replaced its old version
        import hashlib

        mine = next(r for r in reports if r.path.endswith(TXT[1].name))
        assert mine.sha256 == hashlib.sha256(changed.read_bytes()).hexdigest()

    new = folder / "copy_of_003.txt"
    shutil.copy(TXT[3], new)
    fourth = run_leaderboard([str(folder)], db, jobs=2)
    assert fourth.parsed == [str(new)]

    new.unlink()
    fifth = run_leaderboard([str(folder)], db, jobs=2)
    assert fifth.parsed == [] and fifth.removed == 1
    assert fifth.stored_reports == 5


def test_new_extractor_reparses(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(folder)], db, jobs=1)
    import targetqa.store.fingerprint as fp

    monkeypatch.setattr(fp, "parser_fingerprint", lambda: "another-extractor")
    again = run_leaderboard([str(folder)], db, jobs=1)
    assert len(again.parsed) == 5


def test_stored_documents_rebuild_exactly(tmp_path: Path) -> None:
    docs = [load(p) for p in TXT]
    with Store(tmp_path / "s.sqlite3") as store:
        ids = [store.save_document(str(p), "0" * 64, 1, "p", d, 0.0, "k") for p, d in zip(TXT, docs)]
        back = store.load_documents()
    for rid, doc in zip(ids, docs):
        assert back[rid] == doc


def test_the_extraction_engines_fields_survive_the_store(tmp_path: Path) -> None:
    """Document.unread, Table.confidence, Row.points and Row.score have no column: kept in `extra`."""
    real = [load(p) for p in sorted((CORPORA / "realdocs").glob("*.txt"))]
    doc = next(d for d in real if any(t.confidence != 1.0 for t in d.tables)
               and any(r.points is not None and r.score is not None for r in d.rows))
    doc.unread = [(12, "某项目绩效目标表", "表头无法识别")]
    with Store(tmp_path / "s.sqlite3") as store:
        rid = store.save_document(doc.path, "0" * 64, 1, "p", doc, 0.0, "k")
        back = store.load_documents()[rid]
    assert back == doc
    assert back.unread == [(12, "某项目绩效目标表", "表头无法识别")]
    assert [t.confidence for t in back.tables] == [t.confidence for t in doc.tables]
    assert [(r.points, r.score) for r in back.rows] == [(r.points, r.score) for r in doc.rows]


def test_a_changed_file_replaces_its_results_in_one_transaction(tmp_path: Path) -> None:
    good = load(TXT[0])
    with Store(tmp_path / "s.sqlite3") as store:
        store.save_document(str(TXT[0]), "1" * 64, 1, "p", good, 0.0, "k")
        before = store.counts()
        bad = load(TXT[1])
        bad.tables[-1].rows[-1].line = object()  # type: ignore[assignment]  # fails on the last row's insert
        with pytest.raises(Exception):  # noqa: B017 - sqlite's error type
            store.save_document(str(TXT[0]), "2" * 64, 1, "p", bad, 0.0, "k")
        assert store.counts() == before  # nothing of the new version, nothing of the old one lost
        [report] = store.reports()
        assert report.sha256 == "1" * 64
        assert next(iter(store.load_documents().values())) == good


def test_interrupted_run_keeps_whole_reports_only(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C in the middle of writing the third report: the first two stay, nothing of the third."""
    import targetqa.store.sqlite as sq

    db = tmp_path / "s.sqlite3"
    stop_at = len(load(TXT[0]).rows) + len(load(TXT[1]).rows) + 5  # a row of the third report
    real_get = sq._ROW_GET
    calls = {"n": 0}

    def interrupting(row):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == stop_at:
            raise KeyboardInterrupt
        return real_get(row)

    monkeypatch.setattr(sq, "_ROW_GET", interrupting)
    with pytest.raises(KeyboardInterrupt):
        run_leaderboard([str(folder)], db, jobs=1)
    monkeypatch.setattr(sq, "_ROW_GET", real_get)
    with Store(db) as store:
        assert store.counts()["reports"] == 2
        docs = store.load_documents()
    for doc in docs.values():
        assert doc == load(doc.path)  # whole documents only
    rest = run_leaderboard([str(folder)], db, jobs=1)
    assert len(rest.parsed) == 3 and len(rest.reused) == 2


def test_unreadable_reports_are_listed_and_do_not_stop_the_run(folder: Path, tmp_path: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    (folder / "noise.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    db = tmp_path / "s.sqlite3"
    run = run_leaderboard([str(folder)], db, jobs=2)
    failed = {Path(f.file).name: f.error for f in run.failures}
    assert set(failed) == {"empty.txt", "broken.docx", "noise.pdf"}
    assert all(failed.values())
    assert "空" in failed["empty.txt"]
    assert len(run.board.lines) == 5  # the readable reports are all ranked
    assert {Path(f.file).name for f in run.board.failures} == set(failed)
    # An unchanged bad file is not read again, but still listed.
    again = run_leaderboard([str(folder)], db, jobs=2)
    assert again.parsed == []
    assert {Path(f.file).name for f in again.failures} == set(failed)


def test_reader_crash_is_a_listed_failure(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import targetqa.ingest

    real = targetqa.ingest.load

    def exploding(path):  # noqa: ANN001, ANN202
        if str(path).endswith(TXT[2].name):
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(targetqa.ingest, "load", exploding)
    run = run_leaderboard([str(folder)], tmp_path / "s.sqlite3", jobs=1)
    [failure] = run.failures
    assert failure.file.endswith(TXT[2].name) and "内部错误" in failure.error and "boom" in failure.error
    assert len(run.board.lines) == 4


def test_a_crash_in_one_reports_checks_costs_that_report_only(folder: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks run in the parsing worker and, if they fail there, once more in the main
    process: a crash there too is that report's failure, the others are compared and ranked."""
    import targetqa.compare.perdoc as perdoc

    real = perdoc.findings_and_summary

    def exploding(doc):  # noqa: ANN001, ANN202
        if doc.path.endswith(TXT[2].name):
            raise ZeroDivisionError("boom")
        return real(doc)

    monkeypatch.setattr(perdoc, "findings_and_summary", exploding)
    run = run_leaderboard([str(folder)], tmp_path / "s.sqlite3", jobs=1)
    [failure] = run.failures
    assert failure.file.endswith(TXT[2].name) and "内部错误" in failure.error and "ZeroDivisionError" in failure.error
    scored = [r for r in run.results if r.score is not None and r.score.score is not None]
    assert len(scored) == len(TXT) - 1 and not any(r.doc.path.endswith(TXT[2].name) for r in scored)


def test_missing_named_file_is_a_failure(tmp_path: Path) -> None:
    run = run_leaderboard([str(TXT[0]), str(tmp_path / "nope.txt")], tmp_path / "s.sqlite3", jobs=1)
    assert [(Path(f.file).name, f.error) for f in run.failures] == [("nope.txt", "文件不存在")]
    assert len(run.board.lines) == 1


def test_rule_selection_is_applied_and_results_recomputed(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(TXT[0])], db, jobs=1)
    only_unit = run_leaderboard([str(TXT[0])], db, codes=selected_codes(["UNIT"]), jobs=1)
    assert only_unit.audited
    assert {fam for line in only_unit.board.lines for fam in line.families} <= {"UNIT"}


def test_store_refuses_a_foreign_database(tmp_path: Path) -> None:
    import sqlite3

    from targetqa.store import StoreError

    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="不是 targetqa 的数据库"):
        Store(path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="无法打开数据库"):
        Store(junk)
    newer = tmp_path / "newer.sqlite3"
    Store(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError, match="更新版本"):
        Store(newer)


def test_schema_version_is_recorded(tmp_path: Path) -> None:
    import sqlite3

    from targetqa.store import SCHEMA_VERSION

    Store(tmp_path / "s.sqlite3").close()
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"reports", "tables", "rows", "blocks", "statements", "findings", "scores", "failures", "schema_version"} <= tables


def _age(folder: Path, seconds: float = 3600) -> None:
    """Files last changed an hour ago, as a folder of reports usually is."""
    import os
    import time

    for p in folder.iterdir():
        then = time.time() - seconds
        os.utime(p, (then, then))


def test_files_whose_stat_is_unchanged_are_not_read_again(folder: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import targetqa.commands.leaderboard as lb

    monkeypatch.setattr(files, "RACY_NS", 0)  # the copies were made just now (tested below)
    _age(folder)
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(folder)], db, jobs=1)
    read: list[str] = []
    real_hash = lb._hash_file

    def counting(path: Path) -> tuple[str, int]:
        read.append(Path(path).name)
        return real_hash(path)

    monkeypatch.setattr(lb, "_hash_file", counting)
    again = run_leaderboard([str(folder)], db, jobs=1)
    assert read == [] and len(again.reused) == len(TXT)

    # the same size and modification time, other bytes: the inode's change time still tells
    victim = folder / TXT[1].name
    st = victim.stat()
    data = victim.read_bytes()
    victim.write_bytes(data.replace("≥".encode(), "≤".encode(), 1))
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert victim.stat().st_size == st.st_size
    changed = run_leaderboard([str(folder)], db, jobs=1)
    assert read == [victim.name] and [Path(p).name for p in changed.parsed] == [victim.name]


def test_a_file_hashed_right_after_it_changed_is_hashed_again(folder: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A second change within the file system's time granule would leave the stat as it was."""
    import time

    import targetqa.commands.leaderboard as lb

    monkeypatch.setattr(files, "RACY_NS", 1_000_000_000)
    _age(folder)
    time.sleep(1.1)  # the copies' change time (ctime) is now more than RACY_NS ago
    fresh = folder / "just_written.txt"
    shutil.copy(TXT[3], fresh)  # changed now: hashed now, its stat cannot be trusted yet
    db = tmp_path / "s.sqlite3"
    run_leaderboard([str(folder)], db, jobs=1)
    read: list[str] = []
    real_hash = lb._hash_file
    monkeypatch.setattr(lb, "_hash_file", lambda path: (read.append(Path(path).name), real_hash(path))[1])
    run_leaderboard([str(folder)], db, jobs=1)
    assert read == [fresh.name]


def test_a_code_digest_is_kept_by_stat_and_read_again_when_a_file_changes(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The digest of the package's files (what tells stored results from stale ones) is kept by
    the files' stat; a file changed since, even to the same size and time, is read again."""
    import os

    import targetqa.store.fingerprint as fp

    monkeypatch.setenv("TARGETQA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(files, "RACY_NS", 0)  # the copies were made just now
    code = tmp_path / "code"
    code.mkdir()
    for p in sorted((ROOT / "src" / "targetqa" / "store").glob("*.py")):
        shutil.copy(p, code / p.name)
    _age(code)
    paths = sorted(code.iterdir())
    first = fp._digest(paths, code)
    reads: list[int] = []
    real = fp._read_digest
    monkeypatch.setattr(fp, "_read_digest", lambda fs, root: (reads.append(1), real(fs, root))[1])
    assert fp._digest(paths, code) == first and reads == []

    victim = paths[0]
    st = victim.stat()
    victim.write_bytes(victim.read_bytes().replace(b"a", b"b", 1))
    os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns))
    changed = fp._digest(paths, code)
    assert reads == [1] and changed != first
    assert changed == real(paths, code)
    assert fp._digest(paths, code) == changed and reads == [1]
    monkeypatch.setattr(files, "RACY_NS", 60_000_000_000)
    fp._digest(paths, code)
    assert reads == [1, 1]  # changed within RACY_NS of its reading: not trusted
