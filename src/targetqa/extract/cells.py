"""Cut the lines of a flattened table into the smallest pieces that can be cells ("atoms").

Real pages flatten a table in many ways: one cell per line, cells ending in ` |`, pipe rows that
drop merged and empty cells, space-separated rows whose cells hold spaces themselves, and rows
(or whole tables) run together with no separator at all. The separators a layout does give are
kept as the *glue* between atoms, so the row grammar knows how firmly two atoms are apart:

- ``blank`` a line break after a blank line: where blank lines are rare, a row boundary;
- ``line``  a line break: a cell boundary, or a cell wrapped onto the next line;
- ``wrap``  a line break inside a cell: the line opens with what never opens a cell (``、``, ``，``,
            a closing bracket) or the line above ends with what never ends one (an opening
            bracket, ``、``), as a PDF with narrow columns wraps ``保障校园环境安全`` / ``、教学工作正常运``;
- ``hard``  a pipe or a tab: always a cell boundary;
- ``space`` a run of spaces: usually a boundary, sometimes a space inside a cell;
- ``run``   a boundary the closed vocabularies show inside running text (a level label, a
            number with its unit, an operator, a date, a qualitative target such as 有所提升);
- ``split`` a weaker point inside running text: after a measure word (…覆盖率|困难群众…) or
            where a cell was printed twice without a break (名称名称).

Matching is done on a folded key (simplified characters, no pinyin annotations, NFKC), while
the atom keeps the text as printed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from targetqa import rx
from targetqa.extract.layout import is_page_debris
from targetqa.lexicon import ALL_UNITS
from targetqa.taxonomy import PINYIN_SYLLABLE, canonical_level1, simplified

# a pinyin annotation, also where a mirror turned its opening bracket into '???'
_PINYIN = rx.compile(r"(?:[(（]|\?+)" + PINYIN_SYLLABLE)

OPERATOR = r"(?:>=|<=|≥|≤|≧|≦|=|＝|﹦|>|<|＞|＜|不少于|不低于|不超过|不高于|大于等于|小于等于|大于|小于|低于|高于|±)"
# the units of `lexicon` (a compound one such as 元/人 is a unit and its PER below); longest first:
# '3个月' is three months, not three of something and a 月; '5户次' is not 5户
UNIT = "(?:" + rx.alternation(u for u in ALL_UNITS if "/" not in u) + ")"
# '780元/生/年', '17元/人.每天', '3000元/平方米': a unit divided by what it is counted per
PER = r"(?:[/.·](?:每)?(?:人|生|年|月|日|天|次|户|个|亩|平方米|株|村|辆|台|件|批|份|只|头|座|公里|km|米|m|学期|季度))*"
NUMBER = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|\*+\d+)"  # '****000': digits a republisher masked
_SUFFIX = r"(?:及以上|以上|及以下|以下|以内|之内)?"
VALUE = rf"{OPERATOR}?\s*±?{NUMBER}\s*(?:{UNIT}{PER}|{PER[:-1]}+)?{_SUFFIX}"
# '2024年12月底前', and '2024.12.31前' / '2024-12' where the month (and day) leave no doubt it is no amount
_DOTTED_DATE = r"(?:19|20)\d{2}[./-](?:1[0-2]|0?[1-9])(?:[./-](?:3[01]|[12]\d|0?[1-9])(?!\d)|(?=底|末|之?前|以前|$))"
DATE = rf"(?:\d{{4}}年(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?|{_DOTTED_DATE})(?:底|末)?(?:之?前|以前)?"
# Targets written in words, not numbers: closed enough to list.
# The first kind is distinctive enough to be found inside running text ('有所减轻对家庭负担…').
QUALITATIVE_PHRASE = (
    r"(?:有所|明显|显著|进一步|逐步|持续|稳步|大幅)(?:提升|提高|减轻|改善|增加|增强|下降|降低|完善|加强|好转|优化)"
    r"|应助尽助|应保尽保|应救尽救|应补尽补|不超预算|不超过预算|达成预期指标|达到预期(?:目标|指标)"
)
QUALITATIVE = (
    QUALITATIVE_PHRASE + r"|按时完成|按期完成|及时(?:发放|支付|拨付|完成)?|影响程度明显|程度较高|长期|中长期|良好|优秀|较好|较高|"
    r"合格|达标|有效|显著|是|否|高|好|减少|降低|提高|提升|完善"
)
_CUE = r"(?:反映|该指标|用于反映|考察|达到(?:预计|目标|预期))"
LABEL = (
    r"(?:(?:预期)?(?:产出|效益|效果|满意度|成本)(?:指标|值|目标)"
    r"|(?:服务对象满意度|社会公众满意度|经济效益|社会效益|生态效益|可持续影响|经济成本|社会成本|生态环境成本|数量|质量|时效|成本)(?:指标|值|目标)"
    r"|预算[(（]或投资规模[)）]控制指标)"
    # the form's note: a score, or another name for the level ('数量指标(或建筑规模指标)')
    r"(?:[(（](?:\d+分|或[^()（）]{1,10})[)）])?"
)
_LEVEL1_BEFORE_LEVEL2 = r"(?:产出|效益|效果)(?=(?:数量|质量|时效|成本|经济|社会|生态|可持续)\w{0,5}?指标)"
# Places inside running text where a new cell may start, on the folded key.
_RUN_POINTS = rx.compile(
    rf"(?P<label>{LABEL}|{_LEVEL1_BEFORE_LEVEL2})"
    rf"|(?P<value>{DATE}|(?<![\d.得扣])(?!\d+周岁){VALUE}(?!(?<=\d)\d|分))"
    rf"|(?P<qual>(?:{QUALITATIVE_PHRASE})(?=[\u4e00-\u9fff]{{2}}))"
    rf"|(?P<cue>(?<=[\u4e00-\u9fff]){_CUE})"
    r"|(?P<prefix>指标\d{1,2}[:：])"  # '指标3:新建消防水池数量': a name numbered by the form
    r"|(?P<kind>-?(?:定量|定性))"
    r"|(?P<head>(?:绩?效指标分类|一级指标|评价指标)(?=.{0,40}(?:二级|三级|绩效指标描述)))"
)
# 'X覆盖率|困难群众…': a measure word ends an indicator name that its description follows.
_MEASURE_END = rx.compile(
    r"(?:(?:率|数量|人数|次数|户数|个数|面积|满意度|程度|金额|数)(?:[(（][^()（）]{1,4}[)）])?|标准评价)(?=[\u4e00-\u9fff]{4})"
)

# '产 出 指 标', '总 体 目 标': a label spaced out letter by letter
_LETTER_SPACED = rx.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff](?![\u4e00-\u9fff])){2,}")
# '产 出', '效 益': two letters spaced out are a label only where the cell is nothing else and
# they make one ('是 否' in a sentence stays two words)
_TWO_SPACED = rx.compile(r"^\s*([\u4e00-\u9fff])[ \u3000]+([\u4e00-\u9fff])\s*$")
# '经济效益 指标': a level label with a space before its 指标 ('指标' alone is never a cell)
_LABEL_SPACED = rx.compile(
    r"(?:经济效益|社会效益|生态效益|可持续影响|服务对象满意度|社会公众满意度|满意度|产出|效益|效果|"
    r"经济成本|社会成本|生态环境成本|成本|数量|质量|时效)[ \u3000]+指标"
)


@dataclass
class Atom:
    text: str  # as printed
    key: str  # folded, for matching
    line: int
    glue: str  # how it attaches to the atom before it (see module docstring)


@lru_cache(maxsize=65536)
def fold_text(text: str) -> tuple[str, tuple[int, ...]]:
    """The matching key of `text`, and for each key character the index it came from."""
    kept: list[tuple[str, int]] = []
    pos = 0
    for m in _PINYIN.finditer(text):
        kept.extend((ch, i) for i, ch in enumerate(text[pos : m.start()], start=pos))
        pos = m.end()
    kept.extend((ch, i) for i, ch in enumerate(text[pos:], start=pos))
    raw = "".join(ch for ch, _ in kept)
    folded = simplified(raw)
    chars = [unicodedata.normalize("NFKC", ch) for ch in folded]
    key: list[str] = []
    index: list[int] = []
    for (_, i), ch in zip(kept, chars):
        ch = ch[:1] if ch else ""
        key.append(ch)
        index.append(i)
    return "".join(key), tuple(index)


def _run_cuts(key: str) -> dict[int, str]:
    """Key offsets where running text may be cut, and the glue of each cut."""
    cuts: dict[int, str] = {}
    inside: set[int] = set()
    for m in _RUN_POINTS.finditer(key):
        if m.start() > 0:
            cuts.setdefault(m.start(), "run")
        if m.end() < len(key) and m.lastgroup not in ("cue", "prefix"):
            cuts.setdefault(m.end(), "run")
        inside.update(range(m.start() + 1, m.end()))
    for m in _MEASURE_END.finditer(key):
        if m.end() not in inside:
            cuts.setdefault(m.end(), "split")
    for m in _DIGITS.finditer(key):
        if rx.match(r"\d*[年月日]", key[m.end() :]) or rx.match(r"\d{4}年", key[m.start() :]):
            continue  # a date's digits are never a score
        at_end = m.end() == len(key) or not rx.match(r"[\u4e00-\u9fffA-Za-z/]", key[m.end()])
        unit_after = bool(rx.match(UNIT, key[m.end() :]))
        for at in _score_splits(m.group(0), at_end, unit_after):
            cuts.setdefault(m.start() + at, "split")
    return cuts


_DIGITS = rx.compile(r"(?<![\d.])\d{3,}(?:\.\d+)?%?")


def _score_splits(run: str, at_end: bool, unit_after: bool) -> list[int]:
    """Where a score may end or begin inside digits run together ('10100%' = 10 | 100%, '210010' = 2100 | 10).

    Self-evaluation rows print 分值 and 得分 beside the values; with no separator the digits
    merge. Scores are whole multiples of 5 up to 100, which is what makes the cut findable.
    """
    digits = rx.match(r"\d+", run).group(0)
    out = []
    for k in (1, 2, 3):
        head, tail = digits[:k], run[k:]
        # a score before a value: what follows must be a value in its own right (100%, 266米)
        if len(digits) > k and _is_score(head) and tail[:1] != "0" and (run.endswith("%") or unit_after):
            out.append(k)
    if run == digits and at_end:
        for k in (1, 2, 3):
            head, tail = digits[:-k], digits[-k:]
            if head and _is_score(tail):
                out.append(len(digits) - k)
    return out


def _is_score(text: str) -> bool:
    return text[:1] != "0" and 5 <= int(text) <= 100 and int(text) % 5 == 0


def _doubled(key: str) -> int | None:
    """'机关事务正常运转率机关事务正常运转率': a cell printed twice, cut in the middle."""
    n = len(key)
    if n >= 8 and n % 2 == 0 and key[: n // 2] == key[n // 2 :]:
        return n // 2
    return None


def _split_run(text: str, line: int, glue: str) -> list[Atom]:
    key, index = fold_text(text)
    if not key:
        return []
    cuts = _run_cuts(key)
    half = _doubled(key)
    if half:
        cuts[half] = "split"
    atoms: list[Atom] = []
    bounds = sorted(cuts)
    starts = [0, *bounds]
    ends = [*bounds, len(key)]
    for n, (a, b) in enumerate(zip(starts, ends)):
        lo = index[a]
        hi = index[b] if b < len(key) else len(text)
        piece = text[lo:hi].strip()
        if not piece:
            continue
        atoms.append(Atom(piece, key[a:b].strip(), line, glue if n == 0 else cuts[a]))
    return atoms


def line_atoms(text: str, line: int, glue: str = "line") -> list[Atom]:
    """The atoms of one line; the first one's glue is `glue` (``line``, or ``blank`` after a blank line).

    A cell left empty is an atom with no text where the layout shows it: a line holding only a
    tab, a space or a pipe (one cell per line), or an empty cell between two filled ones on a
    pipe or tab row. Runs of pipes with nothing between (`|||`) are a converter's filler.
    """
    if not text.strip(" \t\u3000|"):
        bare = text.strip("\r\n")
        return [Atom("", "", line, glue)] if bare in (" ", "\t", "|", "\u3000", " |", "\t|") else []
    if "|" in text:
        pieces = text.split("|")
    elif "\t" in text:
        pieces = text.split("\t")
    else:
        pieces = [text]
    filled = [k for k, p in enumerate(pieces) if p.strip()]
    if not filled:
        return []  # other white space only (a vertical tab, an em space)
    atoms: list[Atom] = []
    for n, piece in enumerate(pieces):
        if n < filled[0] or n > filled[-1]:
            continue
        if not piece.strip():
            atoms.append(Atom("", "", line, glue))
            glue = "hard"
            continue
        piece = rx.sub(r"[ \u3000]+(?=[(（]\d+分)", "", piece)
        piece = _LETTER_SPACED.sub(lambda m: rx.sub(r"[ \u3000]+", "", m.group(0)), piece)
        piece = _LABEL_SPACED.sub(lambda m: rx.sub(r"[ \u3000]+", "", m.group(0)), piece)
        two = _TWO_SPACED.match(piece)
        if two and canonical_level1(two.group(1) + two.group(2)):
            piece = two.group(1) + two.group(2)
        words = [w for w in rx.split(r"[ \u3000]+", piece.strip()) if w]
        for k, word in enumerate(words):
            found = _split_run(word, line, glue if k == 0 else "space")
            if found:
                atoms.extend(found)
                glue = "hard"
        glue = "hard"
    return atoms


# what never opens a cell, and what never ends one (a line that is one cell: no pipe, no tab)
_OPENS_NO_CELL = rx.compile(r"^[、，,。；;：:）)》」』%％]")
_ENDS_NO_CELL = rx.compile(r"[^\s|\t]{2}[（(《「『、，,；;]$")


# a form's note on a line of its own ('产 出 指 标' / '(50分)'): the label above's, wrapped
_NOTE_ALONE = rx.compile(r"^[(（]\s*\d+(?:\.\d+)?\s*分\s*[)）]$")


def _carries_on(above: str, line: str) -> bool:
    """Is `line` the rest of a cell wrapped from the line above?"""
    if "|" in line or "\t" in line or "|" in above or "\t" in above:
        return False
    line = line.strip()
    return bool(_OPENS_NO_CELL.match(line) or _NOTE_ALONE.match(line) or _ENDS_NO_CELL.search(above.strip()))


def atoms_of(lines: list[tuple[int, str]]) -> list[Atom]:
    out: list[Atom] = []
    blank = False
    above = ""
    for number, text in lines:
        if not text.strip("\r\n") or is_page_debris(text):
            blank = blank or not text.strip("\r\n")
            continue  # a blank line, or a page number a page break left
        glue = "blank" if blank else "wrap" if above and _carries_on(above, text) else "line"
        out.extend(line_atoms(text, number, glue))
        blank = False
        above = text
    return out


def join_atoms(atoms: list[Atom]) -> str:
    """The text of a cell made of several atoms, joined as their glue says."""
    out = ""
    for k, atom in enumerate(atoms):
        if k and atom.glue == "space":
            out += " "
        elif k and atom.glue in ("line", "wrap") and out[-1:].isascii() and out[-1:].isalnum() and atom.text[:1].isascii():
            out += " "
        out += atom.text
    return out
