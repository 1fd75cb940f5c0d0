"""Build the reference statistics shipped in targetqa/data/models/ from a corpus of real reports (`targetqa build-model`).

Reproducible: documents are taken in sorted order of their file names, every dict is written
with sorted keys, floats are rounded, the classifier is fitted with a fixed seed and a
deterministic solver; a rerun writes the same bytes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from targetqa.compare.reference import (
    FORMAT,
    RefDoc,
    Reference,
    RefTable,
    dump_json,
    fingerprint,
    sentence_hash,
)
from targetqa.model import Document
from targetqa.taxonomy import canonical_level2, compact
from targetqa.text.normalize import (
    mask_numbers,
    mask_project,
    row_key,
    row_template,
    row_text,
    sentence_key,
    title_project,
)
from targetqa.text.sentences import sentences


def duty_sentences(doc, sents):
    from targetqa.compare.prose import duty_sentences as _duty

    return _duty(doc, sents)
from targetqa.text.segment import words

MIN_SENTENCE = 12  # characters (after normalisation) for a sentence to be worth remembering


def name_template(level3: str, project: str) -> str:
    return mask_project(mask_numbers(compact(level3)), compact(project))


def content_words(text: str) -> list[str]:
    """Words of a name or description that can carry meaning (no masks, no single digits)."""
    return list(_content_words(text))


@lru_cache(maxsize=50000)
def _content_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in words(mask_numbers(compact(text))) if w != "#" and not w.isdigit())


def project_tables(doc: Document):
    return [t for t in doc.tables if t.rows and t.kind in ("project", "final")]


def build_reference(docs: list[tuple[str, Document, str]]) -> Reference:
    """docs: (file name, document, sha256 of the file) in a stable order."""
    ref_docs: list[RefDoc] = []
    templates: dict[str, set[int]] = defaultdict(set)
    names: dict[str, set[int]] = defaultdict(set)
    word_docs: dict[str, set[int]] = defaultdict(set)
    tables: list[RefTable] = []
    sent: dict[str, list[list[int]]] = defaultdict(list)
    files = []
    for i, (name, doc, sha) in enumerate(docs):
        ref_docs.append(RefDoc(name, compact(doc.department) or "文件:" + fingerprint(doc), doc.year, doc.kind, fingerprint(doc)))
        files.append({"name": name, "sha256": sha})
        for t in project_tables(doc):
            proj = title_project(t)
            rows = []
            for r in t.rows:
                tpl = row_template(r, proj)
                templates[tpl].add(i)
                names[name_template(r.level3, proj)].add(i)
                for w in set(content_words(r.level3) + content_words(r.description)):
                    word_docs[w].add(i)
                rows.append({
                    "key": row_key(r), "template": tpl, "level2": canonical_level2(r.level2) or "",
                    "text": row_text(r), "row_no": r.row_no, "line": r.line,
                })
            tables.append(RefTable(i, t.table_no, proj, compact(t.project), compact(t.project_code),
                                   compact(t.purpose), [compact(g) for g in t.goals], rows))
        seen: set[str] = set()
        sents = sentences(doc, spacy_backend=True)
        duty = duty_sentences(doc, sents)
        for n, s in enumerate(sents):
            key = sentence_key(s.text)
            if len(key) >= MIN_SENTENCE and key not in seen:
                seen.add(key)
                sent[sentence_hash(key)].append([i, s.line, int(n in duty)])
    return Reference(
        docs=ref_docs,
        templates={k: sorted(v) for k, v in templates.items()},
        names={k: sorted(v) for k, v in names.items()},
        words={k: sorted(v) for k, v in word_docs.items()},
        tables=tables,
        sentences=dict(sent),
        meta={"format": FORMAT, "files": files},
    )


def training_rows(docs: list[Document]) -> tuple[list[str], list[str], list[str]]:
    """(text, canonical level2, department) of every row with a known level2, for the classifier."""
    texts, labels, depts = [], [], []
    for doc in docs:
        dept = compact(doc.department) or "文件:" + fingerprint(doc)
        for t in project_tables(doc):
            for r in t.rows:
                label = canonical_level2(r.level2)
                if label:
                    texts.append(classifier_text(r))
                    labels.append(label)
                    depts.append(dept)
    return texts, labels, depts


def classifier_text(row) -> str:
    """What the level2 classifier reads: the indicator's name, description and target."""
    return " ".join(p for p in (row.level3, row.description, row.shown_value) if p)


def build_models(paths: list[Path], out: Path, loader) -> dict:
    """Load, build and write everything; returns a summary for the command to print."""
    from targetqa.compare.classify import fit_classifier
    from targetqa.text.vectors import fit_tfidf

    loaded: list[tuple[str, Document, str]] = []
    for p in sorted(paths, key=lambda x: x.name):
        doc = loader(p)
        if doc is None:
            continue
        sha = hashlib.sha256(p.read_bytes()).hexdigest()
        loaded.append((p.name, doc, sha))
    ref = build_reference(loaded)
    docs = [d for _, d, _ in loaded]
    texts, labels, depts = training_rows(docs)
    out.mkdir(parents=True, exist_ok=True)
    from targetqa.compare.classify import _save_npz
    from targetqa.compare.index import MinHashIndex
    from targetqa.compare.reference import ARTIFACTS, dependencies, file_sha256
    from targetqa.compare.tables import NUM_PERM, SEED

    keys = [mask_numbers(r["key"]) for t in ref.tables for r in t.rows]
    ref.meta.update(dependencies())
    _save_npz(out / "rowsig.npz", {"signatures": MinHashIndex(num_perm=NUM_PERM, seed=SEED).signatures(keys)})
    summary = {"documents": len(docs), "tables": len(ref.tables), "rows": sum(len(t.rows) for t in ref.tables),
               "templates": len(ref.templates), "sentences": len(ref.sentences)}
    if texts:
        tfidf, _ = fit_tfidf(texts)
        dump_json(tfidf.to_json(), out / "tfidf.json")
        info = fit_classifier(tfidf, texts, labels, depts, out)
        summary.update(info)
    # Last: reference.json names the files written with it, so a half-finished or mixed folder is refused.
    ref.meta["artifacts"] = {name: file_sha256(out / name) for name in ARTIFACTS if (out / name).is_file()}
    dump_json(ref.to_json(), out / "reference.json")
    return summary
