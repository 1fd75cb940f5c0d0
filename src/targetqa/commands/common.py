"""What the commands share: one-line errors, reading one report, output-path checks, writing
each output on its own, and the run's settings.

cli.py and the modules under commands/ import this; nothing here imports a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

import typer

from targetqa.terminal import err


def load_one(path: Path) -> tuple[object | None, str | None]:
    """Read one report; an unreadable file gives its reason instead of raising (also in a worker)."""
    from targetqa.guard import reason
    from targetqa.ingest import load
    from targetqa.model import InputError
    from targetqa.workers import collecting

    try:
        with collecting():
            return load(path), None
    except InputError as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the other files
        return None, f"读取失败（{reason(exc)}）"


def _output_problem(out: Path, inputs: dict[tuple[int, int], Path]) -> str | None:
    """Why `out` cannot be written (None if it can): checked before any work is done.

    A missing folder is created (as `--csv out/rows.csv` in the README expects); an output that
    is an input under another name (a folder, a glob, a symbolic or hard link) is refused.
    """
    import os
    import stat
    import tempfile

    from targetqa.guard import os_reason

    try:
        st = os.stat(out)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        return "路径中有一项不是目录"
    except OSError as exc:
        return f"无法使用（{os_reason(exc)}）"
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            return "这是一个目录，不能作为输出文件"
        same = inputs.get((st.st_dev, st.st_ino))
        if same is not None:
            return f"与输入文件 {same} 是同一个文件，已拒绝覆盖"
        if not stat.S_ISREG(st.st_mode):
            return None  # /dev/stdout and the like: written as the user asked
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        return f"上级路径 {parent} 不是目录"
    except OSError as exc:
        return f"无法创建目录 {parent}（{os_reason(exc)}）"
    try:
        if st is not None:
            with open(out, "ab"):  # opens for writing without changing a byte
                pass
        else:
            with tempfile.TemporaryFile(dir=parent):
                pass
    except OSError as exc:
        return f"无法写入（{os_reason(exc)}）"
    return None


def check_outputs(outputs: list[Optional[Path]], inputs: list[Path]) -> None:
    """Before the work: every named output can be written, is no input file and is named once."""
    import os

    ids: dict[tuple[int, int], Path] = {}
    for p in inputs:
        try:
            st = os.stat(p)
        except OSError:
            continue
        ids[(st.st_dev, st.st_ino)] = p
    seen: set[str] = set()
    for out in outputs:
        if out is None:
            continue
        problem = _output_problem(out, ids)
        if problem is None and os.path.realpath(out) in seen:
            problem = "被指定为两个输出"
        if problem is not None:
            err(f"输出文件 {out}: {problem}")
            raise typer.Exit(2)
        seen.add(os.path.realpath(out))


def write_outputs(jobs: list[tuple[Optional[Path], Callable[[], object]]]) -> int:
    """Write each named output on its own: one that fails is reported, the others are still written."""
    from targetqa.guard import about, reason

    failed = 0
    for path, write in jobs:
        if path is None:
            continue
        try:
            with about(path):
                write()
        except Exception as exc:  # noqa: BLE001 - one output's failure must not cost the others
            err(f"{path}: 无法写入（{reason(exc)}）")
            failed += 1
    return failed


def _codes(values: Optional[list[str]]) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip().upper() for x in v.split(",") if x.strip())
    return out


def settings(config: Optional[Path], select: Optional[list[str]], ignore: Optional[list[str]], fail_level: Optional[str]):  # noqa: ANN201
    """The configuration file's settings overridden by the command line; exit 2 on a bad value."""
    from targetqa.catalog import unknown_codes
    from targetqa.config import SEVERITIES, ConfigError, load_settings

    try:
        result = load_settings(config)
    except ConfigError as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    if select:
        result.select = _codes(select)
    if ignore:
        result.ignore = _codes(ignore)
    if fail_level:
        if fail_level not in SEVERITIES:
            err(f"--fail-level 应为 {'/'.join(SEVERITIES)} 之一")
            raise typer.Exit(2)
        result.fail_level = fail_level
    bad = unknown_codes(result.select + result.ignore)
    if bad:
        err("未知的规则代码：" + "、".join(bad) + "（用 targetqa rules 查看全部规则）")
        raise typer.Exit(2)
    return result


def exit_for_findings(findings, fail_level: str, exit_zero: bool) -> None:  # noqa: ANN001 - Finding iterable
    """Exit 1 when a finding reaches the fail level (unless --exit-zero)."""
    order = {"info": 0, "warning": 1, "error": 2}
    worst = max((order[f.severity] for f in findings), default=-1)
    if not exit_zero and worst >= order[fail_level]:
        raise typer.Exit(1)
