"""`targetqa build-model`: reproducible bytes, plain formats, small, written where `score` reads;
the statistics shipped in the package match corpora/; missing or stale statistics are an error."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CORPORA
from targetqa.cli import app
from targetqa.compare.reference import shipped_models_dir

MODELS = shipped_models_dir()
FILES = ("reference.json", "tfidf.json", "level2.json", "level2.npz", "rowsig.npz")
STALE = "is stale for {}: run `targetqa build-model corpora/` (it writes src/targetqa/data/models/)"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    runner = CliRunner()
    outs = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp(name)
        # "a": no -o, written where the statistics are read ($TARGETQA_MODELS); "b": -o
        args, env = (["-o", str(out)], {}) if name == "b" else ([], {"TARGETQA_MODELS": str(out)})
        result = runner.invoke(app, ["build-model", *map(str, sorted(CORPORA.glob("*.txt"))), *args], env=env)
        assert result.exit_code == 0, result.output
        assert "已写入" in result.output
        # -o elsewhere than where score reads: the command says how to use what it wrote
        assert ("TARGETQA_MODELS=" in result.output) == (name == "b")
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
                "shipped models " + STALE.format(path.name))


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
    followed by `targetqa build-model corpora/` fails here, not silently in scores."""
    fresh = {d["name"]: d["fingerprint"] for d in json.loads((builds[0] / "reference.json").read_text(encoding="utf-8"))["docs"]}
    shipped = {d["name"]: d["fingerprint"] for d in json.loads((MODELS / "reference.json").read_text(encoding="utf-8"))["docs"]}
    for name, fingerprint in fresh.items():
        assert shipped.get(name) == fingerprint, "shipped models " + STALE.format(name)


# --------------------------------------------------------------------------- missing or stale


def _score_with_models(directory: Path):
    from conftest import seed_path

    return CliRunner().invoke(app, ["score", str(seed_path("002")), "--exit-zero"], env={"TARGETQA_MODELS": str(directory)})


def test_missing_models_are_an_error_not_a_silent_change(tmp_path):
    result = _score_with_models(tmp_path / "none")
    assert result.exit_code == 2
    assert "找不到参考统计" in result.output and "TARGETQA_MODELS" in result.output and "build-model" in result.output


def test_leaderboard_with_missing_models_is_an_error_too(tmp_path):
    from conftest import seed_path

    result = CliRunner().invoke(app, ["leaderboard", str(seed_path("001")), "--db", ":memory:", "--exit-zero"],
                                env={"TARGETQA_MODELS": str(tmp_path / "none")})
    assert result.exit_code == 2
    assert "找不到参考统计" in result.output and "Traceback" not in result.output


def _copy_models(tmp_path: Path) -> Path:
    import shutil

    out = tmp_path / "m"
    shutil.copytree(MODELS, out)
    return out


@pytest.mark.parametrize("damage", ["drop-file", "other-build", "old-format", "other-dictionary"])
def test_incomplete_or_stale_models_are_an_error(tmp_path, damage):
    out = _copy_models(tmp_path)
    ref_path = out / "reference.json"
    data = json.loads(ref_path.read_text(encoding="utf-8"))
    if damage == "drop-file":
        (out / "level2.npz").unlink()
    elif damage == "other-build":
        (out / "tfidf.json").write_text((out / "tfidf.json").read_text(encoding="utf-8").replace("}", " }", 1), encoding="utf-8")
    elif damage == "old-format":
        data["format"] = 2
    else:
        data["meta"]["userdict"] = "0" * 64
    ref_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _score_with_models(out)
    assert result.exit_code == 2, result.output
    assert "参考统计" in result.output and "build-model" in result.output
    assert "Traceback" not in result.output


def test_a_copy_of_the_shipped_models_gives_the_same_findings(tmp_path):
    from conftest import seed_path

    runner = CliRunner()
    args = ["score", str(seed_path("002")), "--exit-zero", "--format", "json"]
    shipped = runner.invoke(app, args)
    copied = runner.invoke(app, args, env={"TARGETQA_MODELS": str(_copy_models(tmp_path))})
    assert shipped.exit_code == copied.exit_code == 0
    assert json.loads(shipped.stdout) == json.loads(copied.stdout)
