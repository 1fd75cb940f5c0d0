"""Read indicator tables that a PDF-to-text converter flattened into plain lines.

What survives such a conversion: a row number at the start of most rows (sometimes split, "1"
then "3"), cells on one visual line separated by spaces, and cells that wrapped inside their
box emitted as extra lines ("帮扶我区生活困难党员数" + "量"). Level labels and the value
expression (≥ 90 %, = 1 个, 文字描述 …) are recognisable; the text cells around them are
separated by one observation about wrapping: a wrapped line is a *full* line, so inside a
cell no line is shorter than the line after it. A small dynamic programme picks the cut
points that break that rule least.
"""

from __future__ import annotations

from dataclasses import dataclass

from targetqa import rx
from targetqa.extract.layout import (
    Item,
    TextLine,
    compact,
    is_continued_title,
    is_page_debris,
)
from targetqa.extract.header import tokens
from targetqa.extract.meta import split_goals
from targetqa.extract.values import OPERATOR_WORDS, normalize_operator, split_value
from targetqa.lexicon import ALL_UNITS, BASIS_KINDS
from targetqa.model import Row, Table
from targetqa.taxonomy import LEVEL1_LABELS, LEVEL2_LABELS

_SECTION = rx.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十\d]+部分)")
_TITLE = rx.compile(r"绩效目标表|绩效表\s*$|绩效目标指标\s*$|绩效指标表|绩效目标完成情况表")
_ROW_NUMBER = rx.compile(r"^\s*(\d{1,2})(?:\s+(?=[^\d\s月%.])|$)")
_HEADER_WORDS = rx.compile(r"^(?:一级指标|二级指标|三级指标|指标说明|绩效指标描述|指标值|指标值?确定?依?据?|依据|符号|值|单位|（?文?字?描?述?）?|[（）()])+$")
# Words a header line is made of; what is left after removing them tells a header from prose.
_HEADER_WORD = rx.compile(
    r"[一二三]级(?:指标)?|绩效指标描述|指标描述|指标说明|指标解释|指标内容|指标名称|绩效指标|指标值确定依据|指标确定依据"
    r"|确定依据|依据|预期指标值|实际完成指标值|年度指标值|指标值|指标性质|计量单位|度量单位|单位|符号|值|指标|文字描述"
    r"|包含数字及|序号|备注|权重|分值|[（）()：:、，,]"
)
# Operators as a value column holds them: signs (≥ >= ≮ …) and the spelled forms that only an
# operator cell holds alone (不低于, 大于等于); a bare 超过 or 低于 is a word of a sentence.
_SIGNS = rx.alternation(w for w in OPERATOR_WORDS if not rx.search(r"[\u4e00-\u9fff]", w))
_SPELLED = rx.alternation(w for w in OPERATOR_WORDS if rx.fullmatch(r"不.于|不得.于|不超过|不得超过|.于(?:或)?等于", w))
_OPERATOR_TOKEN = rx.compile(f"^(?:{_SIGNS}|{_SPELLED}|文字描述|定性)$")
_VALUE_TOKEN = rx.compile(rf"^(?:{_SIGNS})?\d+(?:\.\d+)?%?$|^(?:{_SIGNS})\d+(?:\.\d+)?\S{{0,4}}$")
_STATED_TOKEN = rx.compile(rf"^\d+(?:\.\d+)?\s*(?:{rx.alternation(ALL_UNITS)}|%|％)$")
_LABEL_PREFIXES = tuple({lab[:3] for lab in LEVEL1_LABELS + LEVEL2_LABELS if len(lab) >= 3})


def is_header_at(items: list[Item], i: int) -> bool:
    """Does a header start at items[i] ('11 一级指标 二级指标 …', perhaps wrapped over lines)?

    The line must hold header words only: a sentence that names the levels ('一级指标 二级指标
    三级指标的设置应当…') is prose, and reading the label-led sentences after it as rows
    would make a table out of nothing.
    """
    item = items[i]
    if not isinstance(item, TextLine) or "一级" not in item.text:
        return False
    if len(_HEADER_WORD.sub("", compact(_ROW_NUMBER.sub("", item.text, count=1)))) > 3:
        return False
    window = "".join(compact(it.text) for it in items[i : i + 3] if isinstance(it, TextLine))
    return (
        "一级指标二级指标" in window
        or "一级指标二级指标三级指标" in window.replace("标标", "标")
        or "一级二级三级" in window
    )


@dataclass
class _Piece:
    text: str
    line: int
    group: int  # pieces of one source line share a group


def _is_title_line(text: str) -> bool:
    t = text.strip()
    return len(t) <= 120 and bool(_TITLE.search(t))


def _is_end(text: str) -> bool:
    t = text.strip()
    return bool(_SECTION.match(t)) or _is_title_line(t) or t.startswith("年度目标（") or t.startswith("单位：")


def _starts_with_label(text: str) -> bool:
    c = compact(text)
    return c.startswith(_LABEL_PREFIXES) or (1 < len(c) <= 4 and any(lab.startswith(c) for lab in LEVEL1_LABELS))


def _strip_row_number(text: str, after_digit_line: bool) -> tuple[str, bool]:
    """Remove a leading row number; say whether one was there."""
    if after_digit_line:
        m = rx.match(r"^\s*\d(?:\s+|$)", text)
        if m:
            return text[m.end():], True
    m = _ROW_NUMBER.match(text)
    if m and not _starts_with_unit(text[m.end():]):
        return text[m.end():], True
    return text, False


def _starts_with_unit(text: str) -> bool:
    """'1 个 年度工作计划': the number before a unit is a value, not a row number."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return first == "%" or first in ALL_UNITS


def _head_text(lines: list[TextLine], sep: str = "") -> str:
    out = []
    for tl in lines:
        text, _ = _strip_row_number(tl.text, False)
        out.append(text.strip())
    return sep.join(out)


def _read_head(lines: list[TextLine], table: Table) -> None:
    flat = _head_text(lines)
    m = rx.search(r"项目编码及名称\s*([0-9A-Za-z]{6,})\s*[-—－]\s*(.+?)\s*(?=主管部门|项目单位|$)", flat)
    if m:
        table.project_code, table.project = m.group(1), m.group(2).strip()
    else:
        m = rx.search(r"项目编码\s*([0-9A-Za-z]{6,})", flat)
        if m:
            table.project_code = m.group(1)
        m = rx.search(
            r"项目名称\s*[:：]?\s*(.+?)\s*(?=预算规模|资金用途|项目单位|主管部门|项目编码|年度资金总额|资金总额|预算数|年度绩效目标|绩效目标|$)",
            flat,
        )
        if m:
            table.project = m.group(1).strip()
    m = rx.search(r"(?:年度资金总额|预算数|资金总额)\s*[:：]?\s*(\d+(?:\.\d+)?)", flat)
    if m:
        table.budget = float(m.group(1))
        table.budget_text = m.group(1)
    m = rx.search(r"资金用途\s*(.+?)\s*(?=资金支出计|$)", flat)
    if m:
        purpose = rx.sub(r"^预算数.*?其他资金\s*", "", m.group(1)).strip()
        table.purpose = purpose
    # Figures are read from the text with its line breaks kept, so a number that the PDF broke
    # over two lines shows up as two figures and the plan is dropped rather than misread.
    spaced = _head_text(lines, "\n")
    m = rx.search(r"资金支出计\s*划\s*(（%）|\(%\))?.*?3\s*月底\s*6\s*月底\s*10\s*月底\s*12\s*月底(.*?)(?=年度绩效目|绩效目标|$)", spaced, rx.S)
    if m:
        table.plan_unit = "%" if m.group(1) else ""
        figures = rx.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", rx.sub(r"\(累计支出\s*金\s*额\)|（累计支出\s*金\s*额）|\n", " ", m.group(2)))
        labels = ["3月底", "6月底", "10月底", "12月底"]
        if 1 <= len(figures) <= 4:
            # Blank months are simply missing from the text; the figures that remain are the last ones.
            table.plan = list(zip(labels[len(labels) - len(figures):], (float(f) for f in figures)))
    goals = rx.findall(r"目标\s*\d\s*(.+?)(?=(?:\d{1,2})?\s*目标\s*\d|$)", flat.split("年度绩效目", 1)[-1] if "目标 1" in flat or "目标1" in flat else "")
    if goals:
        table.goals = [g.strip() for g in goals if g.strip()]
    else:
        m = rx.search(r"绩效目标\s*(.+)$", flat)
        if m:
            table.goals = split_goals(rx.sub(r"(?<=[。；;])\s*(?=\d[.、])", "\n", m.group(1)))


def _pieces(lines: list[TextLine]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for g, tl in enumerate(lines):
        tokens = tl.text.split()
        merged: list[str] = []
        for tok in tokens:
            # '秦财行[2024]479' + '号文件', '2025' + '年…': one cell that the PDF spaced apart.
            prev = merged[-1] if merged else ""
            spaced_cell = rx.search(r"[\dA-Za-z\]）)]$", prev) and rx.match(r"^[号年月日]", tok) \
                and not _OPERATOR_TOKEN.match(prev) and not _VALUE_TOKEN.match(prev)
            spaced_date = rx.search(r"\d{4}年$|\d{1,2}月$", prev) and rx.match(r"^\d", tok)
            if spaced_cell or spaced_date:
                merged[-1] += " " + tok
            else:
                merged.append(tok)
        pieces.extend(_Piece(t, tl.line, g) for t in merged)
    return _mend(pieces)


def _mend(pieces: list[_Piece]) -> list[_Piece]:
    """Re-join what a wrap cut apart inside a token: '文字' + '描述', '文字描述按…'."""
    out: list[_Piece] = []
    for piece in pieces:
        if out and out[-1].text == "文字" and piece.text.startswith("描述"):
            out[-1] = _Piece("文字描述", out[-1].line, out[-1].group)
            piece = _Piece(piece.text[2:], piece.line, piece.group)
            if not piece.text:
                continue
        if piece.text.startswith(("文字描述", "定性")) and piece.text not in ("文字描述", "定性"):
            word = "文字描述" if piece.text.startswith("文字描述") else "定性"
            out.append(_Piece(word, piece.line, piece.group))
            piece = _Piece(piece.text[len(word):], piece.line, piece.group)
        out.append(piece)
    return out


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _cell_cost(cell: list[_Piece]) -> float:
    cost = 0.0
    for a, b in zip(cell, cell[1:]):
        if a.group == b.group:
            cost += 5  # two pieces of one visual line are two cells
        elif _width(a.text) + 0.6 < _width(b.text):
            cost += 1  # a wrapped line is a full line
    return cost


def _basis_like(text: str) -> bool:
    return any(k in text for k in BASIS_KINDS)


def split_cells(pieces: list[_Piece], m: int, last_is_basis: bool = False, one_line: int | None = None) -> list[str]:
    """Cut pieces into m consecutive cells, minimising the wrap-rule cost.

    `one_line` names a cell that is usually short enough for one line (a plain-text value
    such as 长期推动 beside its basis): among cuts that break no wrap rule, one that keeps it
    on one line wins.
    """
    n = len(pieces)
    if m <= 0:
        return []
    if n <= m:
        texts = [p.text for p in pieces]
        return texts + [""] * (m - n)
    best: tuple[float, list[int]] | None = None

    def rec(start: int, k: int, cuts: list[int], acc: float) -> None:
        nonlocal best
        if best is not None and acc >= best[0]:
            return
        if k == 1:
            cost = acc + _cell_cost(pieces[start:])
            if last_is_basis:
                # the basis is usually short and names a document or a standard
                cost += (0.5 if not _basis_like(pieces[start].text) else 0) + 0.1 * (n - start - 1)
            if best is None or cost < best[0]:
                best = (cost, cuts + [start])
            return
        for end in range(start + 1, n - k + 2):
            cost = _cell_cost(pieces[start:end])
            if one_line == m - k and pieces[start].group != pieces[end - 1].group:
                cost += 0.5
            rec(end, k - 1, cuts + [start], acc + cost)

    rec(0, m, [], 0.0)
    assert best is not None
    starts = best[1] + [n]
    return [_join(pieces[a:b]) for a, b in zip(starts, starts[1:])]


def _join(pieces: list[_Piece]) -> str:
    """One cell's text from its pieces.

    Pieces of one source line were split at a space that the line really has ('不超 10万元'),
    so they keep one space; pieces from different lines are a wrap, joined without a separator
    except between two Latin letters or digits.
    """
    out = ""
    prev: _Piece | None = None
    for p in pieces:
        if prev is not None and (
            prev.group == p.group
            or (out[-1].isascii() and out[-1].isalnum() and p.text[0].isascii() and p.text[0].isalnum())
        ):
            out += " "
        out += p.text
        prev = p
    return out


def _take_label(pieces: list[_Piece], labels: list[str]) -> tuple[str, list[_Piece]]:
    """The longest level label at the start of the pieces, possibly wrapped over several."""
    acc = ""
    found, rest = "", pieces
    for k, piece in enumerate(pieces[:4]):
        acc += compact(piece.text)
        if acc in labels:
            found, rest = acc, pieces[k + 1 :]
        if not any(lab.startswith(acc) for lab in labels):
            break
    return found, rest


def _find_value(pieces: list[_Piece]) -> int | None:
    for k, piece in enumerate(pieces):
        if k == 0:
            continue
        if _is_value_token(pieces, k):
            return k
    return None


def _is_value_token(pieces: list[_Piece], k: int) -> bool:
    """Does a value expression start at pieces[k]?

    An operator always starts one. A bare number does only where a value would end: before a
    unit, at the end of its line, or before a word on another line; a number inside a
    sentence ('为区内 87 个村每村…') is part of the sentence.
    """
    text = pieces[k].text
    if _OPERATOR_TOKEN.match(text) or (_VALUE_TOKEN.match(text) and not rx.match(r"^\d", text)):
        return True
    if _STATED_TOKEN.match(text) and all(p.group != pieces[k].group for p in pieces if p is not pieces[k]):
        return True  # '800万元' on a line of its own: one cell, the target
    if not _VALUE_TOKEN.match(text):
        return False
    nxt = pieces[k + 1] if k + 1 < len(pieces) else None
    if nxt is None or nxt.group != pieces[k].group:
        return True
    if nxt.text in ALL_UNITS or nxt.text == "%" or _basis_like(nxt.text):
        return True
    prev = pieces[k - 1] if k > 0 else None
    return prev is None or prev.group != pieces[k].group


def _parse_row(pieces: list[_Piece], unit_column: bool = False) -> Row | None:
    level1, rest = _take_label(pieces, LEVEL1_LABELS)
    level2, rest = _take_label(rest, LEVEL2_LABELS)
    if level1 == "成本指标" and not level2:
        # 成本指标 is a level2 under 产出 in most tables; a level1 only with 经济成本指标 etc. below it
        level1, level2 = "", level1
    if not rest:
        return None
    row = Row(level1=level1, level2=level2, line=rest[0].line)
    at = _find_value(rest)
    if at is None:
        cells = split_cells(rest, min(4, len(rest)), last_is_basis=len(rest) >= 4, one_line=2)
        cells += [""] * (4 - len(cells))
        row.level3, row.description, value, row.basis = cells
        row.value_text = value
        row.value = value
        return row
    before, after = rest[:at], rest[at:]
    row.level3, row.description = (split_cells(before, 2) if len(before) >= 2 else [before[0].text, ""])
    # The value expression: operator, number, unit, each possibly its own token.
    tokens = [after[0].text]
    k = 1
    if _OPERATOR_TOKEN.match(tokens[0]) and tokens[0] not in ("文字描述", "定性"):
        if k < len(after) and rx.match(r"^\d+(?:\.\d+)?\S*$", after[k].text):
            tokens.append(after[k].text)
            k += 1
    if k < len(after) and after[k].group == after[k - 1].group and (
        after[k].text in ALL_UNITS or after[k].text == "%" or (unit_column and _unit_word(after[k].text, tokens))
    ):
        tokens.append(after[k].text)
        k += 1
    tail = after[k:]
    if tokens[0] in ("文字描述", "定性"):
        row.operator = tokens[0]
        cells = split_cells(tail, 2, last_is_basis=True) if len(tail) >= 2 else [tail[0].text if tail else "", ""]
        row.value, row.basis = cells
        row.value_text = f"{tokens[0]} {row.value}".strip()
        return row
    row.value_text = " ".join(tokens)
    parsed = split_value("".join(tokens))
    row.operator = normalize_operator(parsed.operator)
    row.value, row.unit = parsed.value, parsed.unit
    row.basis = _join(tail)
    return row


def _unit_word(text: str, tokens: list[str]) -> bool:
    """A short word after a bare number, in a table with a 单位 column, is the unit as written
    ('90 百分之', '0.00 有效改善'); a word that names a document or standard is the basis."""
    return (
        bool(rx.fullmatch(r"[\d.]+", tokens[-1]))
        and bool(rx.fullmatch(r"[\u4e00-\u9fff]{1,4}", text))
        and not _basis_like(text)
    )


def read_text_table(items: list[Item], h: int, floor: int) -> tuple[Table | None, int]:
    """Read the table whose header starts at items[h]; return it and the index after it."""
    # Title and head: back from the header to the title line.
    start = h
    title = ""
    for k in range(h - 1, max(floor, h - 40), -1):
        it = items[k]
        if not isinstance(it, TextLine):
            break
        if _is_title_line(it.text):
            title, start = it.text.strip(), k
            break
        if _SECTION.match(it.text):
            break
    head = [it for it in items[start + 1 : h] if isinstance(it, TextLine)]
    table = Table(table_no=0, title=title, line=items[start].line)
    _read_head(head, table)
    # Rows: from the first line that begins with a level label, to the next title or section.
    j = h + 1
    while j < len(items) and isinstance(items[j], TextLine) and not _starts_with_label(
        _strip_row_number(items[j].text, False)[0]
    ):
        if _is_end(items[j].text) or j - h > 8:
            return None, h + 1
        j += 1
    # Row numbers are stripped only where the header has one too ('11 一级指标 …'): elsewhere a
    # line starting with a number is a value ('1 个 年度工作计划').
    before = items[h - 1] if h > 0 else None
    has_numbers = bool(_ROW_NUMBER.match(items[h].text)) or (
        isinstance(before, TextLine) and bool(rx.fullmatch(r"\s*\d{1,2}\s*", before.text))  # '1' / '1' / header
    )
    first = j
    rows_lines: list[list[TextLine]] = []
    current: list[TextLine] = []
    acc = ""  # compact text of the current row, to tell wrapped labels from content
    after_digit = False
    in_header = False
    last_number: int | None = None
    while j < len(items) and isinstance(items[j], TextLine):
        tl = items[j]
        if is_page_debris(tl.text) or is_continued_title(tl.text):
            j += 1  # a page break inside the table: the page number, the title again with （续）
            continue
        if _is_end(tl.text):
            break
        if is_header_at(items, j):
            in_header = True  # the header repeated after a page break
            j += 1
            continue
        if in_header and _HEADER_WORDS.match(compact(tl.text)):
            j += 1
            continue
        in_header = False
        text, numbered = _strip_row_number(tl.text, after_digit) if has_numbers else (tl.text, False)
        if numbered and text.strip() and not after_digit:
            # Row numbers count up: '1 实际工作需要及合同' inside row 13 is a value and its basis.
            n = int(rx.match(r"\s*(\d+)", tl.text).group(1))
            if last_number is not None and n != last_number + 1 and not _starts_with_label(text):
                text, numbered = tl.text, False
            else:
                last_number = n
        elif numbered:
            last_number = None  # a number split over lines ('1' / '3'): its value is not followed
        after_digit = bool(rx.fullmatch(r"\s*\d\s*", tl.text))
        if not text.strip():
            if numbered and current:
                rows_lines.append(current)
                current, acc = [], ""
            j += 1
            continue
        if current and (numbered or (_starts_with_label(text) and not _label_only(acc))):
            rows_lines.append(current)
            current, acc = [], ""
        current.append(TextLine(text, tl.line))
        acc += compact(text)
        j += 1
    if current:
        rows_lines.append(current)
    capacity = _basis_capacity(rows_lines)
    rows_lines = [row for lines in rows_lines for row in _split_by_values(lines, capacity)]
    unit_column = "单位" in compact("".join(it.text for it in items[h : h + 6] if isinstance(it, TextLine)))
    rows = [r for r in (_parse_row(_pieces(lines), unit_column) for lines in rows_lines) if r is not None]
    if rows and not _described(items[h:first]):
        # a description where the header has no such column: a name wrapped over lines, or cells
        # of two rows read as one; either way the reading is not sure (the row grammar may do better)
        table.confidence = round(1 - sum(1 for r in rows if r.description) / len(rows), 2)
    from targetqa.extract.tables import carry_down  # shared with the cell reader

    table.rows = carry_down(rows)
    return table, j


def _described(header: list[Item]) -> bool:
    """Does the header have a description column (or one it does not name, which may be one)?"""
    fields, unnamed = tokens(compact("".join(it.text for it in header if isinstance(it, TextLine))))
    return "description" in fields or unnamed > 2 or "level3" not in fields


def _value_at(line: TextLine) -> int | None:
    """Index of the piece where a value expression starts on this line (≥, 90%, 文字描述), or None."""
    pieces = _pieces([line])
    return next((k for k in range(len(pieces)) if _is_value_token(pieces, k)), None)


def _basis_after_value(line: TextLine) -> str | None:
    """The text after the value expression on a value line (the start of the basis cell)."""
    pieces = _pieces([line])
    k = _value_at(line)
    if k is None or pieces[k].text in ("文字描述", "定性"):
        return None
    k += 1
    if _OPERATOR_TOKEN.match(pieces[k - 1].text) and k < len(pieces) and rx.match(r"^\d", pieces[k].text):
        k += 1
    if k < len(pieces) and (pieces[k].text in ALL_UNITS or pieces[k].text == "%"):
        k += 1
    return " ".join(p.text for p in pieces[k:])


def _basis_capacity(rows_lines: list[list[TextLine]]) -> float:
    """How wide a basis cell's line gets in this table: the widest start of a basis on a value line."""
    widths = [_width(b) for lines in rows_lines for tl in lines if (b := _basis_after_value(tl))]
    return max(widths, default=0.0)


def _split_by_values(lines: list[TextLine], capacity: float) -> list[list[TextLine]]:
    """Split lines that hold several rows: without row numbers, and with the level cells merged
    (printed once for a group), rows are told apart by their values, one per row.

    A row ends after its value line, plus the lines its basis wrapped onto: a basis goes on
    only below a full line (as wide as the widest basis in the table) with a line no wider.
    """
    anchors = [k for k, tl in enumerate(lines) if _value_at(tl) is not None]
    # a value expression cut after its operator ('≥' / '90 %') is one value
    anchors = [k for n, k in enumerate(anchors) if n == 0 or not _ends_with_operator(lines[anchors[n - 1]]) or k != anchors[n - 1] + 1]
    if len(anchors) < 2:
        return [lines]
    rows: list[list[TextLine]] = []
    start = 0
    for a, b in zip(anchors, anchors[1:]):
        cut = a + 1
        last = _basis_after_value(lines[a]) or ""
        while cut < b and last and _width(last) >= capacity - 1 and _width(lines[cut].text.strip()) <= _width(last) + 0.6:
            if cut + 1 == b and _value_at(lines[b]) == 0:
                break  # the next row needs its name: it is not on its value line
            last = lines[cut].text.strip()
            cut += 1
        rows.append(lines[start:cut])
        start = cut
    rows.append(lines[start:])
    return [r for r in rows if r]


def _ends_with_operator(line: TextLine) -> bool:
    pieces = _pieces([line])
    return bool(pieces) and pieces[-1].text in ("≥", "≤", "=", "<", ">", ">=", "<=")


def _label_only(acc: str) -> bool:
    """Is the row so far only level labels, the last perhaps cut by a line wrap?"""
    rest = acc
    for labels in (LEVEL1_LABELS, LEVEL2_LABELS):
        for lab in labels:
            if rest.startswith(lab):
                rest = rest[len(lab):]
                break
    return rest == "" or any(lab.startswith(rest) for lab in LEVEL1_LABELS + LEVEL2_LABELS)
