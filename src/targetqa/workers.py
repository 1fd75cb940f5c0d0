"""Ceilings on the work one file may cause, beyond what its declared sizes allow to check.

- `time_limit`: reading one file stops after `TARGETQA_MAX_SECONDS` (wall clock, a timer signal
  in the main thread of the process that reads it; elsewhere the limit is not applied);
- `worker_init`, run in every parser process: the process dies with its parent (Linux) and may
  grow its address space by at most `TARGETQA_MAX_WORKER_MB`, so that a file that would need
  more fails with "内存不足" in its own process instead of taking the machine down;
- `in_child`: one piece of work in a forked process (with the same ceilings) while this one does
  another; `targetqa score` reads and checks a report there while it loads the comparison's
  model and segmenter here — each is ~0.13 s of a ~0.3 s run, and each holds its interpreter's
  lock, so threads could not overlap them.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar
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
    """Run in every parser process before it reads a file. Such a process reads one file after
    another: unlike the command's own process (`cli.run`), it collects its garbage as it goes."""
    import gc

    gc.enable()
    _die_with_parent()
    _cap_memory()


T = TypeVar("T")


class ChildLost(RuntimeError):
    """The forked process ended without a result (killed, out of memory, or its work raised)."""


class Pending(Generic[T]):
    """The result of `in_child`: `result()` waits for it (or returns what ran here)."""

    def __init__(self, value: T | None = None, fd: int = -1, pid: int = 0) -> None:
        self._value, self._fd, self._pid = value, fd, pid

    def result(self) -> T:
        if not self._pid:
            return self._value  # type: ignore[return-value]
        import pickle

        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            why = f"信号 {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"退出码 {os.waitstatus_to_exitcode(status)}"
            raise ChildLost(f"读取进程意外结束（{why}）")
        ok, value = pickle.loads(data)
        if not ok:
            raise ChildLost(value)
        self._value = value
        return value


def in_child(work: Callable[[], T]) -> Pending[T]:
    """Run `work` in a forked process and return at once; where there is no fork (Windows), or
    threads that a fork would leave half-held, it runs here, before returning.

    The child shares what this process has imported and built (nothing is sent to it); its result
    comes back pickled through a pipe, so it must be plain data.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return Pending(work())
    import pickle

    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(write)
        return Pending(fd=read, pid=pid)
    os.close(read)  # the child: from here on, never return into the caller's code
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it quietly; the parent reports
        worker_init()
        payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - reported by the parent, which goes on
        from targetqa.guard import reason

        payload = pickle.dumps((False, reason(exc)))
    try:
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)
