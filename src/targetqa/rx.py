"""Regular expressions compiled once per installation, the way Python keeps compiled bytecode.

Why: the package holds about 380 patterns, and compiling them took ~70 ms of every run (issue 11,
start-up): most of it in CPython's charset optimisation, which fills a range such as
`[\\u4e00-\\u9fff]` one code point at a time, in Python, for every pattern that names it. The
program `re` builds for a pattern (what `_sre.compile` takes) is kept in the user cache folder
(`caches.user_cache_dir`, as jieba's dictionary cache), in `rx-<interpreter tag>.marshal`:
written at exit by a process that compiled something new, read back by the next run, ignored
when another interpreter wrote it or it cannot be read. A pattern built from the cache is the one
`re.compile` returns; tests/test_rx.py compares their programs and their matches.

Use it as the `re` module: `rx.compile`, `rx.search`, `rx.sub`… (same signatures); flags,
`escape`, `Match` and `Pattern` are `re`'s own. A top-level module importing nothing of the
package, so that every layer can use it.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from re import (  # noqa: F401 - re-exported: rx stands in for re
    ASCII,
    DOTALL,
    IGNORECASE,
    MULTILINE,
    VERBOSE,
    A,
    I,
    M,
    Match,
    Pattern,
    S,
    X,
    error,
    escape,
)
from re import compile as _re_compile

try:  # the parts of `re` that build a program; absent or different in another interpreter
    import _sre
    from re import _compiler, _parser

    _HEADER: tuple | None = (sys.version, _sre.MAGIC, _sre.CODESIZE, sys.maxunicode)
except (ImportError, AttributeError):  # pragma: no cover - not CPython 3.11+
    _HEADER = None

MAX_KEPT = 4096  # patterns built from document text would otherwise grow the file run after run

_compiled: dict[tuple[str | bytes, int], Pattern] = {}
_programs: dict[tuple[str | bytes, int], tuple] | None = None  # loaded on first use
_new = 0


def cache_path() -> str | None:
    from targetqa.caches import user_cache_dir

    tag = sys.implementation.cache_tag
    if _HEADER is None or tag is None:
        return None
    return os.path.join(user_cache_dir(), f"rx-{tag}.marshal")


def _load() -> dict[tuple[str | bytes, int], tuple]:
    path = cache_path()
    if path is None:
        return {}
    try:
        with open(path, "rb") as fh:
            header, programs = marshal.loads(fh.read())  # marshal.load(fh) reads it in small pieces: 10x slower
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return programs if header == _HEADER and isinstance(programs, dict) else {}


def _save() -> None:
    """Write the programs of this run and the earlier ones; any failure leaves the cache as it was."""
    path = cache_path()
    if not _new or path is None or _programs is None:
        return
    from targetqa.caches import replace

    try:
        data = marshal.dumps((_HEADER, _programs))
    except ValueError:  # a value marshal cannot write: keep the cache as it is
        return
    replace(path, data)


def program(pattern: str | bytes, flags: int) -> tuple:
    """What `re._compiler.compile` hands to `_sre.compile` for this pattern, as plain values."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex, tuple(indexgroup)


def compile(pattern: str | bytes | Pattern, flags: int = 0) -> Pattern:  # noqa: A001 - re's name
    """`re.compile`, from the kept program when there is one."""
    if isinstance(pattern, Pattern):
        return pattern if not flags else _re_compile(pattern, flags)
    key = (pattern, int(flags))
    found = _compiled.get(key)
    if found is not None:
        return found
    global _programs
    if _programs is None:
        _programs = _load() if _usable() else {}
    found = _from_program(pattern, key) if _USABLE else _re_compile(pattern, flags)
    _compiled[key] = found
    return found


def _from_program(pattern: str | bytes, key: tuple[str | bytes, int]) -> Pattern:
    global _new
    assert _programs is not None
    kept = _programs.get(key)
    if kept is None:
        kept = program(pattern, key[1])  # a pattern re cannot parse raises re.error here, as re.compile does
        if len(_programs) < MAX_KEPT:
            if not _new:
                import atexit

                atexit.register(_save)
            _programs[key] = kept
            _new += 1
    return _sre.compile(pattern, *kept)


_USABLE: bool | None = None
_PROBE = r"(?P<name>[\u4e00-\u9fff]+)\s*(?:≥|>=)?\d+(?:\.\d+)?%?"


def _usable() -> bool:
    """Does this interpreter's re build patterns the way `program` takes them apart? Checked once
    on a probe (another CPython version may change its internals): if not, rx is re.compile."""
    global _USABLE
    if _USABLE is None:
        try:
            mine = _sre.compile(_PROBE, *program(_PROBE, 0))
            theirs = _re_compile(_PROBE)
            text = "培训人数 ≥95% 与 覆盖率90%"
            _USABLE = _HEADER is not None and (mine.groupindex, mine.flags, [m.span() for m in mine.finditer(text)]) == (
                theirs.groupindex, theirs.flags, [m.span() for m in theirs.finditer(text)])
        except Exception:  # noqa: BLE001 - any difference in re's internals: do without the cache
            _USABLE = False
    return _USABLE


def alternation(words: Iterable[str]) -> str:
    """`a|b|c` of the words, escaped, longest first so that a longer word wins where a shorter one
    begins it; ties in text order, so that the pattern is the same in every run (a set's order
    changes with the hash seed)."""
    return "|".join(escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def match(pattern: str | Pattern, string: str, flags: int = 0) -> Match | None:
    return compile(pattern, flags).match(string)


def fullmatch(pattern: str | Pattern, string: str, flags: int = 0) -> Match | None:
    return compile(pattern, flags).fullmatch(string)


def search(pattern: str | Pattern, string: str, flags: int = 0) -> Match | None:
    return compile(pattern, flags).search(string)


def sub(pattern: str | Pattern, repl: str | Callable[[Match], str], string: str, count: int = 0, flags: int = 0) -> str:
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern: str | Pattern, repl: str | Callable[[Match], str], string: str, count: int = 0,
         flags: int = 0) -> tuple[str, int]:
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern: str | Pattern, string: str, maxsplit: int = 0, flags: int = 0) -> list:
    return compile(pattern, flags).split(string, maxsplit)


def findall(pattern: str | Pattern, string: str, flags: int = 0) -> list:
    return compile(pattern, flags).findall(string)


def finditer(pattern: str | Pattern, string: str, flags: int = 0) -> Iterator[Match]:
    return compile(pattern, flags).finditer(string)
