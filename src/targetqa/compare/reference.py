"""The reference statistics shipped in models/ and how a scored report is matched against them.

Files (all written by `targetqa build-model`, byte-identical on rerun):
- `reference.json`: the corpus documents (name, department, year, kind, fingerprint), every
  normalised row template / indicator name / word with the documents it occurs in, every
  project table (title, code, purpose, goals, row keys) and the hashes of every prose sentence;
- `tfidf.json`: the fitted vocabularies and idf weights (words and character 2–3-grams);
- `level2.json` + `level2.npz`: the CAT101 classifier (classes, coefficients), once fitted on
  all rows and once per department with that department held out.

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

from targetqa.model import Document
from targetqa.taxonomy import compact
from targetqa.text.normalize import row_key

FORMAT = 2
_LOCK = threading.Lock()
_CACHE: dict[str, Reference | None] = {}


def models_dir() -> Path:
    """$TARGETQA_MODELS, else models/ at the root of the source tree (editable install)."""
    env = os.environ.get("TARGETQA_MODELS")
    if env:
        return Path(env)
    return _source_models()


@functools.lru_cache(maxsize=1)
def _source_models() -> Path:
    """Found once per process: every document's comparison asks (a few stat calls each)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "models"
        if (candidate / "reference.json").is_file():
            return candidate
    return here.parents[3] / "models"


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
        """MinHash signatures of every reference row (models/rowsig.npz), in table/row order;
        None when missing or built with other index parameters."""
        if self.path is None:
            return None
        from targetqa.compare.tables import NUM_PERM, SEED

        p = self.path / "rowsig.npz"
        index = self.meta.get("index", {})
        if not p.is_file() or index.get("num_perm") != NUM_PERM or index.get("seed") != SEED:
            return None
        import numpy as np

        sigs = np.load(p)["signatures"]
        return sigs if len(sigs) == sum(len(t.rows) for t in self.tables) else None

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
        if data.get("format") != FORMAT:
            raise ValueError(f"models/reference.json 格式版本 {data.get('format')} 与程序（{FORMAT}）不符，请重新运行 build-model")
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


def load_reference(path: Path | None = None) -> Reference | None:
    """The shipped reference, loaded once; None when models/ has none (then only the given
    reports are compared with each other)."""
    directory = path or models_dir()
    key = str(directory)
    if key not in _CACHE:
        with _LOCK:
            if key not in _CACHE:
                p = directory / "reference.json"
                ref = None
                if p.is_file():
                    ref = Reference.from_json(json.loads(p.read_text(encoding="utf-8")), directory)
                _CACHE[key] = ref
    return _CACHE[key]


def dump_json(data: object, path: Path) -> None:
    """Stable bytes: sorted keys, no ASCII escaping, one trailing newline."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
