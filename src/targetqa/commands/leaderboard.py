"""`targetqa leaderboard`: score every report under the paths and rank departments."""

from __future__ import annotations

from typing import Annotated

import typer


def leaderboard(
    paths: Annotated[list[str], typer.Argument(help="报告所在的目录、文件或通配符。")],
) -> None:
    """为目录下的全部报告打分，并按部门排名。"""
    typer.echo("targetqa: leaderboard 尚未实现", err=True)
    raise typer.Exit(2)
