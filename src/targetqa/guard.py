"""The last line of defence: an unexpected error becomes one Chinese line and exit code 2.

Exit code 1 means "findings", so a crash must never end with it (as in ruff, an internal error
is exit 2). `about(path)` marks an exception escaping from work on one file with that file, so
that the line names it; the work on other files is guarded where it is done (one file per
reader call, per document's checks, per output), and `GuardedGroup` catches what is left over
for every command.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from typer.core import TyperGroup

try:  # typer >= 0.26 vendors click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer on top of click
    from click.exceptions import ClickException

_FILE_ATTR = "targetqa_file"


@contextmanager
def about(path: object) -> Iterator[None]:
    """Attach `path` to any exception escaping the block (the innermost file wins)."""
    try:
        yield
    except Exception as exc:
        if getattr(exc, _FILE_ATTR, None) is None:
            try:
                setattr(exc, _FILE_ATTR, str(path))
            except (AttributeError, TypeError):  # an exception type that takes no attributes
                pass
        raise


def os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, PermissionError):
        return "没有权限"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    known = {errno.ENOSPC: "磁盘空间不足", errno.EROFS: "文件系统只读", errno.ENOTDIR: "路径中有一项不是目录",
             errno.ENAMETOOLONG: "文件名过长", errno.ELOOP: "符号链接循环", errno.EIO: "输入输出错误"}
    return known.get(exc.errno or 0) or f"系统错误：{exc.strerror or exc}"


def reason(exc: BaseException) -> str:
    """Why, in Chinese and on one line, without a traceback."""
    if isinstance(exc, MemoryError):
        return "内存不足"
    if isinstance(exc, RecursionError):
        return "内容嵌套过深"
    if isinstance(exc, OSError):
        return os_reason(exc)
    text = " ".join(str(exc).split())
    return f"内部错误：{type(exc).__name__}" + (f": {text}" if text else "")[:160]


def describe(exc: BaseException) -> str:
    """`file: reason`, or the reason alone when no file is known."""
    where = getattr(exc, _FILE_ATTR, None)
    return f"{where}: {reason(exc)}" if where else reason(exc)


def report(exc: BaseException) -> None:
    from targetqa.terminal import err

    err(describe(exc))


def quiet_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit raises nothing more."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


class GuardedGroup(TyperGroup):
    """Every command runs under the guard: no traceback, and never exit 1 for a crash."""

    def invoke(self, ctx: typer.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except (ClickException, typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:  # output printed outside rich (`--format json | head`)
            quiet_stdout()
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            print("targetqa: 已中断", file=sys.stderr)
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - this is the guard
            report(exc)
            raise typer.Exit(2) from None
