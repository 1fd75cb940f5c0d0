"""Ceilings on the work one file may cause, beyond what its declared sizes allow to check.

- `time_limit`: reading one file stops after `TARGETQA_MAX_SECONDS` (wall clock, a timer signal
  in the main thread of the process that reads it; elsewhere the limit is not applied);
- `worker_init`, run in every parser process: the process dies with its parent (Linux) and may
  grow its address space by at most `TARGETQA_MAX_WORKER_MB`, so that a file that would need
  more fails with "内存不足" in its own process instead of taking the machine down;
- `in_child`: one piece of work in a forked process (with the same ceilings) while this one does
  another; `targetqa score` reads and checks a report there while it loads the comparison's
  model and segmenter here — each is ~0.13 s of a ~0.3 s run, and each holds its interpreter's
  lock, so threads could not overlap them. Such a process may then answer requests with what it
  has built (`Pending.ask`): `targetqa leaderboard` after one changed file borrows the
  segmenter of the process that parsed it (`segment.borrow`) instead of building its own.
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


@contextmanager
def collecting() -> Iterator[None]:
    """The cyclic garbage collector on while one file is read: the command's process runs without
    it (`cli.run`: what a run builds lives until it ends), but reading a file makes garbage of
    its own, and a run that reads file after file here (`--jobs 1`) must not keep it all."""
    import gc

    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.collect(0)
            gc.disable()


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
    """The result of `in_child`: `result()` waits for it (or returns what ran here); a child
    given `answer` then answers requests (`ask`) until `close()`."""

    def __init__(self, value: T | None = None, fd: int = -1, pid: int = 0,
                 talk: tuple[int, int] | None = None) -> None:
        self._value, self._fd, self._pid = value, fd, pid
        self._talk = talk  # (requests to the child, its answers)

    def result(self) -> T:
        if self._fd < 0:
            return self._value  # type: ignore[return-value]
        import pickle

        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        self._fd = -1
        ok = False
        try:
            if not data:
                self.close()
                raise ChildLost(f"读取进程意外结束（{self._ended}）")
            ok, value = pickle.loads(data)
            if not ok:
                raise ChildLost(value)
        finally:
            if not ok or self._talk is None:
                self.close()
        self._value = value
        return value

    @property
    def answering(self) -> bool:
        """Whether the child is there to `ask` (its result came, and it was given `answer`)."""
        return self._talk is not None and self._fd < 0 and self._pid != 0

    def ask(self, request: str) -> str:
        """The child's `answer(request)`; ChildLost once it has gone."""
        if not self.answering:
            raise ChildLost("读取进程已结束")
        out, back = self._talk  # type: ignore[misc]
        try:
            _send(out, request.encode("utf-8"))
            return _receive(back).decode("utf-8")
        except (OSError, EOFError):
            self.close()
            raise ChildLost(f"读取进程意外结束（{self._ended}）") from None

    def close(self) -> None:
        """End the child (it ends once its requests stop) and wait for it."""
        if self._talk is not None:
            for fd in self._talk:
                os.close(fd)
            self._talk = None
        if self._pid:
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            self._ended = f"信号 {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"退出码 {os.waitstatus_to_exitcode(status)}"

    _ended = ""


def _send(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(4, "big") + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> bytes:
    size = int.from_bytes(_read_exactly(fd, 4), "big")
    return _read_exactly(fd, size)


def _read_exactly(fd: int, size: int) -> bytes:
    parts = []
    while size:
        chunk = os.read(fd, size)
        if not chunk:
            raise EOFError
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def _answer_until_closed(requests: int, answers: int, answer: Callable[[str], str]) -> None:
    while True:
        try:
            request = _receive(requests)
        except EOFError:
            return
        _send(answers, answer(request.decode("utf-8")).encode("utf-8"))


def in_child(work: Callable[[], T], answer: Callable[[str], str] | None = None) -> Pending[T]:
    """Run `work` in a forked process and return at once; where there is no fork (Windows), or
    threads that a fork would leave half-held, it runs here, before returning.

    The child shares what this process has imported and built (nothing is sent to it); its result
    comes back pickled through a pipe, so it must be plain data. With `answer`, the child then
    stays to answer requests (`Pending.ask`: text in, text out) with what it has built, until
    `Pending.close()`.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return Pending(work())
    import pickle

    read, write = os.pipe()
    talk = (os.pipe(), os.pipe()) if answer is not None else None
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(write)
        if talk is None:
            return Pending(fd=read, pid=pid)
        (asked, ask), (answered, told) = talk
        os.close(asked)
        os.close(told)
        return Pending(fd=read, pid=pid, talk=(ask, answered))
    os.close(read)  # the child: from here on, never return into the caller's code
    ok = False
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it quietly; the parent reports
        worker_init()
        payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        ok = True
    except BaseException as exc:  # noqa: BLE001 - reported by the parent, which goes on
        from targetqa.guard import reason

        payload = pickle.dumps((False, reason(exc)))
    try:
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        if talk is not None and ok:
            (asked, ask), (answered, told) = talk
            os.close(ask)
            os.close(answered)
            _answer_until_closed(asked, told, answer)  # type: ignore[arg-type]
    finally:
        os._exit(0)
