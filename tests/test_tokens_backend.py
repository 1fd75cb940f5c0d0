"""The fast backends are used only because these tests prove they give the reference's results.

- rjieba (jieba-rs) must cut every line of corpora/ — raw, and as the comparison code sees it
  (whitespace removed, numbers masked) — into exactly jieba 0.42.1's tokens, with the same domain
  dictionary. If this fails, set TARGETQA_SEGMENTER=jieba (and fix segment.py).
- The transcribed sentencizer must split every paragraph of corpora/ prose exactly as spaCy's
  sentencizer on a blank Chinese pipeline does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPORA, seed
from targetqa.text.normalize import mask_numbers
from targetqa.text.segment import backend, userdict_entries
from targetqa.text.sentences import paragraphs, split_fast, split_spacy

CORPUS_LINES = [line for p in sorted(CORPORA.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def cutters():
    return backend("jieba"), backend("rjieba")  # rjieba is a dependency: no skip


def test_rjieba_is_the_default_and_jieba_the_fallback(monkeypatch):
    import sys

    from targetqa.text import segment

    monkeypatch.delenv("TARGETQA_SEGMENTER", raising=False)
    assert segment._choose()[0] == "rjieba"
    monkeypatch.setenv("TARGETQA_SEGMENTER", "jieba")
    assert segment._choose()[0] == "jieba"
    monkeypatch.delenv("TARGETQA_SEGMENTER")
    monkeypatch.setitem(sys.modules, "rjieba", None)  # as on a platform without its wheel
    name, cut = segment._choose()
    assert name == "jieba" and "服务对象" in cut("服务对象满意度")


def test_rjieba_tokens_equal_jieba_on_all_corpus_lines(cutters):
    jieba_cut, rjieba_cut = cutters
    assert len(CORPUS_LINES) > 5000
    texts = CORPUS_LINES + [mask_numbers("".join(line.split())) for line in CORPUS_LINES]
    diff = [t for t in texts if jieba_cut(t) != rjieba_cut(t)]
    assert diff == [], f"{len(diff)} lines differ, first: {diff[:3]}"


def test_domain_dictionary_is_applied(cutters):
    for cut in cutters:
        assert "服务对象" in cut("服务对象满意度调查问卷")
        assert "预算控制数" in cut("项目预算控制数≤5万元")
        assert "立项项目" in cut("在所有立项项目中的比例")


def test_userdict_ships_with_the_package_and_has_explicit_frequencies():
    entries = userdict_entries()
    assert len(entries) >= 30
    assert all(freq > 0 for _, freq, _ in entries)


def test_jieba_cache_goes_to_the_user_cache_dir_not_the_repo():
    from targetqa.caches import user_cache_dir as cache_dir

    root = Path(__file__).resolve().parent.parent
    assert not Path(cache_dir()).resolve().is_relative_to(root)
    assert not list(root.glob("**/jieba*.cache"))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_fast_sentencizer_equals_spacy(prefix):
    doc = seed(prefix)
    paras = paragraphs(doc)
    assert paras
    for p in paras:
        assert split_fast(p.text) == split_spacy(p.text), p.text[:60]


def test_sentencizer_splits_on_semicolon_and_keeps_closing_quotes():
    text = "区管干部管理工作；区管干部管理工作。他说“好。”然后走了！"
    spans = split_spacy(text)
    assert [text[a:b] for a, b in spans] == ["区管干部管理工作；", "区管干部管理工作。", "他说“好。”", "然后走了！"]
    assert split_fast(text) == spans


def test_a_borrowed_segmenter_gives_the_tokens_of_one_built_here(monkeypatch):
    """`segment.borrow`: another process's segmenter, reached through its answers, cuts as the
    one built here; once it fails the one here takes over."""
    import json

    from conftest import seed_path
    from targetqa.text import segment

    lines = list(dict.fromkeys(ln for ln in seed_path("002").read_text(encoding="utf-8").splitlines() if ln.strip()))[:200]
    built = segment._ensure()
    here = [built(ln) for ln in lines]
    monkeypatch.setattr(segment, "_CUT", None)
    asked: list[str] = []

    def ask(text: str) -> str:  # what the lending process answers, until it goes
        asked.append(text)
        if len(asked) > 150:
            raise RuntimeError("the other process has gone")
        return json.dumps(built(text), ensure_ascii=False)

    segment.borrow(ask)
    assert segment.cut(lines[0]) == here[0] and segment.cut(lines[0]) == here[0]
    assert len(asked) == 1  # a text asked twice is asked once
    assert [segment.cut(ln) for ln in lines] == here
    assert len(asked) == 151  # the failure ended the borrowing: the rest was cut here
    assert not getattr(segment._CUT, "borrowed", False)
    segment.borrow(None)
    assert segment._CUT is not None  # built here: kept
