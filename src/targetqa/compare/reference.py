"""The reference statistics shipped with the package and how a scored report is matched against them.

They live in `targetqa/data/models/` (package data, read through importlib.resources, so an
editable install and a wheel read the same files); `$TARGETQA_MODELS` names another folder.
A missing, incomplete or stale folder raises `ModelError` (a Chinese message naming the folder
and the command that rebuilds it): results are never silently computed without the statistics.

Files (all written by `targetqa build-model`, byte-identical on rerun):
- `reference.json`: the corpus documents (name, department, year, kind, fingerprint), every
  normalised row template / indicator name / word with the documents it occurs in, every
  project table (title, code, purpose, goals, row keys) and the hashes of every prose sentence;
- `tfidf.json`: the fitted vocabularies and idf weights (words and character 2–3-grams);
- `level2.json` + `level2.npz`: the CAT101 classifier (classes, coefficients), once fitted on
  all rows and once per department with that department held out;
- `rowsig.npz`: MinHash signatures of every reference row.
`reference.json` is written last; its `meta` holds the sha256 of the other files and of what
they depend on (the segmentation dictionary, the MinHash parameters), checked on every load.

A corpus report scored against statistics built from itself would find itself everywhere; so a
report is matched to its own entry (same fingerprint, or same department, year and kind) and that
entry is left out, and counts of departments always leave out the report's own department.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from targetqa.model import Document, ModelError
from targetqa.taxonomy import compact
from targetqa.text.normalize import row_key

FORMAT = 3
_LOCK = threading.Lock()
_CACHE: dict[str, Reference] = {}


ARTIFACTS = ("tfidf.json", "level2.json", "level2.npz", "rowsig.npz")  # besides reference.json
REBUILD = "请在源代码目录运行 targetqa build-model corpora/ 重新生成"


@functools.lru_cache(maxsize=1)
def shipped_models_dir() -> Path:
    """The statistics installed with the package: targetqa/data/models (package data). Found
    once per process: every document's comparison asks."""
    from importlib import resources

    return Path(str(resources.files("targetqa").joinpath("data", "models")))


def models_dir() -> Path:
    """Where the statistics are read (and `build-model` writes): $TARGETQA_MODELS, else the package's."""
    env = os.environ.get("TARGETQA_MODELS")
    return Path(env) if env else shipped_models_dir()


def _where(directory: Path) -> str:
    env = os.environ.get("TARGETQA_MODELS")
    return f"{directory}（由环境变量 TARGETQA_MODELS 指定）" if env else str(directory)


def dependencies() -> dict:
    """What the statistics depend on besides the corpus; a model built with other values is stale."""
    from targetqa.compare.tables import NUM_PERM, SEED
    from targetqa.text.segment import JIEBA_VERSION, userdict_sha256

    return {"format": FORMAT, "index": {"num_perm": NUM_PERM, "seed": SEED, "shingle": 3},
            "jieba": JIEBA_VERSION, "userdict": userdict_sha256()}


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_models(directory: Path, data: dict) -> None:
    """Raise ModelError unless `data` (reference.json) and the files beside it belong together
    and were built by this program's format, dictionary and index parameters."""
    where = _where(directory)
    if data.get("format") != FORMAT:
        raise ModelError(f"参考统计 {where} 的格式版本（{data.get('format')}）与程序（{FORMAT}）不符，已过期：{REBUILD}")
    meta = data.get("meta", {})
    wanted = dependencies()
    for key, label in (("index", "近似重复索引参数"), ("jieba", "jieba 版本"), ("userdict", "领域分词词典")):
        if meta.get(key) != wanted[key]:
            raise ModelError(f"参考统计 {where} 生成时的{label}与当前程序不同，已过期：{REBUILD}")
    recorded = meta.get("artifacts", {})
    for name in ARTIFACTS:
        p = directory / name
        if not p.is_file():
            raise ModelError(f"参考统计 {where} 不完整，缺少 {name}：{REBUILD}")
        if recorded.get(name) != file_sha256(p):
            raise ModelError(f"参考统计 {where} 中的 {name} 与 reference.json 不是同一次生成的（已过期或被改动）：{REBUILD}")


def department_key(doc: Document) -> str:
    dept = compact(doc.department)
    return dept or "文件:" + fingerprint(doc)


def fingerprint(doc: Document) -> str:
    """Content hash of what was extracted (rows and prose), so the same report read from a
    .txt or a .docx conversion still matches when its text is the same."""
    h = hashlib.sha1()
    for t in doc.tables:
        for r in t.rows:
            h.update(row_key(r).encode("utf-8"))
            h.update(b"\n")
    for b in doc.blocks:
        h.update(compact(b.text).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def sentence_hash(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class RefDoc:
    name: str
    department: str
    year: int | None
    kind: str
    fingerprint: str


@dataclass
class RefTable:
    doc: int
    table_no: int
    title: str
    project: str
    code: str
    purpose: str
    goals: list[str]
    rows: list[dict]  # {"key", "template", "level2", "text", "row_no", "line"}


@dataclass
class Reference:
    docs: list[RefDoc]
    templates: dict[str, list[int]]  # row template -> documents it occurs in
    names: dict[str, list[int]]  # indicator-name template -> documents
    words: dict[str, list[int]]  # word of names/descriptions -> documents
    tables: list[RefTable]
    sentences: dict[str, list[list[int]]]  # sentence hash -> [[doc, line, is a duty statement], ...]
    meta: dict = field(default_factory=dict)
    path: Path | None = None
    _tfidf: object = None
    _classifier: object = None
    _row_sigs: object = field(default=None, compare=False, repr=False)  # rowsig.npz's array once read (False: none usable)
    _key_sigs: dict | None = field(default=None, compare=False, repr=False)

    # ---- identity ------------------------------------------------------------------------------

    def own_docs(self, doc: Document) -> set[int]:
        """Reference documents that are this very report (left out of every comparison)."""
        fp = fingerprint(doc)
        dept = compact(doc.department)
        out = set()
        for i, d in enumerate(self.docs):
            if d.fingerprint == fp or (dept and d.department == dept and d.year == doc.year and d.kind == doc.kind):
                out.add(i)
        return out

    def departments(self, doc_indices: list[int], exclude_dept: str) -> set[str]:
        return {self.docs[i].department for i in doc_indices if self.docs[i].department != exclude_dept}

    # ---- fitted artifacts ----------------------------------------------------------------------

    @property
    def tfidf(self):
        if self._tfidf is None and self.path is not None:
            from targetqa.text.vectors import Tfidf

            p = self.path / "tfidf.json"
            if p.is_file():
                self._tfidf = Tfidf.from_json(json.loads(p.read_text(encoding="utf-8")))
        return self._tfidf

    @property
    def classifier(self):
        if self._classifier is None and self.path is not None:
            from targetqa.compare.classify import Level2Classifier

            self._classifier = Level2Classifier.load(self.path)
        return self._classifier

    def row_signatures(self):
        """MinHash signatures of every reference row (rowsig.npz), in table/row order, read once;
        None when missing or built with other index parameters."""
        if self._row_sigs is None:
            self._row_sigs = self._read_row_signatures()
        return None if self._row_sigs is False else self._row_sigs

    def _read_row_signatures(self):  # noqa: ANN202 - a numpy array, or False
        if self.path is None:
            return False
        from targetqa.compare.tables import NUM_PERM, SEED

        p = self.path / "rowsig.npz"
        index = self.meta.get("index", {})
        if not p.is_file() or index.get("num_perm") != NUM_PERM or index.get("seed") != SEED:
            return False
        import numpy as np

        sigs = np.load(p)["signatures"]
        return sigs if len(sigs) == sum(len(t.rows) for t in self.tables) else False

    def key_signatures(self) -> dict[str, bytes]:
        """Row key -> its shipped MinHash signature, as `tables.KeySignatures` takes them."""
        if self._key_sigs is None:
            sigs = self.row_signatures()
            keys = [r["key"] for t in self.tables for r in t.rows]
            self._key_sigs = {} if sigs is None else {k: sig.tobytes() for k, sig in zip(keys, sigs)}
        return self._key_sigs

    # ---- (de)serialisation ---------------------------------------------------------------------

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "meta": self.meta,
            "docs": [vars(d) for d in self.docs],
            "templates": self.templates,
            "names": self.names,
            "words": self.words,
            "tables": [vars(t) for t in self.tables],
            "sentences": self.sentences,
        }

    @classmethod
    def from_json(cls, data: dict, path: Path | None = None) -> Reference:
        return cls(
            docs=[RefDoc(**d) for d in data["docs"]],
            templates=data["templates"],
            names=data["names"],
            words=data["words"],
            tables=[RefTable(**t) for t in data["tables"]],
            sentences=data["sentences"],
            meta=data.get("meta", {}),
            path=path,
        )


def load_reference(path: Path | None = None) -> Reference:
    """The reference statistics, loaded and checked once per folder; ModelError when they are
    missing, incomplete or stale."""
    directory = path or models_dir()
    key = str(directory)
    if key not in _CACHE:
        with _LOCK:
            if key not in _CACHE:
                p = directory / "reference.json"
                if not p.is_file():
                    raise ModelError(f"找不到参考统计 {_where(directory)}/reference.json：{REBUILD}，"
                                     "或用环境变量 TARGETQA_MODELS 指向参考统计所在的目录")
                try:
                    data = json.loads(p.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, ValueError) as exc:
                    raise ModelError(f"参考统计 {_where(directory)}/reference.json 无法读取（{exc}）：{REBUILD}") from None
                check_models(directory, data)
                _CACHE[key] = Reference.from_json(data, directory)
    return _CACHE[key]


def dump_json(data: object, path: Path) -> None:
    """Stable bytes: sorted keys, no ASCII escaping, one trailing newline."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
