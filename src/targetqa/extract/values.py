"""Split an indicator value cell into operator, number and unit, keeping the text as written.

Authors write the same target many ways: `≥90%`, `≥ 90 %` over three cells, `不少于3个`,
`90%以上`, `≤34.92 万元`, `1 次/月/村`, `文字描述 按规定时间足额拨付`. Checks need the parts;
reviewers need the words they wrote, so the unit stays as typed (`百分之`, `调研次数`).
"""

from __future__ import annotations

from dataclasses import dataclass

from targetqa import rx

# Spelled operators, longest first so 不少于 wins over 少于.
OPERATOR_WORDS: dict[str, str] = {
    ">=": "≥", "≥": "≥", "不少于": "≥", "不低于": "≥", "不小于": "≥", "大于等于": "≥", "大于或等于": "≥",
    "<=": "≤", "≤": "≤", "不超过": "≤", "不高于": "≤", "不大于": "≤", "小于等于": "≤", "小于或等于": "≤",
    # typed other ways: '=>' / '≥=' (two keys pressed), ≮ / ≯ ('not less' / 'not more'), 至少, 不得…
    "=>": "≥", "≥=": "≥", "=≥": "≥", "≮": "≥", "至少": "≥", "不得低于": "≥", "不得少于": "≥",
    "=<": "≤", "≤=": "≤", "=≤": "≤", "≯": "≤", "不得超过": "≤", "不多于": "≤", "不得高于": "≤",
    "=": "=", "＝": "=", "等于": "=", "达到": "≥",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "﹥": ">",
    "<": "<", "小于": "<", "低于": "<", "少于": "<", "﹤": "<",
}
_SUFFIX_WORDS: dict[str, str] = {"以上": "≥", "及以上": "≥", "以下": "≤", "及以下": "≤", "以内": "≤", "之内": "≤",
                                  "左右": ""}  # '50人左右': about 50人, no bound said
QUALITATIVE_OPERATORS = ("文字描述", "定性")

_OP_RE = rx.alternation(OPERATOR_WORDS)
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_VALUE = rx.compile(
    rf"^(?P<op>{_OP_RE})?\s*(?P<num>±?{_NUMBER}(?:\s*[-—~～至]\s*{_NUMBER})?)\s*(?P<unit>[^\d\s≥≤=<>].*?)?\s*$"
)
# '满意度≥98%', '人数不少于3人': the indicator's name restated before the operator; the label is
# short Chinese text without digits, so a sentence with a number in it is never read as one.
_LABELLED = rx.compile(rf"^(?P<label>[\u4e00-\u9fff]{{1,8}}?)\s*(?P<rest>(?:{_OP_RE})\s*\d.*)$")
# '≥100%，全县申报救助全覆盖。': a target with its operator, then a remark after a clause break.
_REMARK = rx.compile(r"^(?P<head>[^，,；;。（(]+?)\s*[，,；;。（(](?P<remark>.*)$")
_DATE = rx.compile(r"^\d{4}\s*年|^\d{1,2}\s*月(?:底|末|份|\d{1,2}日)|^\d{4}[-./]\d{1,2}")
_MAX_UNIT_CHARS = 8
# '90%-100%': a range of percentages, the sign written on both ends
_PERCENT_RANGE = rx.compile(r"(\d)\s*[%％]\s*(?=[-—~～至]\s*\d[\d.]*\s*[%％])")
# '90%（含）以上': the bound included, which 以上 / 以下 already say
_INCLUSIVE = rx.compile(r"\s*[（(]\s*含\s*[）)]\s*(?=(?:及)?以[上下内]|$)")


@dataclass(frozen=True)
class Value:
    operator: str
    value: str
    unit: str


def normalize_operator(text: str) -> str:
    """Map a written operator (>=, 不少于, ＞) onto ≥ ≤ = > <; qualitative words are kept."""
    text = text.strip()
    if not text:
        return ""
    if text in QUALITATIVE_OPERATORS:
        return text
    return OPERATOR_WORDS.get(text, text)


def split_value(text: str) -> Value:
    """Split one written value. Text that is not a number-with-unit stays whole in `value`.

    Two common wrappings of a plain target are read through, because a reviewer reads them as
    the target they contain (and 决算 tables write most expected values this way): the
    indicator's name before the operator ('满意度≥98%') and a remark after a target with an
    operator ('≥100%，全县申报救助全覆盖。'). A remark after a bare number ('2次，上半年、下半年各一次')
    keeps the cell whole: without an operator nothing says the number is the target.
    """
    text = rx.sub(r"\s+", " ", text).strip()
    if not text:
        return Value("", "", "")
    text = _PERCENT_RANGE.sub(r"\1", _INCLUSIVE.sub("", text))
    labelled = _LABELLED.match(text)
    if labelled and not _VALUE.match(text):
        inner = split_value(labelled.group("rest"))
        if inner.operator and _is_number(inner.value):
            return inner
    remark = _REMARK.match(text)
    if remark:
        # a closing '。' alone ('≥90%。') is no remark at all
        head = split_value(remark.group("head"))
        if _is_number(head.value) and (head.operator in OPERATOR_WORDS.values() or not remark.group("remark").strip()):
            return head
    for word in QUALITATIVE_OPERATORS:
        if text.startswith(word) and len(text) > len(word):
            return Value(word, text[len(word):].strip(" ：:"), "")
    if _DATE.match(text):
        return Value("", text, "")
    match = _VALUE.match(text)
    if not match:
        return Value("", text, "")
    op = OPERATOR_WORDS.get(match.group("op") or "", "")
    unit = (match.group("unit") or "").strip()
    for word, suffix_op in sorted(_SUFFIX_WORDS.items(), key=lambda kv: -len(kv[0])):
        if unit.endswith(word):
            unit = unit[: -len(word)].strip()
            op = op or suffix_op
            break
    if len(unit) > _MAX_UNIT_CHARS or rx.search(r"[，,；;。]", unit):
        # "0.00有效改善", "2次，上半年、下半年各一次": a sentence, not a number with a unit.
        return Value(op if match.group("op") else "", text[len(match.group("op") or ""):].strip(), "") if op else Value("", text, "")
    return Value(op, match.group("num").replace(" ", ""), unit)


def _is_number(text: str) -> bool:
    return bool(rx.fullmatch(rf"{_NUMBER}(?:[-—~～至]{_NUMBER})?", text))


def number_of(text: str) -> float | None:
    """The first plain number in a cell ('1.200000', '75', '11,381.60'), or None."""
    match = rx.search(_NUMBER, text or "")
    if not match:
        return None
    try:
        return float(match.group(0).replace(",", ""))
    except ValueError:
        return None
