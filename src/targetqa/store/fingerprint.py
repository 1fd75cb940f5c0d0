"""Fingerprints of the code that produced stored data, so that stale data is never reused.

- `parser_fingerprint()`: the reading and extraction code. A stored document parsed by other
  code is parsed again.
- `analysis_fingerprint()`: everything that can change a finding or a score: the whole package
  (checks, comparison, scoring, shipped data) and the reference statistics (package data or $TARGETQA_MODELS).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import targetqa

PACKAGE = Path(targetqa.__file__).resolve().parent
# Parts of the package that do not take part in reading a report into a Document.
_NOT_PARSING = ("checks", "compare", "commands", "output", "store", "cli.py", "score.py", "pipeline.py",
                "config.py", "files.py", "identity.py")


def _digest(files: list[Path], root: Path) -> str:
    """The files' digest, kept in the user cache folder by their names, sizes and times: reading
    the package's files is ~10 ms of every leaderboard run, where their stat is ~0.5 ms (an
    installed package does not change under the same stat; a file changed right before the
    digest was kept is read again, as git's index does: `files.settled_before`)."""
    import json
    import os
    import time

    from targetqa.caches import folder, replace
    from targetqa.files import settled_before, stat_key

    try:
        stats = [(f.relative_to(root).as_posix(), f.stat()) for f in sorted(files)]
    except OSError:
        return _read_digest(files, root)
    key = hashlib.sha256("\0".join(f"{rel}:{stat_key(st)}" for rel, st in stats).encode()).hexdigest()
    where = folder()
    memo_file = os.path.join(where, "fingerprints.json") if where else None
    memo: dict[str, list] = {}
    if memo_file:
        try:
            with open(memo_file, encoding="utf-8") as fh:
                memo = json.load(fh)
            kept = memo.get(key)
            if isinstance(kept, list) and len(kept) == 2 and all(settled_before(st, kept[1]) for _, st in stats):
                return str(kept[0])
        except (OSError, ValueError, AttributeError):
            memo = {}
    now = time.time_ns()
    digest = _read_digest(files, root)
    if memo_file:
        memo = {k: v for k, v in memo.items() if isinstance(v, list)} if isinstance(memo, dict) else {}
        memo = dict(list(memo.items())[-15:])  # a few versions side by side (tests, other installs)
        memo[key] = [digest, now]
        replace(memo_file, json.dumps(memo).encode("utf-8"))
    return digest


def _read_digest(files: list[Path], root: Path) -> str:
    h = hashlib.sha256(targetqa.__version__.encode())
    for f in sorted(files):
        rel = f.relative_to(root).as_posix()
        h.update(rel.encode("utf-8") + b"\0")
        try:
            st = f.stat()
            if st.st_size > 4 * 1024 * 1024:  # large model files: size and time, not content
                h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
            else:
                h.update(f.read_bytes())
        except OSError:
            h.update(b"?")
        h.update(b"\0")
    return h.hexdigest()[:16]


def _package_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")]


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    files = [p for p in _package_files() if p.suffix == ".py" and p.relative_to(PACKAGE).parts[0] not in _NOT_PARSING]
    return _digest(files, PACKAGE)


def _models_dirs() -> list[Path]:
    """Where the comparison reads its reference statistics, unless it is inside the package
    (then the package files above already cover it)."""
    from targetqa.compare.reference import models_dir

    d = models_dir().resolve()
    return [d] if d.is_dir() and not d.is_relative_to(PACKAGE) else []


def analysis_fingerprint() -> str:
    files = [p for p in _package_files() if p.relative_to(PACKAGE).parts[0] not in ("store", "output", "commands")]
    digest = _digest(files, PACKAGE)
    for d in _models_dirs():
        digest += _digest([p for p in d.rglob("*") if p.is_file()], d)
    return hashlib.sha256(digest.encode()).hexdigest()[:16]
