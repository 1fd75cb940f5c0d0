"""`targetqa build-model`: rebuild the reference statistics shipped with the package.

Without -o it writes where `score` reads them: $TARGETQA_MODELS, else the package's own
targetqa/data/models/ (in a source checkout: src/targetqa/data/models/, see models/README.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from targetqa.commands.common import err, load_one


def build_model(
    corpus: Annotated[list[str], typer.Argument(help="语料：报告文件、目录或通配符。")],
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output",
        help="输出目录（默认：打分时读取参考统计的目录，即环境变量 TARGETQA_MODELS，未设置时为随程序安装的 targetqa/data/models/）。",
    )] = None,
) -> None:
    """用真实报告语料重建随附的参考统计（模板行频率、向量器、二级指标分类器）。"""
    import os

    from targetqa.compare.reference import models_dir
    from targetqa.files import expand_checked

    read_from = models_dir()
    output = output if output is not None else read_from
    files, problems = expand_checked(corpus)
    for where, why in problems:
        err(f"{where}: {why}（已跳过）")
    if not files:
        if not problems:
            err("没有找到任何报告文件：" + "、".join(corpus))
        raise typer.Exit(2)
    if output.exists() and not output.is_dir():
        err(f"输出路径 {output} 不是目录")
        raise typer.Exit(2)
    failed = len(problems)

    def loader(path: Path):
        nonlocal failed
        doc, error = load_one(path)
        if error is not None:
            err(f"{path}: {error}（已跳过）")
            failed += 1
        return doc

    from targetqa.compare.build import build_models

    summary = build_models(files, output, loader)
    if summary["documents"] == 0:
        err("语料中没有可读取的报告，未生成参考统计")
        raise typer.Exit(2)
    size = sum(p.stat().st_size for p in output.iterdir() if p.is_file())
    print(
        f"已写入 {output}{os.sep}：{summary['documents']} 份报告、{summary['tables']} 张项目表、{summary['rows']} 行指标、"
        f"{summary['templates']} 个行模板、{summary['sentences']} 个句子；"
        f"二级分类器 {summary.get('classifier_rows', 0)} 行 × {summary.get('features', 0)} 个特征；"
        f"共 {size / 1024:.0f} KB"
    )
    if output.resolve() != read_from.resolve():
        print(f"注意：打分读取的是 {read_from}；要使用刚写入的统计，请设置环境变量 TARGETQA_MODELS={output}")
    if failed:
        raise typer.Exit(2)
