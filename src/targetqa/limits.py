"""What one input file may cost, checked before the work from what the file declares.

Every limit has a default that no real report comes near and an environment variable that
changes it (a whole number; an unset, empty or invalid value keeps the default). The README's
"Limits" section lists them; `targetqa` reads them when a file is read, so a change applies to
the next run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    env: str
    default: int
    what: str  # Chinese, for messages and the README


LIMITS: dict[str, Limit] = {
    "file_mb": Limit("TARGETQA_MAX_FILE_MB", 200, "单个文件读取的字节数（MB）"),
    "unzipped_mb": Limit("TARGETQA_MAX_UNZIPPED_MB", 100, "DOCX/XLSX 压缩包解压后的总大小（MB，按文件声明计）"),
    "zip_ratio": Limit("TARGETQA_MAX_ZIP_RATIO", 100, "DOCX/XLSX 中单个部件的压缩比（超过 1 MB 的部件）"),
    "zip_members": Limit("TARGETQA_MAX_ZIP_MEMBERS", 10000, "DOCX/XLSX 压缩包中的部件数"),
    "cells": Limit("TARGETQA_MAX_CELLS", 2_000_000, "一个文件中表格单元格总数（含合并单元格展开后的位置）"),
    "rows": Limit("TARGETQA_MAX_ROWS", 200_000, "一个 XLSX 工作表的行数（含空行）"),
    "columns": Limit("TARGETQA_MAX_COLUMNS", 512, "一张表的列数（合并、跨列和空列都计入）"),
    "pdf_pages": Limit("TARGETQA_MAX_PDF_PAGES", 3000, "一个 PDF 的页数"),
    "seconds": Limit("TARGETQA_MAX_SECONDS", 600, "读取一个文件的时间（秒）"),
    "worker_mb": Limit("TARGETQA_MAX_WORKER_MB", 4096, "并行解析进程可增加的内存（MB）"),
}


def limit(name: str) -> int:
    """The current value of a limit (environment variable, else the default)."""
    spec = LIMITS[name]
    raw = os.environ.get(spec.env, "").strip()
    try:
        value = int(raw)
    except ValueError:
        return spec.default
    return value if value > 0 else spec.default


def megabytes(name: str) -> int:
    return limit(name) * 1024 * 1024


def over(name: str, text: str, found: object, unit: str = "") -> Exception:
    """The refusal of a file past a limit, saying how far past and how to raise the limit."""
    from targetqa.model import InputError

    return InputError(f"{text}（{found}{unit}，上限 {limit(name)}{unit}；可用环境变量 {LIMITS[name].env} 调整）")
