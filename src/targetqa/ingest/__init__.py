"""Read a report file of any supported format into a `Document` (lines, tables, facts)."""

from __future__ import annotations

from pathlib import Path

from targetqa.extract import extract_lines
from targetqa.files import open_regular
from targetqa.guard import os_reason
from targetqa.ingest.clean import clean_text
from targetqa.ingest.decode import decode_bytes
from targetqa.limits import limit, megabytes, over
from targetqa.model import Document, InputError


def sniff(data: bytes) -> str:
    """The format by content, not by extension: a renamed file is still read right."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # .doc / .xls / .wps of old Office versions
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(b"PK\x03\x04"):
        head = data[:200000]
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
        return "zip"
    return "txt"


def read_bounded(path: str | Path, limit: int | None = None) -> bytes:
    """The file's bytes; refused once more than `limit` bytes were actually read (not st_size)."""
    limit = megabytes("file_mb") if limit is None else limit
    with open_regular(path) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(f"读取中断（{os_reason(exc)}）") from None
    if len(data) > limit:
        raise over("file_mb", "文件过大", f"已读取超过 {limit / (1024 * 1024):g}", " MB")
    return data


def load(path: str | Path) -> Document:
    """Read and extract one report; raise InputError (Chinese reason) if it cannot be read.

    Reading stops after the time limit (`TARGETQA_MAX_SECONDS`) where a timer can be used."""
    from targetqa.workers import TimeLimit, time_limit

    try:
        with time_limit(limit("seconds")):
            return _load(path)
    except TimeLimit:
        raise over("seconds", "读取超时", f"超过 {limit('seconds')}", " 秒") from None


def _load(path: str | Path) -> Document:
    p = Path(path)
    data = read_bounded(p)
    fmt = sniff(data)
    if fmt == "txt":
        text, _ = decode_bytes(data)
        doc = Document(path=str(path), lines=clean_text(text), fmt="txt")
        return extract_lines(doc)
    if fmt == "zip":
        raise InputError("压缩包既不是 DOCX 也不是 XLSX 文档")
    if fmt == "ole":
        raise InputError("这是旧版 Office 二进制文件（.doc/.xls/.wps），请另存为 .docx 或 .xlsx 后再检查")
    if fmt == "rtf":
        raise InputError("这是 RTF 文件，请另存为 .docx 或 UTF-8 文本后再检查")
    from targetqa.ingest import (
        office,  # lazy: python-docx, openpyxl, pdfplumber are slow to import
    )

    return office.load(p, data, fmt)
