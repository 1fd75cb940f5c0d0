"""Ceilings on the work one file may cause, beyond what its declared sizes allow to check.

- `time_limit`: reading one file stops after `TARGETQA_MAX_SECONDS` (wall clock, a timer signal
  in the main thread of the process that reads it; elsewhere the limit is not applied);
- `worker_init`, run in every parser process: the process dies with its parent (Linux) and may
  grow its address space by at most `TARGETQA_MAX_WORKER_MB`, so that a file that would need
  more fails with "内存不足" in its own process instead of taking the machine down.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from targetqa.limits import megabytes


class TimeLimit(BaseException):
    """Raised in the reading code when its time is up. A BaseException, so that the readers'
    "one bad page must not stop the others" handlers do not swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the pool ends its workers itself
        pass


def _cap_memory() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            mapped = int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return  # no /proc: the size now is unknown, and a cap below it would break the process
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = mapped + megabytes("worker_mb")
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft == resource.RLIM_INFINITY or cap < soft:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (ValueError, OSError):  # pragma: no cover
            pass


def worker_init() -> None:
    """Run in every parser process before it reads a file."""
    _die_with_parent()
    _cap_memory()
