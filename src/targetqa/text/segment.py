"""Word segmentation: jieba 0.42.1 with the domain dictionary shipped in `targetqa/data/userdict.txt`.

The segmenter is built once per process, on first use. jieba's own dictionary takes ~0.6 s to
build and ~0.4 s to load from its marshal cache; the cache goes to the user cache directory
(`caches.user_cache_dir`), never into the repository or the package.

rjieba (jieba-rs, a normal dependency) loads in ~0.1 s and is the default. It is used only
because, and only as long as, `tests/test_tokens_backend.py` proves that its tokens — after the
one post-processing step below — equal jieba's on every line of corpora/. jieba stays the
reference and the fallback: it is used when rjieba cannot be imported (a platform without its
wheel) or when `TARGETQA_SEGMENTER=jieba` asks for it.

A process that needs a few segmentations may borrow another's segmenter instead of building
its own (`borrow`, `answer`): the leaderboard after one changed file asks the process that
parsed the file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from importlib import resources

from targetqa import rx

JIEBA_VERSION = "0.42.1"
_LOCK = threading.Lock()
_CUT: Callable[[str], list[str]] | None = None
_BACKEND = ""

# jieba's HMM fallback (finalseg) splits a run of non-Chinese characters that is not a dictionary
# word with this pattern: '203-0403-JBN' → '203' '-' '0403' '-' 'JBN'. jieba-rs keeps such a run
# whole; re-split it.
_RE_SKIP = rx.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_HAN = rx.compile(r"[\u4E00-\u9FD5]")
_WORD = rx.compile(r"[\u4E00-\u9FD5a-zA-Z0-9#%]")


def _userdict_bytes() -> bytes:
    return resources.files("targetqa").joinpath("data", "userdict.txt").read_bytes()


def userdict_sha256() -> str:
    """Identifies the dictionary the reference statistics were built with (see compare/reference.py)."""
    import hashlib

    return hashlib.sha256(_userdict_bytes()).hexdigest()


def userdict_entries() -> list[tuple[str, int, str | None]]:
    """(word, freq, tag) of the domain dictionary; every entry has an explicit frequency so that
    jieba and rjieba give the words exactly the same weight."""
    text = _userdict_bytes().decode("utf-8")
    out: list[tuple[str, int, str | None]] = []
    for line in text.splitlines():
        parts = line.strip().split()
        if not parts or parts[0].startswith("#"):
            continue
        out.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None))
    return out


def _jieba_cut() -> Callable[[str], list[str]]:
    import logging

    import jieba

    jieba.setLogLevel(logging.CRITICAL + 1)  # no 'Building prefix dict…' chatter on stderr
    from targetqa.caches import folder

    tk = jieba.Tokenizer()
    tk.tmp_dir = folder()  # None (no writable cache folder): jieba builds the dict each time
    tk.cache_file = f"jieba-{JIEBA_VERSION}.cache"
    tk.initialize()
    for word, freq, tag in userdict_entries():
        tk.add_word(word, freq, tag)

    def cut(text: str) -> list[str]:
        return list(tk.cut(text, HMM=True))

    return cut


def _rjieba_cut(fresh: bool = False) -> Callable[[str], list[str]]:
    import rjieba

    # rjieba builds a default segmenter at import (~0.1 s); a second one would cost as much again.
    seg = rjieba.Jieba() if fresh else rjieba._DEFAULT_JIEBA
    for word, freq, tag in userdict_entries():
        seg.add_word(word, freq, tag)

    has_word = seg.has_word  # dictionary words such as 'C#' stay whole, as in jieba

    def cut(text: str) -> list[str]:
        out: list[str] = []
        for tok in seg.cut(text, True):
            if len(tok) > 1 and not _HAN.search(tok) and not tok.isspace() and not has_word(tok):
                out.extend(p for p in _RE_SKIP.split(tok) if p)
            else:
                out.append(tok)
        return out

    return cut


def backend(name: str | None = None) -> Callable[[str], list[str]]:
    """A cut function for the named backend ('jieba' or 'rjieba'), built fresh (for tests)."""
    return _rjieba_cut(fresh=True) if name == "rjieba" else _jieba_cut()


def _choose() -> tuple[str, Callable[[str], list[str]]]:
    wanted = os.environ.get("TARGETQA_SEGMENTER", "auto").strip().lower()
    if wanted in ("auto", "rjieba"):
        try:
            return "rjieba", _rjieba_cut()
        except ImportError:
            pass
    return "jieba", _jieba_cut()


def backend_name() -> str:
    _ensure()
    return _BACKEND


def _ensure() -> Callable[[str], list[str]]:
    global _CUT, _BACKEND
    if _CUT is None:
        with _LOCK:
            if _CUT is None:
                _BACKEND, _CUT = _choose()
    return _CUT


def answer(request: str) -> str:
    """The tokens of `request` (`cut`) as JSON: what a process that has built the segmenter
    answers another that borrows it (`borrow`)."""
    import json

    return json.dumps(cut(request), ensure_ascii=False)


BORROWED_CALLS = 1000  # then the dictionary is built here after all: each call costs a round trip


def borrow(ask: Callable[[str], str] | None) -> None:
    """Segment through `ask` (another process's `answer`, e.g. `workers.Pending.ask`) rather
    than build the dictionary here (~0.08 s): a leaderboard run after one changed file needs a
    few dozen segmentations, and the process that parsed the file has the dictionary built.
    After BORROWED_CALLS calls, or once `ask` fails, the dictionary is built here after all;
    `borrow(None)` gives it back. Where the dictionary is built already, it is used."""
    global _CUT
    with _LOCK:
        if ask is None:
            if getattr(_CUT, "borrowed", False):
                _CUT = None
            return
        if _CUT is not None:
            return
        import json

        calls = 0
        known: dict[str, list[str]] = {}

        def borrowed(text: str) -> list[str]:
            nonlocal calls
            global _CUT
            if text in known:
                return list(known[text])
            calls += 1
            if calls <= BORROWED_CALLS:
                try:
                    known[text] = json.loads(ask(text))
                    return list(known[text])
                except (RuntimeError, OSError, ValueError):  # the other process has gone: segment here
                    pass
            with _LOCK:
                if _CUT is borrowed:
                    _CUT = None
            return _ensure()(text)

        borrowed.borrowed = True  # type: ignore[attr-defined]
        _CUT = borrowed


def cut(text: str) -> list[str]:
    """All tokens, as jieba.cut(text, HMM=True) gives them (whitespace and punctuation included)."""
    return _ensure()(text)


def words(text: str) -> list[str]:
    """Tokens that carry meaning: no whitespace, no punctuation-only tokens."""
    return [t for t in _ensure()(text) if _WORD.search(t)]
