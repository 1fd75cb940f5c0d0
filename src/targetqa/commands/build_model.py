"""`targetqa build-model`: rebuild the reference statistics shipped in models/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def build_model(
    corpus: Annotated[list[str], typer.Argument(help="语料：报告文件、目录或通配符。")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出目录（默认 models/）。")] = Path("models"),
) -> None:
    """用真实报告语料重建随附的参考统计（模板行频率、向量器、二级指标分类器）。"""
    typer.echo("targetqa: build-model 尚未实现", err=True)
    raise typer.Exit(2)
