"""Expand the paths a user gives (files, folders, globs) into report files, in a stable order.

A path that gives nothing, or a folder that cannot be listed, is a problem the user hears about
(one Chinese line, exit 2) while the other paths are still processed: a folder without reports,
a glob that matches no file, a subfolder without read permission.
"""

from __future__ import annotations

import functools
import glob
import os
import stat
from pathlib import Path

REPORT_SUFFIXES = (".txt", ".docx", ".pdf", ".xlsx")


def open_regular(path: str | Path):  # noqa: ANN201 - a binary file object
    """Open a report for reading, refusing what is not a regular file *before* reading it.

    A FIFO would block the run forever and /dev/zero or /dev/urandom never end (their size is
    0, so a size check passes): the file is opened without blocking and its type is checked on
    the open descriptor, so a path swapped between the check and the read is caught too.
    """
    from targetqa.guard import os_reason
    from targetqa.model import InputError

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise InputError("这是一个目录，不是报告文件") from None
    except PermissionError:
        raise InputError("没有读取权限") from None
    except OSError as exc:
        raise InputError(os_reason(exc)) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise InputError("这是一个目录，不是报告文件")
        raise InputError("不是普通文件（管道、设备或套接字），已拒绝读取")
    if flags & getattr(os, "O_NONBLOCK", 0):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


# A file changed this soon before it was read may change again with the same stat: a second
# change in the same clock tick, or the same file-system time granule (as git's "racily clean").
RACY_NS = 2_000_000_000


def stat_key(st: os.stat_result) -> str:
    """What tells a changed file from the same one without reading it: size, times and inode
    (mtime can be set back by the writer; ctime cannot)."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def settled_before(st: os.stat_result, read_ns: int) -> bool:
    """Was the file's last change more than RACY_NS before it was read at `read_ns`? Only then
    does an unchanged `stat_key` say its content is unchanged."""
    return max(st.st_mtime_ns, st.st_ctime_ns) < read_ns - RACY_NS


def _is_report_name(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES) and not name.startswith((".", "~$"))


def _walk(root: Path, problems: list[tuple[str, str]]) -> list[Path]:
    """Report files under a folder; folders that cannot be listed are problems, not crashes.

    Symbolic links to folders are followed once (a link back up the tree is not a loop).
    """
    from targetqa.guard import os_reason

    def unreadable(exc: OSError) -> None:
        problems.append((str(exc.filename or root), f"无法读取目录（{os_reason(exc)}），其中的报告未检查"))

    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError as exc:
            unreadable(exc)
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        found.extend(Path(dirpath) / name for name in filenames if _is_report_name(name))
    return sorted(found)


def _kind(p: Path) -> str:
    """'dir', 'exists' or 'missing'; a path that cannot even be looked at counts as existing, so
    that reading it gives the reason."""
    try:
        if p.is_dir():
            return "dir"
        return "exists" if p.exists() or p.is_symlink() else "missing"
    except OSError:
        return "exists"


@functools.lru_cache(maxsize=None)
def real_path(path: str) -> str:
    """The absolute path with links resolved, remembered: one run expands a folder of thousands
    of reports more than once (outputs checked against inputs, then the work)."""
    return os.path.realpath(path)


def expand_checked(paths: list[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The report files under `paths`, and (path, reason) for each path that gave none.

    Folders give every report under them; a glob gives its matches; a file stays itself, whatever
    its suffix, so that a bad file the user named is reported rather than silently skipped (a
    file whose name contains glob characters is taken as itself when it exists).
    """
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        try:
            key = real_path(str(p))
        except (OSError, RuntimeError):
            key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            found.append(p)

    for raw in paths:
        p = Path(raw)
        kind = _kind(p)
        if kind == "dir":
            before = len(problems)
            files = _walk(p, problems)
            if not files and len(problems) == before:
                problems.append((raw, "目录中没有报告文件（.txt .docx .pdf .xlsx）"))
            for child in files:
                add(child)
        elif kind == "missing" and any(ch in raw for ch in "*?["):
            matches = [Path(m) for m in sorted(glob.glob(raw, recursive=True)) if _kind(Path(m)) == "exists"]
            if not matches:
                problems.append((raw, "没有与之匹配的文件"))
            for match in matches:
                add(match)
        else:
            add(p)
    return found, problems


def expand(paths: list[str]) -> list[Path]:
    """The report files under `paths` (see `expand_checked`, which also says what gave none)."""
    return expand_checked(paths)[0]
