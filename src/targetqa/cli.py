"""The `targetqa` command line (typer). Help and messages are in Chinese; option names in English.

Exit codes follow ruff: 0 nothing at or above the fail level, 1 findings, 2 usage error or an
input that could not be read. Heavy modules are imported inside the commands so that
`targetqa --help` and `targetqa rules` start instantly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from targetqa import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="targetqa：检查部门预算/决算绩效目标表的质量（复制粘贴、模板化、单位与数值矛盾等），给报告打分并排名。",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _err(message: str) -> None:
    print(f"targetqa: {message}", file=sys.stderr)


def _version(value: bool) -> None:
    if value:
        print(f"targetqa {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = None,
) -> None:
    """targetqa：绩效目标表质量检查。"""


def load_all(paths: list[str]) -> tuple[list, int]:
    """Read every report; print one line per unreadable file and go on with the others."""
    from targetqa.files import expand
    from targetqa.ingest import load
    from targetqa.model import InputError

    files = expand(paths)
    if not files:
        _err("没有找到任何报告文件：" + "、".join(paths))
        return [], 1
    docs = []
    failed = 0
    for path in files:
        try:
            docs.append(load(path))
        except InputError as exc:
            _err(f"{path}: {exc}")
            failed += 1
        except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the other files
            _err(f"{path}: 读取失败（内部错误：{type(exc).__name__}: {exc}）")
            failed += 1
    return docs, failed


def _check_output(path: Optional[Path], inputs: list[str]) -> None:
    """Never write over an input file: the user named the output, but maybe by a slip."""
    if path is None:
        return
    resolved = path.resolve()
    for raw in inputs:
        p = Path(raw)
        if p.exists() and p.is_file() and p.resolve() == resolved:
            _err(f"输出文件 {path} 与输入文件相同，已拒绝覆盖")
            raise typer.Exit(2)
    if path.exists() and path.is_dir():
        _err(f"输出路径 {path} 是一个目录")
        raise typer.Exit(2)


@app.command()
def extract(
    reports: Annotated[list[str], typer.Argument(help="报告文件、目录或通配符（.txt .docx .pdf .xlsx）。")],
    csv: Annotated[Optional[Path], typer.Option("--csv", help="把全部指标行写入 CSV（UTF-8 带 BOM）。")] = None,
    json: Annotated[Optional[Path], typer.Option("--json", help="把表格和指标行写入 JSON。")] = None,
) -> None:
    """只抽取绩效目标表和指标行（不做评判），输出为数据。"""
    for out in (csv, json):
        _check_output(out, reports)
    docs, failed = load_all(reports)
    from targetqa.output.rows_csv import EXTRACT_COLUMNS, row_records, write_csv, write_json

    if csv:
        write_csv(csv, EXTRACT_COLUMNS, row_records(docs))
    if json:
        from targetqa.output.docjson import documents_payload

        write_json(json, documents_payload(docs))
    if not csv and not json:
        from targetqa.output.console import print_extract_summary

        print_extract_summary(docs)
    if failed:
        raise typer.Exit(2)


def run() -> None:
    app()
