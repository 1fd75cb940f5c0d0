"""What the commands share: one-line errors, output-path checks and the run's settings.

cli.py and the modules under commands/ import this; nothing here imports a command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer


def err(message: str) -> None:
    print(f"targetqa: {message}", file=sys.stderr)


def check_output(path: Optional[Path], inputs: list[str]) -> None:
    """Never write over an input file: the user named the output, but maybe by a slip."""
    if path is None:
        return
    resolved = path.resolve()
    for raw in inputs:
        p = Path(raw)
        if p.exists() and p.is_file() and p.resolve() == resolved:
            err(f"输出文件 {path} 与输入文件相同，已拒绝覆盖")
            raise typer.Exit(2)
    if path.exists() and path.is_dir():
        err(f"输出路径 {path} 是一个目录")
        raise typer.Exit(2)


def prepare_output(path: Optional[Path], inputs: list[str]) -> None:
    """check_output, then create the folder the output goes to."""
    check_output(path, inputs)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


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
