"""`targetqa leaderboard`: score every report under the paths and rank departments.

The run, step by step:
1. expand the paths (folders, files, globs) and hash every file (sha256 of its bytes);
2. parse, in parallel on all cores, only the files the store does not hold with that hash and
   the current extractor; each parsed document replaces the file's old one in one transaction;
3. rebuild every stored document (all folders and years ever scanned into this store), compare
   them with each other and score them (`pipeline.audit`); when neither the stored documents nor
   the rules nor the code changed since the last run, the stored findings and scores are used
   as they are;
4. group the reports by department (see `targetqa.identity`), year and kind, rank the lines of
   the reports under the given paths, and show each line's change from the department's
   previous year in the store.

Only typer and the standard library are imported at module level; the rest inside functions.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Collection
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from targetqa.commands import options
from targetqa.commands.common import (
    check_outputs,
    err,
    exit_for_findings,
    settings,
    write_outputs,
)
from targetqa.guard import os_reason

if TYPE_CHECKING:
    from targetqa.output.board import Board, BoardFailure
    from targetqa.pipeline import ReportResult

DB_HELP = (
    "结果数据库（SQLite）。默认放在用户数据目录下的 targetqa/leaderboard.sqlite3："
    "Linux 为 ~/.local/share/targetqa/，macOS 为 ~/Library/Application Support/targetqa/，"
    "Windows 为 %LOCALAPPDATA%\\targetqa\\；也可用环境变量 TARGETQA_DB 指定。"
    "再次运行时只解析新增或改动过的文件；用 :memory: 则不保存。"
)


@dataclass
class LeaderboardRun:
    """What one run did; the command prints it, tests inspect it."""

    board: Board | None = None
    files: list[str] = field(default_factory=list)  # every report file found under the paths
    parsed: list[str] = field(default_factory=list)  # files parsed this run (new or changed)
    reused: list[str] = field(default_factory=list)  # files taken from the store unchanged
    failures: list[BoardFailure] = field(default_factory=list)
    removed: int = 0  # stored reports dropped because their file is gone
    audited: bool = False  # comparison and scoring recomputed (False: stored results reused)
    recompared: int = 0  # documents whose cross-document findings were recomputed
    stored_reports: int = 0  # documents in the store, all compared with each other
    results: list[ReportResult] = field(default_factory=list)  # results of the files under the paths
    seconds: dict[str, float] = field(default_factory=dict)


def _hash_file(path: Path) -> tuple[str, int]:
    """sha256 of the file's bytes, read up to just past the size limit (a file past it is
    refused when read, and this hash still tells a changed file from the same one)."""
    import hashlib

    from targetqa.files import open_regular
    from targetqa.limits import megabytes

    h = hashlib.sha256()
    size = 0
    most = megabytes("file_mb") + 1
    with open_regular(path) as fh:
        while size < most and (chunk := fh.read(min(1 << 20, most - size))):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _known_sha(path: str, seen: dict[str, tuple[str, str, int]], hashed: list[tuple[str, str, str, int]]) -> str:
    """The file's sha256: as stored where its size, times and inode are as when it was hashed
    (the way git's index skips reading unchanged files), else read and added to `hashed`. A file
    hashed right after it changed is hashed again (`files.settled_before`)."""
    from targetqa.files import settled_before, stat_key

    st = os.stat(path)
    stat = stat_key(st)
    kept = seen.get(path)
    if kept is not None and kept[0] == stat and settled_before(st, kept[2]):
        return kept[1]
    now = time.time_ns()
    sha, _ = _hash_file(Path(path))
    hashed.append((path, stat, sha, now))
    return sha


def _load_shared(segmenter: bool) -> None:
    """Load what the parsing processes (their findings in one document) and this one (the
    comparison) both need before they part: numpy, the value reading of the checks
    (boilerplate judges a row's target with it; it imports the extractor) and, unless the
    parsing process lends it afterwards (one changed file: `segment.borrow`), the segmenter's
    dictionary: ~0.14 s that each forked process would otherwise spend again."""
    import numpy  # noqa: F401

    import targetqa.checks.semantics  # noqa: F401

    if segmenter:
        from targetqa.text.segment import cut

        cut("")


def _give_back(lender) -> None:  # noqa: ANN001 - workers.Pending
    """The parsing process's segmenter is no longer needed: this one segments on its own again."""
    from targetqa.text import segment

    segment.borrow(None)
    lender.close()


def _parse_one(path: str) -> tuple[str, str, int, object, str | None, float, object]:
    """Worker: read and extract one file, and find what the document shows on its own (all rules,
    `compare.perdoc`; None if that failed: the main process tries again and reports the error).
    Never raises; an error comes back as text (Chinese)."""
    from targetqa.ingest import load
    from targetqa.model import InputError
    from targetqa.workers import collecting

    start = time.perf_counter()
    sha, size = "", 0
    try:
        sha, size = _hash_file(Path(path))
        with collecting():
            doc = load(path)
        seconds = time.perf_counter() - start
        return path, sha, size, doc, None, seconds, _own_findings(doc, path)
    except InputError as exc:
        return path, sha, size, None, str(exc), time.perf_counter() - start, None
    except MemoryError:
        return path, sha, size, None, "读取失败（内存不足）", time.perf_counter() - start, None
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the other files
        return path, sha, size, None, f"读取失败（内部错误：{type(exc).__name__}: {exc}）", time.perf_counter() - start, None


def _own_findings(doc, path: str):  # noqa: ANN001, ANN202
    """(findings of every rule that reads the document alone, comparison summary), or None."""
    from targetqa.compare.perdoc import findings_and_summary

    try:
        doc.path = path
        return findings_and_summary(doc)
    except Exception:  # noqa: BLE001 - computed again (and reported) in the main process
        return None


def _parse_all(todo: list[str], jobs: int, on_done, started=lambda: None, meanwhile=lambda: None):  # noqa: ANN001, ANN202 - callbacks
    """Parse files on `jobs` processes, calling on_done(result) in the main process as each ends.

    `started()` is called once the worker processes exist: the progress bar's refresh thread is
    started only then, so that no thread is running when the workers are forked. `meanwhile()`
    is the main process's own work while the workers parse (with one file changed, reading the
    stored reports and loading the comparison take as long as parsing it).

    One file (the usual change) is parsed in a forked process all the same, which then lends
    this one its segmenter (`segment.borrow`); returned is that process (`workers.Pending`),
    for the caller to close once the comparison is done, or None.
    """
    if len(todo) == 1:
        from targetqa.text import segment
        from targetqa.workers import ChildLost, in_child

        pending = in_child(lambda: _parse_one(todo[0]), answer=segment.answer)
        started()
        try:
            meanwhile()
        finally:
            try:
                result = pending.result()
            except ChildLost as exc:
                result = (todo[0], "", 0, None, f"读取失败（{exc}）", 0.0, None)
        if pending.answering:
            segment.borrow(pending.ask)
        on_done(result)
        return pending
    if jobs <= 1 or not todo:
        started()
        meanwhile()
        for path in todo:
            on_done(_parse_one(path))
        return None
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from targetqa.workers import worker_init

    # fork: workers start at once and share the already imported modules. With the fork
    # context, ProcessPoolExecutor launches all its workers on the first submit, before its own
    # management thread starts. Elsewhere (macOS, Windows) the platform default (spawn).
    ctx = mp.get_context("fork") if sys.platform.startswith("linux") else None
    pending = list(todo)
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx, initializer=worker_init)
    try:
        futures = {pool.submit(_parse_one, p): p for p in todo}
        started()
        meanwhile()
        for fut in as_completed(futures):
            try:
                result = fut.result()
            except BrokenProcessPool:
                break
            pending.remove(futures[fut])
            on_done(result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    # A worker died (out of memory, a crash in a native reader): parse what is left one file per
    # fresh process, so that only the file that kills its process is lost.
    for path in pending:
        single = ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=worker_init)
        try:
            on_done(single.submit(_parse_one, path).result())
        except BrokenProcessPool:
            on_done((path, "", 0, None, "读取失败（解析进程意外退出，可能是内存不足或文件损坏）", 0.0, None))
        finally:
            single.shutdown(wait=True)
    return None


class _Progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise. start() is explicit."""

    def __init__(self, enabled: bool) -> None:
        self.bar = None
        self.running = False
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("剩余"), TimeRemainingColumn(),
                console=Console(stderr=True), transient=True,
            )

    def start(self) -> None:
        if self.bar is not None and not self.running:
            self.bar.start()
            self.running = True

    def stop(self) -> None:
        if self.bar is not None and self.running:
            self.bar.stop()
            self.running = False

    def task(self, description: str, total: int | None):  # noqa: ANN201
        return self.bar.add_task(description, total=total) if self.bar is not None else None

    def advance(self, task, n: int = 1) -> None:  # noqa: ANN001
        if self.bar is not None and task is not None:
            self.bar.advance(task, n)

    def finish(self, task) -> None:  # noqa: ANN001
        if self.bar is not None and task is not None:
            self.bar.remove_task(task)


def _scanned_dirs(paths: list[str]) -> list[str]:
    return [str(Path(p).resolve()) for p in paths if Path(p).is_dir()]


def run_leaderboard(paths: list[str], db: str | Path, codes: Collection[str] | None = None, use_corpus: bool = True,  # noqa: PLR0912, PLR0915
                    jobs: int | None = None, progress: bool = False) -> LeaderboardRun:
    """Do the whole job and return what happened; raises StoreError when the database is unusable."""
    from targetqa.catalog import CODES
    from targetqa.files import expand_checked, real_path
    from targetqa.identity import department_key, parse, resolve
    from targetqa.model import InputError
    from targetqa.output.board import (
        Board,
        BoardFailure,
        make_line,
        rank_lines,
        set_previous,
    )
    from targetqa.store import Store
    from targetqa.store.fingerprint import analysis_fingerprint, parser_fingerprint

    run = LeaderboardRun()
    started = time.perf_counter()
    codes = set(CODES if codes is None else codes)  # the parse workers import the rules; this process, the comparison's
    jobs = jobs or os.cpu_count() or 1
    files, problems = expand_checked(paths)
    run.files = [str(p) for p in files]
    parser = parser_fingerprint()

    bar = _Progress(progress)
    with Store(db) as store, contextlib.ExitStack() as stack:
        stored = {r.path: r for r in store.reports()}
        known_failures = store.failures()
        seen = store.file_stats()
        hashed: list[tuple[str, str, str, int]] = []
        failures: dict[str, str] = dict(problems)
        todo: list[str] = []
        shown: dict[str, str] = {}  # absolute path → path as the user gave it
        current: list[str] = []
        for p in files:
            try:
                key = real_path(str(p))
                key.encode("utf-8")  # a name in another encoding cannot be stored
                sha = _known_sha(key, seen, hashed)
            except UnicodeEncodeError:
                failures[str(p)] = "文件名不是 UTF-8 编码，无法存入数据库，请重命名后再试"
                continue
            except OSError as exc:
                failures[str(p)] = os_reason(exc)
                continue
            except InputError as exc:  # not a regular file
                failures[str(p)] = str(exc)
                continue
            shown[key] = str(p)
            current.append(key)
            old = stored.get(key)
            if old is not None and old.sha256 == sha and old.parser == parser:
                run.reused.append(str(p))
                continue
            bad = known_failures.get(key)
            if bad is not None and bad[0] == sha and bad[1] == parser:
                failures[str(p)] = bad[2]
                continue
            todo.append(key)
        if hashed:
            store.save_file_stats(hashed)
        run.seconds["hash"] = time.perf_counter() - started

        # 2. parse new and changed files
        fresh: dict[int, object] = {}
        own: dict[int, list] = {}  # report id -> findings in the document alone (all rules)
        summaries: dict[int, dict] = {}  # report id -> comparison summary
        analysis = analysis_fingerprint()
        # as the last comparison saw the documents: read before this run replaces or removes any
        # (while the files parse; a run that changes nothing may not compare at all, and does not read them)
        before: dict | None = None
        task = bar.task("解析报告", len(todo)) if todo else None

        def done(result: tuple) -> None:
            path, sha, size, doc, error, seconds, found = result
            if doc is None:
                failures[shown.get(path, path)] = error or "读取失败"
                if sha:
                    store.save_failure(path, sha, parser, error or "读取失败")
            else:
                doc.path = path  # type: ignore[attr-defined]
                rid = store.save_document(path, sha, size, parser, doc, seconds, department_key(doc.department),  # type: ignore[arg-type,attr-defined]
                                          findings=found[0] if found else None, analysis=analysis,
                                          summary=found[1] if found else None)
                fresh[rid] = doc
                if found is not None:
                    own[rid], summaries[rid] = found
                    doc.lines = []  # kept in the store; nothing after the worker's rules reads them
                run.parsed.append(shown.get(path, path))
            bar.advance(task)

        stored_docs: dict[int, object] = {}
        kept_cross: dict[int, tuple[list, list]] = {}

        def read_stored() -> None:
            """The stored reports not parsed again, read while the workers parse."""
            nonlocal before
            with store.snapshot():  # another run may write to the store meanwhile: read one state of it
                if todo:
                    before = store.load_summaries(analysis)
                stored_docs.update(store.load_documents(skip={stored[p].id for p in todo if p in stored}, with_lines=False))
                if todo:  # the comparison will run: what it keeps of the stored reports
                    own.update(store.load_doc_findings(stored_docs, analysis))  # type: ignore[arg-type]
                    kept_cross.update(store.load_cross(stored_docs))  # type: ignore[arg-type]

        def meanwhile() -> None:
            read_stored()
            if todo:  # the comparison will run: its model and segmenter load while the files parse
                from targetqa.compare import prepare
                from targetqa.compare.perdoc import SINGLE_DOCUMENT_CODES

                # those run where the document is parsed; one file's parsing process lends its segmenter
                prepare(codes - SINGLE_DOCUMENT_CODES, segmenter=len(todo) > 1)

        t0 = time.perf_counter()
        if todo:
            _load_shared(segmenter=len(todo) > 1)
        try:
            lender = _parse_all(todo, jobs, done, started=bar.start, meanwhile=meanwhile)
        except BaseException:
            bar.stop()
            raise
        if lender is not None:
            stack.callback(_give_back, lender)
        run.seconds["parse"] = time.perf_counter() - t0

        # Files gone from the folders scanned now are forgotten (a moved file is not counted twice).
        scanned = _scanned_dirs(paths)
        if scanned:
            gone = [p for p in list(stored) + list(known_failures)
                    if any(p.startswith(d.rstrip(os.sep) + os.sep) for d in scanned) and not os.path.exists(p)]
            if gone:
                if before is None:
                    before = store.load_summaries(analysis)
                run.removed = store.remove(gone)

        # 3. compare and score everything in the store
        t0 = time.perf_counter()
        reports = {r.id: r for r in store.reports()}
        docs = {**stored_docs, **fresh}
        # a report this run parsed may have been replaced by another run since: that one's is kept
        docs = {rid: docs[rid] for rid in sorted((r for r in docs if r in reports), key=lambda i: reports[i].path)}
        run.seconds["load"] = time.perf_counter() - t0
        run.stored_reports = len(docs)
        import hashlib

        rules_text = ",".join(sorted(codes)) + ("" if use_corpus else "|isolated")
        state = hashlib.sha256(
            (analysis + "|" + rules_text + "|"
             + ";".join(f"{rid}:{reports[rid].path}:{reports[rid].sha256}" for rid in docs)).encode()
        ).hexdigest()
        t0 = time.perf_counter()
        from targetqa.pipeline import ReportResult

        by_id: dict[int, ReportResult] = {}
        cached = store.load_results(docs) if store.get_meta("audit_state") == state else None  # type: ignore[arg-type]
        if cached is not None:
            for rid, (findings, score) in cached.items():
                by_id[rid] = ReportResult(docs[rid], findings, score)  # type: ignore[arg-type]
        else:
            bar.start()
            cmp_task = bar.task("比较与评分", None)
            try:
                if before is None:
                    before = store.load_summaries(analysis)
                results, redone = _audit(store, docs, reports, codes, use_corpus, own, summaries, before,  # type: ignore[arg-type]
                                         analysis, rules_text, run, kept_cross if todo else None)
            finally:
                bar.finish(cmp_task)
                bar.stop()
            by_id = dict(zip(docs, results))
            store.save_results(list(by_id.items()), rules_text, state, only=redone)
            run.audited = True
        bar.stop()
        run.seconds["audit"] = time.perf_counter() - t0
        now = set(current)
        for rid, result in by_id.items():
            if result.error and reports[rid].path in now:
                failures[shown.get(reports[rid].path, reports[rid].path)] = result.error

    # 4. departments, lines, ranking
    names = [d.department for d in docs.values() if d.department]  # type: ignore[attr-defined]
    keys = resolve(names)
    latest_name: dict[str, tuple[int, str]] = {}
    groups: dict[tuple[str, int | None, str], list[int]] = {}
    for rid, doc in docs.items():
        dept = doc.department  # type: ignore[attr-defined]
        key = keys.get(dept, "") if dept else ""
        if not key or key.startswith("?|"):
            key = "file:" + reports[rid].path  # no region: cannot be matched with another document
        year = doc.year  # type: ignore[attr-defined]
        groups.setdefault((key, year, doc.kind), []).append(rid)  # type: ignore[attr-defined]
        if dept and (year or 0, dept) > latest_name.get(key, (-1, "")):
            latest_name[key] = (year or 0, dept)

    def region_of(key: str, rid: int) -> str:
        if key.startswith("file:"):
            return docs[rid].region  # type: ignore[attr-defined]
        return parse(latest_name[key][1]).region_text if key in latest_name else ""

    def line_for(key: str, rids: list[int]):  # noqa: ANN202
        return make_line([by_id[r] for r in rids], key=key, department=latest_name.get(key, (0, ""))[1],
                         region=region_of(key, rids[0]))

    history = [line_for(k[0], rids) for k, rids in groups.items()]
    wanted = set(current)
    lines = []
    for k, rids in groups.items():
        mine = [r for r in rids if reports[r].path in wanted]
        if mine:
            lines.append(line_for(k[0], mine))
    set_previous(lines, history)
    for line in lines:
        for r in line.results:
            r.doc.path = shown.get(r.doc.path, r.doc.path)
    run.results = [by_id[rid] for rid in docs if reports[rid].path in wanted]
    run.failures = [BoardFailure(p, e) for p, e in sorted(failures.items())]
    run.seconds["total"] = time.perf_counter() - started
    note = (f"报告 {len(run.files)} 份：新解析 {len(run.parsed)}，沿用数据库 {len(run.reused)}，无法读取 {len(run.failures)}；"
            f"与数据库中全部 {run.stored_reports} 份报告比较")
    run.board = Board(title="部门绩效目标表质量排行", lines=rank_lines(lines), failures=run.failures,
                      rules=_rules_text(codes), note=note)
    return run


def _audit(store, docs: dict, reports: dict, codes: set[str], use_corpus: bool, own: dict, summaries: dict,  # noqa: ANN001, PLR0913
           before: dict, analysis: str, rules_text: str, run: LeaderboardRun,
           kept_cross: dict[int, tuple[list, list]] | None = None) -> tuple[list, set[int] | None]:
    """Findings and scores of every stored document. The findings that read one document alone
    come from the store (or the worker that just parsed it); the comparison across documents is
    recomputed for the documents a change since the last run can reach (`compare.incremental`),
    all of them when that cannot be told, and kept from the last run for the others
    (`kept_cross`: as read while the files parsed; None: read here)."""
    import hashlib
    import json

    from targetqa.compare import Comparison, corpus_rules
    from targetqa.compare.incremental import affected, by_path, extend_by_copies
    from targetqa.compare.perdoc import SINGLE_DOCUMENT_CODES, findings_and_summary
    from targetqa.compare.reference import load_reference
    from targetqa.compare.tables import KeySignatures
    from targetqa.guard import reason
    from targetqa.model import ModelError
    from targetqa.pipeline import ReportResult, _failed, assemble

    own.update(store.load_doc_findings({r: d for r, d in docs.items() if r not in own}, analysis))
    kept = {s[0]: s[2] for s in before.values()}
    for rid in docs:
        if rid not in summaries and rid in kept:
            summaries[rid] = kept[rid]
    missing = [r for r in docs if r not in own or r not in summaries]
    crashed: dict[int, ReportResult] = {}  # an unexpected error in a document's checks costs that document only
    if missing:  # stored by older code, or the worker could not: found here, and kept
        for r in missing:
            if not docs[r].lines:
                docs[r].lines = store.load_lines(r)
            try:
                own[r], summaries[r] = findings_and_summary(docs[r])
            except ModelError:
                raise  # missing or stale reference statistics: the command says so and exits 2
            except Exception as exc:  # noqa: BLE001
                crashed[r] = ReportResult(docs[r])
                _failed(crashed[r], exc)
        store.save_doc_findings([(r, docs[r], own[r], summaries[r]) for r in missing if r not in crashed], analysis)
    everything = docs
    if crashed:  # not compared with the others; nothing of theirs kept, so a run that compares again retries them
        docs = {rid: d for rid, d in docs.items() if rid not in crashed}

    cross_codes = {r.code for r in corpus_rules() if r.code in codes} - SINGLE_DOCUMENT_CODES
    state = hashlib.sha256(f"{analysis}|{rules_text}".encode()).hexdigest()
    path_of = {rid: reports[rid].path for rid in docs}
    rid_of = {p: rid for rid, p in path_of.items()}
    docset = {path_of[rid]: reports[rid].sha256 for rid in docs}
    stored: dict[int, tuple[list, list]] = {}
    targets: set[int] | None = None
    ref = load_reference() if use_corpus else None
    key_signatures = KeySignatures({**(ref.key_signatures() if ref is not None else {}), **store.key_signatures(analysis)})
    last = store.get_meta("cross_docs")
    if last is not None and store.get_meta("cross_state") == state:
        last_docs: dict[str, str] = json.loads(last)
        changed = {p for p in set(last_docs) | set(docset) if last_docs.get(p) != docset.get(p)}
        current = {path_of[rid]: summaries[rid] for rid in docs}
        previous = {p: s for p, s in current.items() if p not in changed}
        known = all(p not in last_docs or (p in before and before[p][1] == last_docs[p]) for p in changed)
        for p in changed:
            if p in last_docs and known:
                previous[p] = before[p][2]
        unchanged = {rid: d for rid, d in docs.items() if path_of[rid] not in changed}
        stored = ({rid: kept_cross[rid] for rid in unchanged if rid in kept_cross} if kept_cross is not None
                  else store.load_cross(unchanged))
        if known and len(stored) == len(docs) - len(changed & set(docset)) and len(changed) <= max(1, len(docs) // 4):
            reach = affected(current, previous, changed, _ref_sentence_depts(use_corpus, current),
                             _ref_keys(use_corpus), _ref_habits(use_corpus), key_signatures)
            if reach is not None:
                targets = {rid_of[p] for p in reach}
    listed = list(docs.values())
    by_id = {id(d): rid for rid, d in docs.items()}
    try:
        comparison = Comparison(listed, cross_codes, use_corpus, summaries={id(d): summaries[rid] for rid, d in docs.items()},
                                key_signatures=key_signatures)
        while True:
            pairs = [((id(docs[rid]), a), (id(docs[rid_of[b_path]]), b)) for rid, (_, copies) in stored.items()
                     if targets is not None and rid not in targets for a, b_path, b in copies if b_path in rid_of]
            found, copies = comparison.run(None if targets is None else {id(docs[r]) for r in targets}, pairs)
            if targets is None:
                break
            now = by_path({d: c for d, c in copies.items()}, {id(d): path_of[rid] for rid, d in docs.items()})
            was = {path_of[rid]: stored[rid][1] for rid in targets if rid in stored}
            more = {rid_of[p] for p in extend_by_copies(was, now) if p in rid_of} - targets
            if not more:
                break
            targets |= more
    except ModelError:
        raise  # missing or stale reference statistics: the command says so and exits 2
    except Exception as exc:  # noqa: BLE001 - the comparison's findings are left out, as `pipeline.audit` does
        err(f"报告之间的比较出错，已跳过（{reason(exc)}）")
        run.recompared = 0
        found = {id(d): [] for d in docs.values()}
        return [crashed.get(rid) or assemble(d, [f for f in own[rid] if f.code in codes], found[id(d)])
                for rid, d in everything.items()], None
    if key_signatures.added:
        store.save_key_signatures(analysis, key_signatures.added, {k for s in summaries.values() for k in s["keys"]})
    cross = {rid: found.get(id(d), []) for rid, d in docs.items() if targets is None or rid in targets}
    copies_of = {by_id[d]: [[a, path_of[by_id[o]], b] for a, o, b in c] for d, c in copies.items()}
    store.save_cross([(rid, docs[rid], cross[rid], copies_of.get(rid, [])) for rid in cross], state, docset,
                     replace_all=targets is None, read=last)
    run.recompared = len(cross)
    # a report compared with no one this run has its findings of the last run, hence its score
    scored = store.load_scores({rid: d for rid, d in docs.items() if rid not in cross}) if targets is not None else {}
    results = []
    for rid, doc in everything.items():
        if rid in crashed:
            results.append(crashed[rid])
            continue
        mine = cross[rid] if rid in cross else stored[rid][0]
        results.append(assemble(doc, [f for f in own[rid] if f.code in codes], mine, scored.get(rid)))
    return results, None if targets is None else set(cross) | set(crashed)


def _ref_keys(use_corpus: bool) -> list[str]:
    """Row keys of the reference tables (all of them: more keys only make the check stricter)."""
    from targetqa.compare.reference import load_reference

    ref = load_reference() if use_corpus else None
    return [] if ref is None else sorted({r["key"] for t in ref.tables for r in t.rows})


def _ref_habits(use_corpus: bool) -> dict[str, int]:
    """The reference's part of the departments' counts in `Context.table_departments`."""
    from targetqa.compare.context import ref_habits
    from targetqa.compare.reference import load_reference

    return dict(ref_habits(load_reference() if use_corpus else None))


def _ref_sentence_depts(use_corpus: bool, summaries: dict[str, dict]):  # noqa: ANN202
    """hash -> departments of the reference documents a report's sentence lookup sees holding
    it (`Analysis.sentence_lookup`); isolated, none are counted."""
    from targetqa.compare.reference import load_reference

    ref = load_reference() if use_corpus else None
    if ref is None:
        return None
    excluded = {i for s in summaries.values() for i in s["own_ref"]}

    def depts(h: str) -> set[str]:
        return {ref.docs[i].department for i, _line, _duty in ref.sentences.get(h, ()) if i not in excluded}

    return depts


def _rules_text(codes: Collection[str]) -> str:
    from targetqa.catalog import CODES

    total = len(CODES)
    return f"全部 {total} 条规则" if len(codes) == total else f"{len(codes)}/{total} 条规则"


def _coverage(line) -> tuple[int, int]:  # noqa: ANN001 - BoardLine
    """(tables read, tables found) over a line's reports: the score covers the read ones."""
    read = found = 0
    for r in line.results:
        if r.score is not None:
            read += r.score.tables
            found += max(r.score.tables_found, r.score.tables)
    return read, found


def _with_coverage(columns: list[str], records: list[dict[str, object]], board: Board) -> tuple[list[str], list[dict[str, object]]]:
    """The ranking CSV with a 'coverage' column beside the score: tables read / tables found."""
    at = columns.index("score") + 1 if "score" in columns else len(columns)
    columns = [*columns[:at], "coverage", *columns[at:]]
    for rec, line in zip(records, board.lines):
        read, found = _coverage(line)
        rec["coverage"] = f"{read}/{found}" if found else ""
    return columns, records


def _print_board(board: Board) -> None:
    from targetqa.output.console import Lines, add_grid

    rows = []
    for line in board.lines:
        worst = line.worst_table if len(line.worst_table) <= 28 else line.worst_table[:27] + "…"
        worst = f"{worst}（{line.worst_table_score:.1f}）" if line.worst_table_score is not None else ""
        score = line.shown_score
        read, found = _coverage(line)
        if line.score is not None and found > read:
            score = f"{score}（已读表 {read}/{found}）"
        if line.score is None:
            worst = f"不计分：{line.reason}"
        rows.append(("" if line.rank is None else line.rank, line.department, line.region, line.year_text, line.kind or "—",
                     score, line.tables, line.rows, line.family_text or "无", worst, line.shown_delta))
    out = Lines()
    add_grid(out, ("排名", "部门", "地区", "年度", "类型", "得分", "表", "行", "问题（按类别）", "最差的表", "较上年"),
             rows, right={0, 5, 6, 7})
    out.write()


def leaderboard(
    paths: Annotated[list[str], typer.Argument(help="报告所在的目录、文件或通配符（.txt .docx .pdf .xlsx）。")],
    db: Annotated[Optional[Path], typer.Option("--db", help=DB_HELP)] = None,
    csv: Annotated[Optional[Path], typer.Option("--csv", help="把排名写入 CSV（UTF-8 带 BOM，Excel/WPS 可直接打开）。")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="写入 Excel 工作簿：“排名”表和“问题行”表（带筛选、冻结表头）。")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="写入一个独立的 HTML 页面（排名、得分图、按类别的问题图、各部门问题行），无需联网即可打开。")] = None,
    select: options.Select = None,
    ignore: options.Ignore = None,
    fail_level: options.FailLevel = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="有问题也以退出码 0 结束（无法读取的文件仍为 2）。")] = False,
    config: options.Config = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="不与随附的语料统计比较，只比较数据库中的报告。")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="并行解析的进程数（默认：全部 CPU 核）。")] = None,
) -> None:
    """为目录下的全部报告打分，并按部门排名（每个部门每年一行，含较上年的变化）。

    结果保存在 SQLite 数据库中（--db），再次运行只解析新增或改动的文件；
    所有报告（含数据库中往年的报告）相互比较，以发现复制粘贴和照搬往年文字。

    退出码：0 无问题，1 有达到 --fail-level 的问题，2 有文件无法读取或用法错误。
    """
    from targetqa.files import expand

    run_settings = settings(config, select, ignore, fail_level)
    from targetqa.catalog import selected_codes
    from targetqa.model import ModelError
    from targetqa.store import StoreError, default_db_path

    db_path = db if db is not None else default_db_path()
    store_file = Path(db_path) if str(db_path) != ":memory:" else None
    check_outputs([csv, xlsx, html, store_file], expand(paths))
    try:
        run = run_leaderboard(paths, db_path, selected_codes(run_settings.select, run_settings.ignore),
                              use_corpus=not isolated, jobs=jobs, progress=sys.stderr.isatty())
    except (StoreError, ModelError) as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    for failure in run.failures:
        err(f"{failure.file}: {failure.error}")
    if not run.files:
        if not run.failures:
            err("没有找到任何报告文件：" + "、".join(paths))
        raise typer.Exit(2)
    board = run.board
    assert board is not None
    _print_board(board)
    from targetqa.output.board import ranking_columns, ranking_records
    from targetqa.output.html import write_board_html
    from targetqa.output.rows_csv import write_csv
    from targetqa.output.xlsx import write_board_xlsx

    unwritten = write_outputs([
        (csv, lambda: write_csv(csv, *_with_coverage(ranking_columns(board), ranking_records(board), board))),
        (xlsx, lambda: write_board_xlsx(xlsx, board)),
        (html, lambda: write_board_html(html, board)),
    ])
    err(f"{board.note}；数据库 {db_path}；用时 {run.seconds['total']:.1f} 秒")
    if run.failures or unwritten:
        raise typer.Exit(2)
    exit_for_findings((f for r in run.results for f in r.findings), run_settings.fail_level, exit_zero)
