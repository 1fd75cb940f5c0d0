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
    from targetqa.cli import _err, _load_one
    from targetqa.files import expand_checked

    files, problems = expand_checked(corpus)
    for where, why in problems:
        _err(f"{where}: {why}（已跳过）")
    if not files:
        if not problems:
            _err("没有找到任何报告文件：" + "、".join(corpus))
        raise typer.Exit(2)
    if output.exists() and not output.is_dir():
        _err(f"输出路径 {output} 不是目录")
        raise typer.Exit(2)
    failed = len(problems)

    def loader(path: Path):
        nonlocal failed
        doc, error = _load_one(path)
        if error is not None:
            _err(f"{path}: {error}（已跳过）")
            failed += 1
        return doc

    from targetqa.compare.build import build_models

    summary = build_models(files, output, loader)
    if summary["documents"] == 0:
        _err("语料中没有可读取的报告，未生成参考统计")
        raise typer.Exit(2)
    size = sum(p.stat().st_size for p in output.iterdir() if p.is_file())
    print(
        f"已写入 {output}/：{summary['documents']} 份报告、{summary['tables']} 张项目表、{summary['rows']} 行指标、"
        f"{summary['templates']} 个行模板、{summary['sentences']} 个句子；"
        f"二级分类器 {summary.get('classifier_rows', 0)} 行 × {summary.get('features', 0)} 个特征；"
        f"共 {size / 1024:.0f} KB"
    )
    if failed:
        raise typer.Exit(2)
