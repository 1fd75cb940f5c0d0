"""Read a report file of any supported format into a `Document` (lines, tables, facts)."""

from __future__ import annotations

from pathlib import Path

from targetqa.extract import extract_lines
from targetqa.ingest.clean import clean_text
from targetqa.ingest.decode import decode_bytes
from targetqa.model import Document, InputError

MAX_BYTES = 200 * 1024 * 1024


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


def load(path: str | Path) -> Document:
    """Read and extract one report; raise InputError (Chinese reason) if it cannot be read."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise InputError("这是一个目录，不是报告文件")
        if size > MAX_BYTES:
            raise InputError(f"文件过大（{size // (1024 * 1024)} MB，上限 {MAX_BYTES // (1024 * 1024)} MB）")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("文件不存在") from None
    except PermissionError:
        raise InputError("没有读取权限") from None
    except IsADirectoryError:
        raise InputError("这是一个目录，不是报告文件") from None
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
    from targetqa.ingest import office  # lazy: python-docx, openpyxl, pdfplumber are slow to import

    return office.load(p, data, fmt)
