"""Turn the bytes of a text report into str without asking the user for the encoding.

Reports arrive as UTF-8 (with or without BOM), GB18030/GBK from older Windows tools, or UTF-16
from Word's "save as text". A wrong guess silently garbles every row, so each candidate must
decode strictly; anything that decodes under none of them is refused with a reason.
"""

from __future__ import annotations

import codecs

from targetqa.model import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: one byte of each pair is NUL for ASCII, rarely for CJK; check both."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) / 2
    for enc, nul in (("utf-16-le", odd_nul), ("utf-16-be", even_nul)):
        if nul > half * 0.2:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            cjk = sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff")
            if cjk or nul > half * 0.6:
                return enc
    return None


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    letters = [c for c in sample if not c.isspace() and not c.isascii()]
    if not letters:
        return 1.0
    return sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef") / len(letters)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise InputError with the reason in Chinese."""
    if not data.strip():
        raise InputError("文件为空")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(f"文件声明为 {enc} 编码但内容无法按该编码解码（位置 {exc.start}）") from None
    enc16 = _looks_utf16(data)
    if enc16:
        return data.decode(enc16), enc16
    if b"\x00" in data[:8000]:
        raise InputError("文件是二进制数据，不是文本报告")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                f"无法识别的字符编码（既不是 UTF-8、GB18030/GBK，也不是 UTF-16；第 {utf8_error.start} 字节处无法解码）"
            ) from None
        # GB18030 decodes almost any byte soup; real Chinese text is mostly common CJK.
        if _cjk_share(text) < 0.6:
            raise InputError("无法识别的字符编码（按 GB18030 解码后不是可读的中文）")
        return text, "gb18030"
