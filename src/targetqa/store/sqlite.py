"""SQLite schema and the reading/writing of documents, findings and scores.

Layout (schema version 1):
- schema_version(version): one row;
- meta(key, value): run state (the fingerprint of the last comparison, the targetqa version);
- reports: one row per report file: absolute path (unique), content hash (sha256), size, the
  fingerprint of the extractor that parsed it, department, department key, region, year, kind,
  format, notes, the text lines (zlib-compressed JSON), parse time;
- tables, rows, blocks, statements: the parsed document, enough to rebuild `Document`;
- failures: files that could not be read, with the reason (kept so an unchanged bad file is
  not read again, and listed on every run);
- scores, findings: the results of the last comparison over the whole store.

Everything a report owns is deleted with it (ON DELETE CASCADE), and a report is written in a
single transaction, so an interrupted run leaves either the old or the new version, never half.
Fields added to the model later that have no column yet are kept in a JSON `extra` column.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import zlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import MISSING, asdict, dataclass, fields, is_dataclass
from operator import attrgetter
from pathlib import Path

from targetqa.model import Block, Document, Finding, Row, Statement, Table
from targetqa.score import ReportScore, TableScore, tables_found

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    parser TEXT NOT NULL,
    fmt TEXT NOT NULL,
    department TEXT NOT NULL,
    department_key TEXT NOT NULL,
    region TEXT NOT NULL,
    year INTEGER,
    kind TEXT NOT NULL,
    text_ok INTEGER NOT NULL,
    notes TEXT NOT NULL,
    lines BLOB NOT NULL,
    line_count INTEGER NOT NULL,
    extra TEXT NOT NULL,
    parsed_at TEXT NOT NULL,
    parse_seconds REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_sha256 ON reports(sha256);
CREATE INDEX IF NOT EXISTS reports_department ON reports(department_key, year);
CREATE TABLE IF NOT EXISTS tables (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    table_no INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    project TEXT NOT NULL,
    project_code TEXT NOT NULL,
    budget REAL,
    budget_text TEXT NOT NULL,
    purpose TEXT NOT NULL,
    plan TEXT NOT NULL,
    plan_unit TEXT NOT NULL,
    goals TEXT NOT NULL,
    line INTEGER NOT NULL,
    page INTEGER,
    unparsed TEXT NOT NULL,
    extra TEXT NOT NULL,
    UNIQUE (report_id, seq)
);
CREATE TABLE IF NOT EXISTS rows (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    table_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    level1 TEXT NOT NULL,
    level2 TEXT NOT NULL,
    level3 TEXT NOT NULL,
    description TEXT NOT NULL,
    operator TEXT NOT NULL,
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    basis TEXT NOT NULL,
    expected TEXT NOT NULL,
    actual TEXT NOT NULL,
    line INTEGER NOT NULL,
    page INTEGER,
    row_no INTEGER NOT NULL,
    value_text TEXT NOT NULL,
    extra TEXT NOT NULL,
    UNIQUE (report_id, table_seq, seq)
);
CREATE INDEX IF NOT EXISTS rows_table ON rows(table_id);
CREATE TABLE IF NOT EXISTS blocks (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    line INTEGER NOT NULL,
    page INTEGER,
    extra TEXT NOT NULL,
    PRIMARY KEY (report_id, seq)
);
CREATE TABLE IF NOT EXISTS statements (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    projects INTEGER,
    amount REAL,
    text TEXT NOT NULL,
    line INTEGER NOT NULL,
    extra TEXT NOT NULL,
    PRIMARY KEY (report_id, seq)
);
CREATE TABLE IF NOT EXISTS failures (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    parser TEXT NOT NULL,
    error TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS scores (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    score REAL,
    rows INTEGER NOT NULL,
    tables INTEGER NOT NULL,
    families TEXT NOT NULL,
    table_scores TEXT NOT NULL,
    reason TEXT NOT NULL,
    rules TEXT NOT NULL,
    scored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    family TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    evidence TEXT NOT NULL,
    table_no INTEGER,
    row_no INTEGER,
    line INTEGER,
    page INTEGER,
    project TEXT NOT NULL,
    table_seq INTEGER,
    row_seq INTEGER,
    row_cells TEXT,
    file TEXT NOT NULL,
    department TEXT NOT NULL,
    year INTEGER,
    extra TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS findings_report ON findings(report_id);
CREATE INDEX IF NOT EXISTS findings_code ON findings(code);
""" + "\n"

# Added within schema version 1 (created on open when missing): what was found in one document
# alone, for every rule, by the code whose fingerprint is `analysis` (compare/perdoc.py).
# doc_findings also keeps the document's comparison summary (compare/perdoc.py), and
# cross_findings the findings of the comparison across documents and the copies found (table
# seq, path of the other report, its table seq), as of the last comparison (meta cross_state,
# cross_docs): a later run recomputes them only for the reports a change can reach.
# file_stats: each file's size, times and inode when it was last hashed, so that a run hashes
# only files whose stat changed (as git's index does). key_signatures: the MinHash signature of
# each row key the comparison has indexed, by the code whose fingerprint is `analysis`.
_DOC_FINDINGS = """
CREATE TABLE IF NOT EXISTS doc_findings (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    analysis TEXT NOT NULL,
    findings BLOB NOT NULL,
    summary BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS cross_findings (
    report_id INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    findings BLOB NOT NULL,
    copies TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS file_stats (
    path TEXT PRIMARY KEY,
    stat TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    hashed_ns INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS key_signatures (
    key TEXT PRIMARY KEY,
    analysis TEXT NOT NULL,
    signature BLOB NOT NULL
)
"""
_ADDED_TABLES = {"doc_findings", "cross_findings", "file_stats", "key_signatures"}

_DOC_COLS = {"path", "department", "region", "year", "kind", "tables", "blocks", "statements", "lines", "fmt", "notes", "text_ok"}
_TABLE_COLS = ["table_no", "kind", "title", "project", "project_code", "budget", "budget_text", "purpose",
               "plan", "plan_unit", "goals", "line", "page", "unparsed"]
_ROW_COLS = ["level1", "level2", "level3", "description", "operator", "value", "unit", "basis",
             "expected", "actual", "line", "page", "row_no", "value_text"]
_BLOCK_COLS = ["text", "line", "page"]
_STATEMENT_COLS = ["projects", "amount", "text", "line"]
_ROW_GET = attrgetter(*_ROW_COLS)
_FINDING_COLS = ["code", "name", "family", "severity", "message", "evidence", "table_no", "row_no", "line",
                 "page", "project", "file", "department", "year"]


class StoreError(Exception):
    """The database cannot be used; the message (Chinese) says why."""


@dataclass
class StoredReport:
    id: int
    path: str
    sha256: str
    parser: str
    department: str
    department_key: str
    region: str
    year: int | None
    kind: str
    parsed_at: str
    parse_seconds: float


def default_db_path() -> Path:
    """$TARGETQA_DB, else leaderboard.sqlite3 in the user data folder (platformdirs)."""
    env = os.environ.get("TARGETQA_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("targetqa", appauthor=False) / "leaderboard.sqlite3"


def _jsonable(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=_jsonable, separators=(",", ":"))


_EXTRA_FIELDS: dict[tuple[type, tuple[str, ...]], tuple[tuple[str, object], ...]] = {}


def _extra(obj: object, known: Iterable[str]) -> str:
    """Fields of `obj` that have no column and differ from their default, as JSON ("{}" when
    there are none, the usual case: such a record is rebuilt without parsing JSON)."""
    key = (type(obj), tuple(known))
    names = _EXTRA_FIELDS.get(key)
    if names is None:
        names = _EXTRA_FIELDS[key] = tuple(
            (f.name, f.default) for f in fields(obj) if f.name not in set(key[1])  # type: ignore[arg-type]
        )
    if not names:
        return "{}"
    kept = {n: v for n, default in names if (v := getattr(obj, n)) is not default and (default is MISSING or v != default)}
    return _dumps(kept) if kept else "{}"


def _field_names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


_NAMES: dict[type, set[str]] = {}


_TUPLES: dict[type, dict[str, str]] = {}


def _tuple_fields(cls: type) -> dict[str, str]:
    """Fields typed tuple[…] ("one") or list[tuple[…]] ("list"): JSON gives lists back for them."""
    found = _TUPLES.get(cls)
    if found is None:
        import typing

        found = {}
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # noqa: BLE001 - a hint that does not resolve: values as JSON gives them
            hints = {}
        for name, hint in hints.items():
            if typing.get_origin(hint) is tuple:
                found[name] = "one"
            elif typing.get_origin(hint) is list and any(typing.get_origin(a) is tuple for a in typing.get_args(hint)):
                found[name] = "list"
        _TUPLES[cls] = found
    return found


def _build(cls: type, values: dict[str, object], extra: str) -> object:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = _field_names(cls)
    kw = {k: v for k, v in values.items() if k in names}
    if extra and extra != "{}":
        tuples = _tuple_fields(cls)
        for k, v in json.loads(extra).items():
            if k not in names:
                continue
            if isinstance(v, list) and tuples.get(k) == "one":
                v = tuple(v)
            elif isinstance(v, list) and tuples.get(k) == "list":
                v = [tuple(x) if isinstance(x, list) else x for x in v]
            kw[k] = v
    return cls(**kw)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


class Store:
    """One SQLite file (or ":memory:"). Use as a context manager or call close()."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            if self.path != ":memory:":
                self._use_wal()
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self._ensure_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"无法打开数据库 {self.path}：{_reason(exc)}") from None
        except OSError as exc:
            raise StoreError(f"无法创建数据库 {self.path}：{exc.strerror or exc}") from None

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        c = self.conn
        has = c.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
        if has:
            row = c.execute("SELECT version FROM schema_version").fetchone()
            version = row[0] if row else 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"数据库 {self.path} 由更新版本的 targetqa 创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}），"
                    "请升级 targetqa 或用 --db 指定另一个文件"
                )
            if version == SCHEMA_VERSION:
                self._add_tables()
                return
            # Older versions: migrations go here, one step at a time. Version 1 is the first.
            raise StoreError(f"数据库 {self.path} 的结构版本 {version} 无法识别，请用 --db 指定另一个文件")
        others = c.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if others:
            raise StoreError(f"{self.path} 不是 targetqa 的数据库（缺少 schema_version 表），请用 --db 指定另一个文件")
        c.execute("BEGIN IMMEDIATE")
        if c.execute("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone():
            c.execute("COMMIT")  # another run created it while this one waited for the lock
            return self._ensure_schema()
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    c.execute(statement)
            for statement in _DOC_FINDINGS.split(";"):
                c.execute(statement)
            c.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            c.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def _use_wal(self, wait: float = 30.0) -> None:
        """Write-ahead logging, so readers and one writer share the file.

        Switching the journal mode takes the whole file, and SQLite answers "locked" at once,
        without the busy timeout, while another run is creating the store: wait for it here.
        """
        deadline = time.monotonic() + wait
        while True:
            try:
                if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _add_tables(self) -> None:
        """The tables added within schema version 1, in a store made before they existed.

        Only where they are missing, and under the write lock, as the schema is created: a second
        run opening the store while the first writes waits its turn instead of failing.
        """
        have = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if _ADDED_TABLES <= have:
            return
        with self._tx():
            for statement in _DOC_FINDINGS.split(";"):
                self.conn.execute(statement)

    def _tx(self) -> _Transaction:
        return _Transaction(self.conn)

    def snapshot(self) -> _Transaction:
        """Reads inside see one state of the store, whatever other runs write meanwhile."""
        return _Transaction(self.conn, "DEFERRED")

    # -- meta ------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx():
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- reports ---------------------------------------------------------------------------

    def reports(self) -> list[StoredReport]:
        cur = self.conn.execute(
            "SELECT id, path, sha256, parser, department, department_key, region, year, kind, parsed_at, parse_seconds "
            "FROM reports ORDER BY path"
        )
        return [StoredReport(*row) for row in cur]

    def failures(self) -> dict[str, tuple[str, str, str]]:
        """path → (sha256, parser, error)."""
        return {p: (s, pa, e) for p, s, pa, e in self.conn.execute("SELECT path, sha256, parser, error FROM failures")}

    def file_stats(self) -> dict[str, tuple[str, str, int]]:
        """path -> (stat, sha256, when it was hashed in ns) of every file hashed so far."""
        return {p: (st, sha, ns) for p, st, sha, ns in self.conn.execute("SELECT path, stat, sha256, hashed_ns FROM file_stats")}

    def save_file_stats(self, items: Iterable[tuple[str, str, str, int]]) -> None:
        """(path, stat, sha256, hashed_ns) of files hashed this run."""
        with self._tx():
            self.conn.executemany("INSERT OR REPLACE INTO file_stats VALUES (?, ?, ?, ?)", list(items))

    def key_signatures(self, analysis: str) -> dict[str, bytes]:
        """row key -> its MinHash signature (bytes) as `analysis` computed it."""
        return dict(self.conn.execute("SELECT key, signature FROM key_signatures WHERE analysis = ?", (analysis,)))

    def save_key_signatures(self, analysis: str, signatures: dict[str, bytes], keep: Collection[str]) -> None:
        """Add these signatures; those of keys not in `keep` (no stored report holds them any
        more) or of other code go once they are as many as the kept ones."""
        with self._tx():
            c = self.conn
            c.executemany("INSERT OR REPLACE INTO key_signatures VALUES (?, ?, ?)",
                          [(k, analysis, sig) for k, sig in signatures.items()])
            total = c.execute("SELECT count(*) FROM key_signatures").fetchone()[0]
            if total > 2 * max(len(keep), 1000):
                stale = [(k,) for (k, a) in c.execute("SELECT key, analysis FROM key_signatures")
                         if a != analysis or k not in keep]
                c.executemany("DELETE FROM key_signatures WHERE key = ?", stale)

    def save_document(self, path: str, sha256: str, size: int, parser: str, doc: Document,
                      parse_seconds: float, department_key: str,
                      findings: list[Finding] | None = None, analysis: str = "", summary: dict | None = None) -> int:
        """Replace whatever the store holds for `path` by this document, in one transaction;
        with `findings`, also what was found in it alone (see `save_doc_findings`)."""
        c = self.conn
        with self._tx():
            c.execute("DELETE FROM reports WHERE path = ?", (path,))
            c.execute("DELETE FROM failures WHERE path = ?", (path,))
            cur = c.execute(
                "INSERT INTO reports (path, sha256, size, parser, fmt, department, department_key, region, year, kind, "
                "text_ok, notes, lines, line_count, extra, parsed_at, parse_seconds) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    path, sha256, size, parser, doc.fmt, doc.department, department_key, doc.region, doc.year,
                    doc.kind, int(bool(doc.text_ok)), _dumps(doc.notes),
                    zlib.compress(_dumps(doc.lines).encode("utf-8"), 1), len(doc.lines),
                    _extra(doc, _DOC_COLS), _now(), parse_seconds,
                ),
            )
            report_id = int(cur.lastrowid)
            for t_seq, table in enumerate(doc.tables):
                values = [getattr(table, k) for k in _TABLE_COLS]
                values[_TABLE_COLS.index("plan")] = _dumps(table.plan)
                values[_TABLE_COLS.index("goals")] = _dumps(table.goals)
                values[_TABLE_COLS.index("unparsed")] = _dumps(table.unparsed)
                cur = c.execute(
                    f"INSERT INTO tables (report_id, seq, {', '.join(_TABLE_COLS)}, extra) "
                    f"VALUES (?, ?, {', '.join('?' * len(_TABLE_COLS))}, ?)",
                    (report_id, t_seq, *values, _extra(table, [*_TABLE_COLS, "rows"])),
                )
                table_id = int(cur.lastrowid)
                c.executemany(
                    f"INSERT INTO rows (report_id, table_id, table_seq, seq, {', '.join(_ROW_COLS)}, extra) "
                    f"VALUES (?, ?, ?, ?, {', '.join('?' * len(_ROW_COLS))}, ?)",
                    [
                        (report_id, table_id, t_seq, r_seq, *_ROW_GET(row), _extra(row, _ROW_COLS))
                        for r_seq, row in enumerate(table.rows)
                    ],
                )
            c.executemany(
                "INSERT INTO blocks (report_id, seq, text, line, page, extra) VALUES (?, ?, ?, ?, ?, ?)",
                [(report_id, k, b.text, b.line, b.page, _extra(b, _BLOCK_COLS)) for k, b in enumerate(doc.blocks)],
            )
            c.executemany(
                "INSERT INTO statements (report_id, seq, projects, amount, text, line, extra) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(report_id, k, s.projects, s.amount, s.text, s.line, _extra(s, _STATEMENT_COLS))
                 for k, s in enumerate(doc.statements)],
            )
            if findings is not None and summary is not None:
                c.execute("INSERT INTO doc_findings VALUES (?, ?, ?, ?)",
                          (report_id, analysis, _pack_findings(doc, findings), _pack(summary)))
        return report_id

    def save_doc_findings(self, items: Iterable[tuple[int, Document, list[Finding], dict]], analysis: str) -> None:
        """Keep, per report id, the findings of the rules that read the document alone (all
        rules) and its comparison summary, computed by the code whose fingerprint is `analysis`."""
        with self._tx():
            present = self._present()  # another run may have replaced some
            self.conn.executemany(
                "INSERT OR REPLACE INTO doc_findings VALUES (?, ?, ?, ?)",
                [(rid, analysis, _pack_findings(doc, fs), _pack(summary)) for rid, doc, fs, summary in items
                 if rid in present],
            )

    def _present(self) -> set[int]:
        return {rid for (rid,) in self.conn.execute("SELECT id FROM reports")}

    def load_doc_findings(self, docs: dict[int, Document], analysis: str) -> dict[int, list[Finding]]:
        """The kept single-document findings of these reports, where `analysis` produced them."""
        out: dict[int, list[Finding]] = {}
        for rid, blob in self.conn.execute("SELECT report_id, findings FROM doc_findings WHERE analysis = ?", (analysis,)):
            doc = docs.get(rid)
            if doc is not None:
                out[rid] = [_finding_from(rec, doc) for rec in _unpack(blob)]
        return out

    def load_summaries(self, analysis: str) -> dict[str, tuple[int, str, dict]]:
        """path -> (report id, sha256, comparison summary) of every report whose summary
        `analysis` computed."""
        return {
            path: (rid, sha, _unpack(blob))
            for rid, path, sha, blob in self.conn.execute(
                "SELECT r.id, r.path, r.sha256, d.summary FROM doc_findings d JOIN reports r ON r.id = d.report_id "
                "WHERE d.analysis = ?", (analysis,))
        }

    def save_cross(self, items: Iterable[tuple[int, Document, list[Finding], list]], state: str,
                   docs: dict[str, str], replace_all: bool, read: str | None = None) -> None:
        """Keep the cross-document findings and copies of these reports, and what they were
        computed for: `state` (code and rules) and `docs` (path -> sha256 of every report).
        Without `replace_all`, the others' are kept from the comparison recorded as `read` (meta
        cross_docs when this run read the store); if another run has recorded one since, the
        mix is not trusted: the next run compares everything again."""
        with self._tx():
            if replace_all:
                self.conn.execute("DELETE FROM cross_findings")
            present = self._present()  # another run may have replaced some
            self.conn.executemany(
                "INSERT OR REPLACE INTO cross_findings VALUES (?, ?, ?)",
                [(rid, _pack_findings(doc, fs), _dumps(copies)) for rid, doc, fs, copies in items if rid in present],
            )
            if not replace_all and self.get_meta("cross_docs") != read:
                state = ""
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('cross_state', ?)", (state,))
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('cross_docs', ?)", (_dumps(docs),))

    def load_cross(self, docs: dict[int, Document]) -> dict[int, tuple[list[Finding], list]]:
        """report id -> (cross-document findings, copies) as last kept, for these reports."""
        out = {}
        for rid, blob, copies in self.conn.execute("SELECT report_id, findings, copies FROM cross_findings"):
            doc = docs.get(rid)
            if doc is not None:
                out[rid] = ([_finding_from(rec, doc) for rec in _unpack(blob)], json.loads(copies))
        return out

    def save_failure(self, path: str, sha256: str, parser: str, error: str) -> None:
        """A file that could not be read: its old results (if any) go, the reason stays."""
        with self._tx():
            self.conn.execute("DELETE FROM reports WHERE path = ?", (path,))
            self.conn.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?)", (path, sha256, parser, error, _now()))

    def remove(self, paths: Iterable[str]) -> int:
        """Forget these files (reports and failures); returns how many reports went."""
        paths = list(paths)
        removed = 0
        with self._tx():
            for p in paths:
                removed += self.conn.execute("DELETE FROM reports WHERE path = ?", (p,)).rowcount
                self.conn.execute("DELETE FROM failures WHERE path = ?", (p,))
                self.conn.execute("DELETE FROM file_stats WHERE path = ?", (p,))
        return removed

    def load_documents(self, skip: Iterable[int] = (), with_lines: bool = True) -> dict[int, Document]:
        """Rebuild every stored document (except those in `skip`), keyed by report id; without
        `with_lines`, without the text lines (nothing but the single-document rules reads them:
        `load_lines` fetches them when needed)."""
        skip = set(skip)
        c = self.conn
        docs: dict[int, Document] = {}
        for rid, path, fmt, dept, region, year, kind, text_ok, notes, lines, extra in c.execute(
            f"SELECT id, path, fmt, department, region, year, kind, text_ok, notes, {'lines' if with_lines else 'NULL'}, "
            "extra FROM reports ORDER BY id"
        ):
            if rid in skip:
                continue
            docs[rid] = _build(Document, {
                "path": path, "fmt": fmt, "department": dept, "region": region, "year": year, "kind": kind,
                "text_ok": bool(text_ok), "notes": json.loads(notes),
                "lines": json.loads(zlib.decompress(lines).decode("utf-8")) if with_lines else [],
            }, extra)  # type: ignore[assignment]
        tables: dict[int, list[Table]] = defaultdict(list)
        for rid, *values, extra in c.execute(
            f"SELECT report_id, {', '.join(_TABLE_COLS)}, extra FROM tables ORDER BY report_id, seq"
        ):
            if rid not in docs:
                continue
            kw = dict(zip(_TABLE_COLS, values))
            kw["plan"] = [tuple(p) for p in json.loads(kw["plan"])]  # type: ignore[arg-type]
            kw["goals"] = json.loads(kw["goals"])  # type: ignore[arg-type]
            kw["unparsed"] = json.loads(kw["unparsed"])  # type: ignore[arg-type]
            table = _build(Table, kw, extra)
            docs[rid].tables.append(table)  # type: ignore[arg-type]
            tables[rid].append(table)  # type: ignore[arg-type]
        row_names = _field_names(Row)
        plain_rows = set(_ROW_COLS) <= row_names
        for rid, t_seq, *values, extra in c.execute(
            f"SELECT report_id, table_seq, {', '.join(_ROW_COLS)}, extra FROM rows ORDER BY report_id, table_seq, seq"
        ):
            ts = tables.get(rid)
            if ts is None:
                continue
            if plain_rows and extra == "{}":
                row = Row(*values) if _ROW_POSITIONAL else Row(**dict(zip(_ROW_COLS, values)))
            else:
                row = _build(Row, dict(zip(_ROW_COLS, values)), extra)  # type: ignore[assignment]
            ts[t_seq].rows.append(row)  # type: ignore[arg-type]
        for rid, text, line, page, extra in c.execute(
            "SELECT report_id, text, line, page, extra FROM blocks ORDER BY report_id, seq"
        ):
            if rid in docs:
                docs[rid].blocks.append(Block(text, line, page) if extra == "{}" else _build(Block, {"text": text, "line": line, "page": page}, extra))  # type: ignore[arg-type]
        for rid, projects, amount, text, line, extra in c.execute(
            "SELECT report_id, projects, amount, text, line, extra FROM statements ORDER BY report_id, seq"
        ):
            if rid in docs:
                docs[rid].statements.append(_build(Statement, {"projects": projects, "amount": amount, "text": text, "line": line}, extra))  # type: ignore[arg-type]
        return docs

    def load_lines(self, report_id: int) -> list[str]:
        row = self.conn.execute("SELECT lines FROM reports WHERE id = ?", (report_id,)).fetchone()
        return json.loads(zlib.decompress(row[0]).decode("utf-8")) if row else []

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("reports", "tables", "rows", "blocks", "statements", "failures", "scores", "findings")}

    # -- results ---------------------------------------------------------------------------

    def save_results(self, results: list[tuple[int, object]], rules: str, state: str,
                     only: set[int] | None = None) -> None:
        """Replace all scores and findings by this run's (ReportResult per report id), in one
        transaction; with `only`, those of these reports (the others' are the same as stored)."""
        c = self.conn
        scored_at = _now()
        with self._tx():
            if only is None:
                c.execute("DELETE FROM findings")
                c.execute("DELETE FROM scores")
            else:
                c.executemany("DELETE FROM findings WHERE report_id = ?", [(rid,) for rid in only])
                c.executemany("DELETE FROM scores WHERE report_id = ?", [(rid,) for rid in only])
                results = [(rid, r) for rid, r in results if rid in only]
            score_rows = []
            finding_rows = []
            present = {rid for (rid,) in c.execute("SELECT id FROM reports")}  # another run may have replaced some
            for rid, result in results:
                if rid not in present:
                    continue
                doc: Document = result.doc  # type: ignore[attr-defined]
                sc: ReportScore = result.score  # type: ignore[attr-defined]
                score_rows.append((
                    rid, sc.score, sc.rows, sc.tables, _dumps(sc.families),
                    _dumps([asdict(t) for t in sc.table_scores]), sc.reason, rules, scored_at,
                ))
                where = _row_positions(doc)
                for seq, f in enumerate(result.findings):  # type: ignore[attr-defined]
                    finding_rows.append((rid, seq, *_finding_record(f, where)))
            c.executemany("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", score_rows)
            c.executemany(
                f"INSERT INTO findings (report_id, seq, {', '.join(_FINDING_COLS)}, table_seq, row_seq, row_cells, extra) "
                f"VALUES (?, ?, {', '.join('?' * len(_FINDING_COLS))}, ?, ?, ?, ?)",
                finding_rows,
            )
            c.execute("INSERT OR REPLACE INTO meta VALUES ('audit_state', ?)", (state,))

    def load_scores(self, docs: dict[int, Document]) -> dict[int, ReportScore]:
        """The stored scores of those of these documents that have one."""
        out: dict[int, ReportScore] = {}
        for rid, score, rows, tables, families, table_scores, reason in self.conn.execute(
            "SELECT report_id, score, rows, tables, families, table_scores, reason FROM scores"
        ):
            if rid in docs:
                ts = [_build(TableScore, t, "{}") for t in json.loads(table_scores)]
                out[rid] = ReportScore(score, rows, tables, json.loads(families), ts, reason,  # type: ignore[arg-type]
                                       tables_found=tables_found(docs[rid]))
        return out

    def load_results(self, docs: dict[int, Document]) -> dict[int, tuple[list[Finding], ReportScore]] | None:
        """The stored findings and scores for these documents; None if any document has none."""
        scores = self.load_scores(docs)
        if set(scores) != set(docs):
            return None
        out: dict[int, tuple[list[Finding], ReportScore]] = {rid: ([], sc) for rid, sc in scores.items()}
        for rid, t_seq, r_seq, cells, extra, *values in self.conn.execute(
            f"SELECT report_id, table_seq, row_seq, row_cells, extra, {', '.join(_FINDING_COLS)} FROM findings "
            "ORDER BY report_id, seq"
        ):
            doc = docs.get(rid)
            if doc is None:
                continue
            out[rid][0].append(_finding_from([*values, t_seq, r_seq, cells, extra], doc))
        return out


def _row_positions(doc: Document) -> dict[int, tuple[int, int]]:
    return {id(row): (t_seq, r_seq) for t_seq, t in enumerate(doc.tables) for r_seq, row in enumerate(t.rows)}


def _finding_record(f: Finding, where: dict[int, tuple[int, int]]) -> tuple:
    """A finding as the values of _FINDING_COLS, then table_seq, row_seq, row_cells, extra: its
    row by position in the document, or its cells when the row is not one of the document's."""
    pos = where.get(id(f.row)) if f.row is not None else None
    cells = _dumps(asdict(f.row)) if f.row is not None and pos is None else None
    return (*(getattr(f, k) for k in _FINDING_COLS), pos[0] if pos else None, pos[1] if pos else None,
            cells, _extra(f, [*_FINDING_COLS, "row"]))


def _finding_from(record: list, doc: Document) -> Finding:
    *values, t_seq, r_seq, cells, extra = record
    kw = dict(zip(_FINDING_COLS, values))
    if t_seq is not None:
        kw["row"] = doc.tables[t_seq].rows[r_seq]
    elif cells:
        kw["row"] = _build(Row, json.loads(cells), "{}")
    if extra == "{}":  # the usual case: every column is a field (tens of thousands per leaderboard)
        return Finding(**kw)
    return _build(Finding, kw, extra)  # type: ignore[return-value]


def _pack(value: object) -> bytes:
    return zlib.compress(_dumps(value).encode("utf-8"), 1)


def _unpack(blob: bytes) -> object:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def _pack_findings(doc: Document, findings: list[Finding]) -> bytes:
    where = _row_positions(doc)
    return _pack([_finding_record(f, where) for f in findings])


_ROW_POSITIONAL = [f.name for f in fields(Row)][: len(_ROW_COLS)] == _ROW_COLS


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception (KeyboardInterrupt included)."""

    def __init__(self, conn: sqlite3.Connection, mode: str = "IMMEDIATE") -> None:
        self.conn = conn
        self.mode = mode

    def __enter__(self) -> None:
        self.conn.execute(f"BEGIN {self.mode}")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "不是 SQLite 数据库或文件已损坏"
    if "locked" in text:
        return "数据库正被另一个程序占用"
    if "readonly" in text or "read-only" in text:
        return "数据库文件只读"
    if "unable to open" in text:
        return "无法打开文件（目录不存在或没有权限）"
    return text
