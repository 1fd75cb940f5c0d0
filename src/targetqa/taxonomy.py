"""The indicator taxonomy (一级 → 二级) and the spellings departments use for it.

Source: 财预〔2015〕88号 / 财预〔2020〕10号 framework and 财预〔2021〕101号 (成本指标 as a 一级 of its
own); see DOMAIN.md. Labels are matched on their compact form (no whitespace), because PDF
converters wrap them ("服务对象满\\n意度指标").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from targetqa import rx

# canonical level1 -> canonical level2 names under it
TAXONOMY: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}

# written level1 -> canonical
LEVEL1_ALIASES: dict[str, str] = {
    "产出指标": "产出指标", "产出": "产出指标", "部门产出": "产出指标", "项目产出": "产出指标",
    "效益指标": "效益指标", "效果指标": "效益指标", "效益": "效益指标", "效果": "效益指标",
    "部门效果": "效益指标", "部门效益": "效益指标", "项目效益": "效益指标",
    "满意度指标": "满意度指标", "满意度": "满意度指标",
    "成本指标": "成本指标",
}

# written level2 -> canonical
LEVEL2_ALIASES: dict[str, str] = {
    "数量指标": "数量指标", "数量": "数量指标",
    "质量指标": "质量指标", "质量": "质量指标",
    "时效指标": "时效指标", "时效": "时效指标",
    "成本指标": "成本指标", "成本": "成本指标",
    "经济效益指标": "经济效益指标", "经济效益": "经济效益指标",
    "社会效益指标": "社会效益指标", "社会效益": "社会效益指标",
    "生态效益指标": "生态效益指标", "生态效益": "生态效益指标", "环境效益指标": "生态效益指标",
    "环境效益": "生态效益指标", "生态环境效益指标": "生态效益指标",
    "可持续影响指标": "可持续影响指标", "可持续影响": "可持续影响指标",
    "服务对象满意度指标": "服务对象满意度指标", "服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标", "满意度指标": "服务对象满意度指标",
    "社会公众满意度指标": "服务对象满意度指标", "满意度": "服务对象满意度指标",
    "服务对象满意": "服务对象满意度指标",
    "经济成本指标": "经济成本指标", "社会成本指标": "社会成本指标",
    "生态环境成本指标": "生态环境成本指标", "经济成本": "经济成本指标", "社会成本": "社会成本指标",
    "生态环境成本": "生态环境成本指标", "生态成本指标": "生态环境成本指标", "生态成本": "生态环境成本指标",
}

LEVEL1_OF_LEVEL2: dict[str, str] = {l2: l1 for l1, l2s in TAXONOMY.items() for l2 in l2s}
# 成本指标 as a level2 sits under 产出 (2015 layout); as level1 it is 101号's.
LEVEL1_OF_LEVEL2["成本指标"] = "产出指标"

_SPACE = rx.compile(r"\s+")
# '績(jī)效': a mirror site's pinyin after each traditional character
# the syllable and closing bracket of a pinyin annotation: '(jī)' after '績'
PINYIN_SYLLABLE = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]"
_PINYIN = rx.compile(r"[(（]" + PINYIN_SYLLABLE)
# the form's notes after a label: 产出指标(50分), 成本指标(必填硬性指标), 时效指标(工期指标)
_NOTE = rx.compile(r"[(（][^()（）]{0,16}[)）]")
_MARKS = rx.compile(r"^[*★☆※]+")
# '一、产出指标', '1.数量指标', '2、质量指标': the label numbered as a list item
_LIST_NUMBER = rx.compile(r"^(?:[一二三四五六七八九十]{1,3}|\d{1,2})[、.．](?=[\u4e00-\u9fff])")
# Spellings of the standard level names: 产出值 / 预期产出指标 / 项目完成指标, 数量值 / 社会效益目标.
_LEVEL1_FORM = rx.compile(r"^(?:预期|项目|部门)?(产出|效益|效果|满意度|成本)(?:指标|值|目标)?$")
_LEVEL1_STEMS = {"产出": "产出指标", "效益": "效益指标", "效果": "效益指标", "满意度": "满意度指标", "成本": "成本指标"}
_LEVEL2_FORM = rx.compile(r"^(.{2,9}?)(?:指标|值|目标)$")
_LEVEL1_WORDS = {"项目完成指标": "产出指标", "完成指标": "产出指标"}
_LEVEL2_WORDS = {"预算控制指标": "成本指标", "投资规模控制指标": "成本指标", "预算控制": "成本指标"}
_T2S = None
_NOT_HAN = rx.compile(r"[^\u3400-\u9fff\uf900-\ufaff]+")


def compact(text: str) -> str:
    return _SPACE.sub("", text or "")


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """Traditional characters as simplified ones, for matching only (the text shown stays as printed)."""
    global _T2S
    if text.isascii() or not any(ord(ch) > 0x3400 for ch in text):
        return text
    try:  # characters all in the simplified set (GB2312): nothing to convert, and OpenCC (~12 ms) not loaded
        _NOT_HAN.sub("", text).encode("gb2312")
        return text
    except UnicodeEncodeError:
        pass
    if _T2S is None:
        import opencc  # loaded only when a document is written in traditional characters

        _T2S = opencc.OpenCC("t2s")
    out = _T2S.convert(text)
    return out if len(out) == len(text) else text


@lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """Text without a mirror site's pinyin and in simplified characters, for matching names."""
    return simplified(_PINYIN.sub("", text))


@lru_cache(maxsize=65536)
def fold_label(text: str) -> str:
    """A level label reduced to what it names: no spaces, notes, pinyin or traditional forms.

    '产 出 指 标 (50分)', '產(chǎn)出指標(biāo)', '一、产出指标' and '数量指标(或建筑规模指标)' all fold to the bare
    label, so every spelling a form or a mirror site produces compares equal to the standard one.
    """
    text = _LIST_NUMBER.sub("", _MARKS.sub("", plain(unicodedata.normalize("NFKC", compact(text)))))
    while True:
        stripped = _NOTE.sub("", text)
        if stripped == text:
            return text
        text = stripped


def canonical_level1(text: str) -> str | None:
    folded = fold_label(text)
    found = LEVEL1_ALIASES.get(folded) or _LEVEL1_WORDS.get(folded)
    if found:
        return found
    m = _LEVEL1_FORM.match(folded)
    return _LEVEL1_STEMS[m.group(1)] if m else None


def canonical_level2(text: str) -> str | None:
    folded = fold_label(text)
    found = LEVEL2_ALIASES.get(folded) or _LEVEL2_WORDS.get(folded)
    if found:
        return found
    m = _LEVEL2_FORM.match(folded)
    return LEVEL2_ALIASES.get(m.group(1)) if m else None


_PLACEHOLDER_MARK = rx.compile(r"[≥≤<>=＞＜*]")


def label_level(text: str) -> str:
    """'level1' or 'level2' for a level label (notes and all: '数量指标(30分)'), '' for anything
    else, a name's end that folds to a label included ('数量( ≥**个 )': a target's placeholder)."""
    if _PLACEHOLDER_MARK.search(text):
        return ""
    return "level1" if canonical_level1(text) else "level2" if canonical_level2(text) else ""


def is_standard_level1(text: str) -> bool:
    """Is the label one of the written names (spacing, notes and traditional forms aside)?

    `canonical_level1` also reads what a label stands for ('产出值', '项目完成指标'); a reviewer
    still asks for the standard name, so the structure checks use this stricter test.
    """
    return fold_label(text) in LEVEL1_ALIASES


def is_standard_level2(text: str) -> bool:
    return fold_label(text) in LEVEL2_ALIASES


def is_level2_like(text: str) -> bool:
    """A label in the 二级 column that names no standard category ('具体指标', '制度指标')."""
    folded = fold_label(text)
    if rx.search(r"[一二三]级|绩效指标", folded) or folded.count("指标") > 1:
        return False  # the form's own column names, or two labels run together
    return bool(rx.fullmatch(r"[\u4e00-\u9fff、]{2,12}指标", folded)) and canonical_level1(folded) is None


# Level labels sorted longest first, for scanning flattened PDF text.
LEVEL1_LABELS = sorted(LEVEL1_ALIASES, key=len, reverse=True)
LEVEL2_LABELS = sorted(LEVEL2_ALIASES, key=len, reverse=True)
