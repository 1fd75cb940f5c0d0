"""`targetqa build-model`: reproducible bytes, plain formats, small, and the shipped models/ match
corpora/."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CORPORA
from targetqa.cli import app

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
FILES = ("reference.json", "tfidf.json", "level2.json", "level2.npz", "rowsig.npz")


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    runner = CliRunner()
    outs = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp(name)
        result = runner.invoke(app, ["build-model", *map(str, sorted(CORPORA.glob("*.txt"))), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "已写入" in result.output
        outs.append(out)
    return outs


def test_rebuild_gives_the_same_bytes(builds):
    a, b = builds
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_plain_formats_no_pickle(builds):
    import numpy as np

    out = builds[0]
    for name in FILES:
        if name.endswith(".json"):
            json.loads((out / name).read_text(encoding="utf-8"))
        else:
            with np.load(out / name, allow_pickle=False) as z:
                assert z.files
    assert not list(out.glob("*.pkl")) and not list(out.glob("*.joblib"))


def test_shipped_models_are_small_and_built_from_the_corpus():
    size = sum((MODELS / n).stat().st_size for n in FILES)
    assert size < 4 * 1024 * 1024  # the CAT101 classifier is held out per department: it grows with them
    meta = json.loads((MODELS / "reference.json").read_text(encoding="utf-8"))["meta"]
    shipped = {f["name"]: f["sha256"] for f in meta["files"]}
    for path in sorted(CORPORA.rglob("*")):
        if path.suffix in (".txt", ".pdf"):
            assert shipped.get(path.name) == hashlib.sha256(path.read_bytes()).hexdigest(), (
                f"models/ is stale for {path.name}: run targetqa build-model corpora/ -o models/")


def test_reference_counts_departments_and_documents():
    from targetqa.compare.reference import load_reference

    ref = load_reference()
    by_name = {d.name[:3]: d.department for d in ref.docs}
    corpus = [p for p in CORPORA.rglob("*") if p.suffix in (".txt", ".pdf")]
    assert len(ref.docs) == len(corpus)
    assert by_name["000"] == by_name["002"] and by_name["000"] != by_name["001"]  # one department, two reports
    assert ref.row_signatures() is not None
    n_rows = sum(len(t.rows) for t in ref.tables)
    assert ref.row_signatures().shape == (n_rows, 64)


def test_build_model_reports_a_bad_corpus(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["build-model", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2


def test_shipped_models_match_what_the_current_code_extracts(builds):
    """The fingerprint of each document's extraction: a change in the extractor that is not
    followed by `targetqa build-model corpora/ -o models/` fails here, not silently in scores."""
    fresh = {d["name"]: d["fingerprint"] for d in json.loads((builds[0] / "reference.json").read_text(encoding="utf-8"))["docs"]}
    shipped = {d["name"]: d["fingerprint"] for d in json.loads((MODELS / "reference.json").read_text(encoding="utf-8"))["docs"]}
    for name, fingerprint in fresh.items():
        assert shipped.get(name) == fingerprint, f"models/ is stale for {name}: run targetqa build-model corpora/ -o models/"
