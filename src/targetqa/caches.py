"""Where targetqa keeps what it can rebuild: the user cache folder (jieba's dictionary cache, the
compiled regular expressions of `rx`, the code's digest of `store.fingerprint`), and how a file
there is written (`replace`).

The folder is platformdirs' `user_cache_dir("targetqa", appauthor=False)`, spelled out here
because importing platformdirs costs ~25 ms of a run that takes ~0.3 s (tests/test_rx.py checks
that both name the same folder). $TARGETQA_CACHE overrides it.
"""

from __future__ import annotations

import os
import sys


def user_cache_dir() -> str:
    env = os.environ.get("TARGETQA_CACHE", "").strip()
    if env:
        return env
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
        return os.path.join(base, "targetqa", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/targetqa")
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return os.path.join(base if base else os.path.expanduser("~/.cache"), "targetqa")


def folder(name: str = "") -> str | None:
    """The cache folder, or a folder `name` in it, made if missing; None where it cannot be
    (a read-only home): the caller then does without its cache."""
    path = os.path.join(user_cache_dir(), name) if name else user_cache_dir()
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return None
    return path


def replace(path: str, data: bytes) -> bool:
    """Write a cache file whole or not at all (a temporary file renamed over it: another run
    reading it meanwhile sees the old one or the new one); any failure leaves the cache as it
    was, and says False."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
