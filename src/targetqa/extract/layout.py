"""Group the lines of a text report into cell rows and plain text lines.

Text reports come out of converters in several shapes, and a document may mix them:
- one cell per line: each cell on its own line behind a tab, rows separated by a blank line,
  a line without the tab continuing the cell above it (a cell with a line break);
- tab-separated rows: one row per line, cells split by tabs, an empty first cell meaning
  "same as above" (Excel's quoting of multi-line cells undone, in `delimited`);
- cells marked explicitly: markdown pipe and grid tables, raw HTML tables, CSV (`delimited`);
- columns aligned by spaces: pdftotext -layout, pandoc plain-text tables (`aligned`);
- plain text: prose, titles, and tables flattened by a PDF converter (handled in `pdftext`).
Recognising the shape per line, not per file, is what lets one reader serve all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from targetqa import rx

# A line that cannot be the continuation of a cell: a section or table heading.
_HEADING = rx.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分|\d+[、.．]\S*绩效目标表)"
)
# An enumerated item: '（二）', '(二)', '二、', with its number, to tell a list inside a cell from a heading.
_ITEM = rx.compile(r"^\s*(?:[（(]([一二三四五六七八九十]+)[）)]|([一二三四五六七八九十]+)、)")
_CN_DIGITS = "一二三四五六七八九"
# What a page break leaves in converted text: '- 7 -', '第 7 页', '第7页 共20页', '7/20', 'Page 7'.
_PAGE_NUMBER = rx.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
_BARE_NUMBER = rx.compile(r"^\s*\d{1,4}\s*$")
_CONTINUED = rx.compile(r"[（(]\s*续表?\s*\d*\s*[）)]\s*$|^\s*续表\s*\d*\s*[：:]?\s*$")
# Lines between a title and its table that name no project: the unit, the year, the filer.
_ASIDE = rx.compile(
    r"^\s*[（(]?\s*(?:金额|资金|计量)?单位\s*[:：]\s*(?:万元|元|千元|亿元)\s*[）)]?\s*$"
    r"|^\s*[（(]\s*\d{4}\s*年度?\s*[）)]\s*$"
    r"|^\s*(?:填报|编制|填表)(?:单位|部门)(?:名称)?\s*(?:[（(]\s*(?:盖章|公章)\s*[）)])?\s*[:：]"
)


def _cn_number(text: str) -> int:
    """'一' → 1, '十' → 10, '十二' → 12, '二十三' → 23 (enumerations rarely go further)."""
    if "十" not in text:
        return _CN_DIGITS.index(text) + 1 if len(text) == 1 and text in _CN_DIGITS else 0
    tens, _, ones = text.partition("十")
    high = _CN_DIGITS.index(tens) + 1 if tens in _CN_DIGITS and tens else (1 if not tens else 0)
    low = _CN_DIGITS.index(ones) + 1 if ones in _CN_DIGITS and ones else 0
    return high * 10 + low if high else 0


def _item(line: str) -> tuple[str, int] | None:
    """The style ('paren' or 'comma') and number of an enumerated item at the start of a line."""
    m = _ITEM.match(line)
    if not m:
        return None
    style, word = ("paren", m.group(1)) if m.group(1) else ("comma", m.group(2))
    number = _cn_number(word)
    return (style, number) if number else None


def _continues_list(cell: str, line: str) -> bool:
    """Does `line` continue an enumeration that the cell itself started?

    A cell holding a list ('（一）特困党员…' then '（二）因本人…') looks line by line like a run
    of section headings; what tells them apart is that the cell already holds the item before.
    """
    item = _item(line)
    if item is None:
        return False
    style, number = item
    return any(_item(prev) == (style, number - 1) for prev in cell.split("\n"))


def is_page_debris(text: str, bare_numbers: bool = False) -> bool:
    """A page number line. A bare number counts only where no row number can be meant."""
    return bool(_PAGE_NUMBER.match(text)) or (bare_numbers and bool(_BARE_NUMBER.match(text)))


def is_continued_title(text: str) -> bool:
    """'XX绩效目标表（续）', '续表', '（续表1）': a table's title printed again on the next page."""
    return len(text.strip()) <= 120 and bool(_CONTINUED.search(text))


def is_aside(text: str) -> bool:
    """A line that sits between a title and its table without being either: '单位：万元'."""
    return bool(_ASIDE.match(text))


@dataclass
class CellRow:
    cells: list[str]
    lines: list[int]  # 1-based source line where each cell starts
    page: int | None = None

    @property
    def line(self) -> int:
        return self.lines[0] if self.lines else 0

    def compact(self) -> list[str]:
        return [compact(c) for c in self.cells]


@dataclass
class TextLine:
    text: str
    line: int
    page: int | None = None


Item = CellRow | TextLine


@dataclass
class _Open:
    cells: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def compact(text: str) -> str:
    """Text without any whitespace: for matching labels that a converter wrapped or spaced."""
    return rx.sub(r"\s+", "", text)


def join_wrapped(text: str) -> str:
    """Join a cell's wrapped lines: no space between CJK pieces, one space between Latin words."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        if out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " " + part
        else:
            out += part
    return rx.sub(r"[ \t]+", " ", out).strip()


# how an indicator's name ends when it is whole: what it measures
_NAME_END = rx.compile(r"(?:率|数|量|度|时间|时限|情况|标准|程度|性|额|成本|效益|面积|次数|人次)$")
_GOES_ON = rx.compile(r"[的及和与、或等之）)]")
_SHORTEST_NAME = 3  # '完成率', '满意度': an indicator's name has three characters at least
# a name cut just after a comma or an opening bracket ('作物种植补助标准,黄', '完成及时率(≥**%'): never whole
_CUT_SHORT = rx.compile(r"(?:[,，、;；][^,，、;；]{0,2}|[(（][^)）]{0,6})$")
# a target's placeholder in brackets ('(≥**元/株)'): the end of the name it belongs to
_PLACEHOLDER = rx.compile(r"^[(（][^()（）]*[≥≤<>=＞＜*]")


def name_goes_on(name: str, rest: str) -> bool:
    """Is `rest`, printed on a line of its own, the end of `name` wrapped?

    Yes when the rest cannot start a name ('及设备购置合格率') or is too short to be one
    ('研究培育食用菌品种数' / '量': a name may end in 数 and still go on), when the name stops just
    after a comma or inside brackets ('作物种植补助标准,黄' / '金蜜(葡萄)补助成本'), when the rest is a
    target's placeholder in brackets ('(≥**元/株)'), or when the name stops
    short ('送戏进万村活' / '动完成率') and the rest is not a whole name of its own (a row that leaves
    its target out: '智慧党建运行维护时间' under '贫困党员救助时间').
    """
    name, rest = compact(name), compact(rest)
    if not name or not rest:
        return False
    if _GOES_ON.match(rest) or len(rest) <= _SHORTEST_NAME - 1 or _CUT_SHORT.search(name) or _PLACEHOLDER.match(rest):
        return True
    return not _NAME_END.search(name) and not (len(rest) >= 10 and _NAME_END.search(rest))


def _is_cell_line(lines: list[str], i: int, in_row: bool) -> bool:
    """Is lines[i] one cell of a one-cell-per-line row?

    The plain case is a line with a single leading tab. A converter sometimes leaves stray tabs
    after the text ('\t廊才【2020】6号\t'); read as a tab-separated row it would close the row
    and lose the cell, so such a line is still one cell when a row is open, or when the next line
    is a plain one-cell line (the row starts here).
    """
    line = lines[i]
    if not line.startswith("\t"):
        return False
    if line.count("\t") == 1:
        return True
    body = line[1:].rstrip("\t ")
    if "\t" in body or not body.strip():
        return False
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return in_row or (nxt.startswith("\t") and nxt.count("\t") == 1)


def read_items(lines: list[str]) -> list[Item]:
    """Group lines into cell rows and text lines, whatever mix of layouts the document uses."""
    from targetqa.extract import aligned, delimited  # they build on the helpers above

    csv_width = delimited.csv_header_width(lines)
    items: list[Item] = []
    row: _Open | None = None
    last_was_cell = False

    def close() -> None:
        nonlocal row
        if row is not None and row.cells:
            items.append(CellRow([c.strip() for c in row.cells], row.lines))
        row = None

    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        structured = delimited.read_structured(lines, i, csv_width)
        if structured is not None:
            close()
            last_was_cell = False
            found, i = structured
            items.extend(found)
            continue
        i += 1
        if _is_cell_line(lines, number - 1, row is not None):
            line = line.rstrip("\t ")
            if row is None:
                row = _Open()
            row.cells.append(line[1:])
            row.lines.append(number)
            last_was_cell = True
            continue
        if "\t" in line.strip("\t") or (line.startswith("\t") and line.count("\t") > 1):
            close()
            last_was_cell = False
            cells, lines_of, i = delimited.read_tab_row(lines, number - 1)
            if any(c.strip() for c in cells):
                items.append(CellRow([c.strip() for c in cells], lines_of))
            continue
        if not line.strip():
            close()
            last_was_cell = False
            continue
        if last_was_cell and row is not None and (not _HEADING.match(line) or _continues_list(row.cells[-1], line)):
            row.cells[-1] += "\n" + line
            continue
        close()
        last_was_cell = False
        items.append(TextLine(line, number))
    close()
    return aligned.cells_from_aligned_text(items)
