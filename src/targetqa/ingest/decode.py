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


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese report is made of: CJK, ASCII text, CJK punctuation."""
    if not text:
        return 0.0
    ok = 0
    for ch in text:
        if ch.isascii():
            ok += ch.isprintable() or ch in "\t\r\n"
        else:
            ok += "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’—…·≥≤×√"
    return ok / len(text)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: decode a sample both ways and keep the reading that is plausible text.

    A NUL-share test alone misses CJK-heavy text, where few code units have a zero byte.
    """
    sample = data[:8000]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) - len(sample) % 2]
    best, best_share = None, 0.0
    for enc in ("utf-16-le", "utf-16-be"):
        text = sample.decode(enc, errors="replace")
        share = _plausible_share(text)
        if share > best_share:
            best, best_share = enc, share
    if best is None or best_share < 0.9:
        return None
    try:
        data[: len(data) - len(data) % 2].decode(best)
    except UnicodeDecodeError:
        return None
    return best


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    letters = [c for c in sample if not c.isspace() and not c.isascii()]
    if not letters:
        return 1.0
    return sum(1 for c in letters if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef") / len(letters)


_CUT = ("unexpected end of data", "truncated data", "incomplete multibyte sequence")


def _decode(data: bytes, enc: str) -> str:
    """Decode strictly; a file cut inside its last character (a truncated download, an odd
    number of UTF-16 bytes) keeps what is whole, in every encoding alike."""
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        if exc.reason in _CUT and exc.start >= len(data) - 4:
            return data[: exc.start].decode(enc)
        raise


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise InputError with the reason in Chinese."""
    if not data.strip():
        raise InputError("文件为空")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _decode(data, enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(f"文件声明为 {enc} 编码但内容无法按该编码解码（位置 {exc.start}）") from None
    enc16 = _looks_utf16(data)
    if enc16:
        try:
            return _decode(data, enc16), enc16
        except UnicodeDecodeError as exc:
            raise InputError(f"文件像是 {enc16.upper()} 编码（无 BOM），但第 {exc.start} 字节处无法按该编码解码") from None
    if b"\x00" in data[:8000]:
        raise InputError("文件是二进制数据，不是文本报告")
    try:
        return _decode(data, "utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = _decode(data, "gb18030")
        except UnicodeDecodeError:
            raise InputError(
                f"无法识别的字符编码（既不是 UTF-8、GB18030/GBK，也不是 UTF-16；第 {utf8_error.start} 字节处无法解码）"
            ) from None
        # GB18030 decodes almost any byte soup; real Chinese text is mostly common CJK.
        if _cjk_share(text) < 0.6:
            raise InputError("无法识别的字符编码（按 GB18030 解码后不是可读的中文）")
        return text, "gb18030"
