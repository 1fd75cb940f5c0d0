"""Tables in text that a web page or converter flattened: cells → header → rows → tables.

The text is cut into atoms (`cells`), every header is found and its column order learnt
(`header`), the atoms after it up to the table's end are read by one row grammar (`grammar`),
and the rows become a `Table` with its head. A table whose reading does not fit well is kept as
*unread* with the reason, and none of its rows is emitted: a reviewer never sees a finding
computed on a row the tool may have misread.
"""

from __future__ import annotations

from dataclasses import dataclass

from targetqa import rx
from targetqa.extract.cells import OPERATOR, Atom, atoms_of, fold_text
from targetqa.extract.grammar import ParsedRow, is_whole_target, kind_of, read_rows, reads_as_target
from targetqa.extract.header import Header, find_headers
from targetqa.extract.implied import implied_headers
from targetqa.extract.layout import is_continued_title, name_goes_on
from targetqa.extract.meta import Cell, is_head_key, read_head
from targetqa.extract.tables import carry_down, project_from_title, table_kind
from targetqa.extract.values import normalize_operator, number_of, split_value
from targetqa.model import Row, Table
from targetqa.taxonomy import canonical_level1, canonical_level2, compact, is_level2_like, label_level

# What ends a table: its totals and notes, the form's sign-off, the next head, the page's footer.
_END = rx.compile(
    r"^(?:总分|合计|总计|备注[:：]|注[:：]|说明[:：]|偏差大|偏差原因|审核意见|财政部门|评价结论|存在问题|项目负责人|财务负责人|填表人|"
    r"联系电话|联系人|(?i:qrcode)|附件|返回|内容保障|项目名称|项目支出名称|扫一扫|地址[:：]|版权|主办|承办|技术支持|网站标识码|网站地图|"
    r"联系我们|关闭窗口|打印|分享到|责任编辑|上一篇|下一篇|相关链接|[\u4e00-\u9fff]{0,2}(?i:ICP)备|[\u4e00-\u9fff]公网安备|"
    r"[一二三四五六七八九十]+、|\d{1,2}、)"
)
_TITLE = rx.compile(r"绩效目标表|绩效目标申报表|目标申报表|绩效自评表|自评表|评价指标表|绩效目标批复表|绩效目标$")
_WORDS_OR_DIGITS = rx.compile(r"[\u4e00-\u9fff\d]")
_MIN_ROWS = 2  # fewer rows under a header inside prose: the prose named the columns
_MIN_USED = 0.65  # share of a table's text its rows must explain to be read with confidence
_MIN_VALUES = 0.6  # share of rows whose value reads as a target


@dataclass
class Unread:
    """A table that was found but not read with confidence: where, and why."""

    line: int
    title: str
    reason: str
    last_line: int = 0  # the last line of text the table could hold


@dataclass
class FlatResult:
    tables: list[Table]
    unread: list[Unread]


def read_flattened(lines: list[str]) -> FlatResult:
    lines = _join_wrapped_lines([_BR.sub("", text) if "<" in text else text for text in lines])
    numbered = [(n + 1, text) for n, text in enumerate(lines)]
    atoms = atoms_of(numbered)
    keys = _LineKeys(lines)
    headers = find_headers(atoms)
    headers = implied_headers(atoms, lines, headers[0].start if headers else len(atoms)) + headers
    tables: list[Table] = []
    unread: list[Unread] = []
    floor = 0
    last_fields: list[str] = []
    for h, header in enumerate(headers):
        limit = headers[h + 1].start if h + 1 < len(headers) else len(atoms)
        end, cut_off = _table_end(atoms, keys, header.end, limit)
        title, title_line = _title(lines, keys, atoms[header.start].line, atoms[floor].line if floor < len(atoms) else 1)
        # the same header again with no title above it: the table goes on after a page break, and
        # its first row may leave its levels to the rows before the break
        repeated = bool(tables) and not title and header.fields == last_fields
        last_fields = header.fields
        body = atoms[header.end : end]
        mode = ("rows" if len({a.line for a in body}) >= 3 else "run") if header.one_line else "cells"
        reading = read_rows(body, header.fields, mode, continued=repeated)
        rows = [r for r in reading.rows if _complete(r, header.fields) and not _label_as_name(r)]
        if cut_off and rows and not (_as_full_as_before(rows, header.fields) and _states_a_target(rows[-1])):
            rows = rows[:-1]  # the page stops inside this row: a cut row is not a row
        if len(rows) < _MIN_ROWS and not _stands_alone(atoms, header):
            floor = end
            continue  # prose that names the columns, with a sentence or two after it: no table
        # the text the rows explain, and the level labels on lines of their own that give them their
        # levels where the header has no column for them ('产出值' / '数量值' above '三级指标 | 指标值' rows)
        labels = _section_label_atoms(body, keys, header.fields)
        used = min(1.0, (sum(r.atoms for r in rows) + labels) / max(reading.content_atoms, 1))
        reason = _doubt(used, rows, header.fields)
        if mode == "rows" and rows:
            used *= sum(1 for r in rows if len(r.lines) <= 2) / len(rows)  # rows that are lines, as assumed
        if _aligned_columns(lines, body):
            used *= 0.5  # columns kept apart by position: cells wrap in place, which atoms do not see
        if mode == "cells" and rows:
            used *= sum(1 for r in rows if not r.cuts) / len(rows)  # cells that are lines, as assumed
        line = title_line or atoms[header.start].line
        if reason:
            last = atoms[end - 1].line if end > header.end else atoms[header.end - 1].line
            unread.append(Unread(line, title, reason, last))
        else:
            table = Table(table_no=0, title=title, line=line, confidence=round(used, 2))
            first = atoms[floor].line if floor < len(atoms) else 1
            read_head(_head_cells(lines, first, atoms[header.start].line), table)
            table.kind = table_kind(title, header.fields)  # type: ignore[assignment]
            table.project = table.project or project_from_title(title)
            _section_levels(lines, reading.rows, header.fields)
            width = _wrap_width(lines, body) if mode == "cells" else 0
            unsure = [bool(width) and _cut_where_it_wrapped(r, width) for r in rows]
            table.rows = _rows_with_levels(reading.rows, [r for r, no in zip(rows, unsure) if not no])
            table.unparsed = sorted(r.cells["level3"][1] for r, no in zip(rows, unsure) if no)
            if tables and (is_continued_title(title) or repeated) and not (table.project_code or table.budget or table.project):
                tables[-1].rows = carry_down(tables[-1].rows + table.rows)  # the table goes on after a page break
                tables[-1].confidence = min(tables[-1].confidence, table.confidence)
                floor = end
                continue
            tables.append(table)
            alt = _second_group(rows, table)
            if alt is not None:
                tables.append(alt)
        floor = end
    return FlatResult(tables, unread)


def _section_label(label: str) -> bool:
    """A level label standing alone on its line: a standard one, or one of the form's own
    ('预算(或投资规模)控制指标', kept as printed), notes included."""
    return bool(label) and len(label) <= 20 and bool(canonical_level1(label) or canonical_level2(label) or is_level2_like(label))


def _section_label_atoms(body: list[Atom], keys: _LineKeys, fields: list[str]) -> int:
    """Atoms on lines that hold a level label alone, in a table whose header has no column for
    that level: they give the rows below their levels (`_section_levels`), so the rows explain them."""
    if "level1" in fields and "level2" in fields:
        return 0
    return sum(1 for a in body if a.key and _section_label(compact(keys.lines[a.line - 1].replace("|", ""))))


def _section_levels(lines: list[str], read: list[ParsedRow], fields: list[str]) -> None:
    """'产出指标' / '数量指标' on lines of their own between the rows of a table whose header has no
    column for them (三级指标 | 指标值): the levels of the rows below, as merged cells would be."""
    missing = [f for f in ("level1", "level2") if f not in fields]
    if not missing:
        return
    last, seen_level1 = 0, False
    for row in read:
        if _label_as_name(row):
            continue  # '时效指标(工期指标)' read as a name and its note: a label line all the same
        first = min(row.lines, default=0)
        labels = [(n, label) for n in range(last + 1, first) if _section_label(label := compact(lines[n - 1].replace("|", "")))]
        for k, (n, label) in enumerate(labels):
            one, two = canonical_level1(label), canonical_level2(label) or (is_level2_like(label) and label)
            # '满意度指标' may be either; over a 二级 label ('具体指标', '服务对象满意度指标') it is the 一级
            over_level2 = k + 1 < len(labels) and bool(canonical_level2(labels[k + 1][1]) or is_level2_like(labels[k + 1][1]))
            if one and "level1" in missing and not (two and seen_level1 and not over_level2):  # 成本指标 under 产出指标 is its 二级
                row.cells["level1"] = (label, n)
                seen_level1 = True
                if not two:
                    row.cells.pop("level2", None)
            if two and "level2" in missing:
                row.cells["level2"] = (label, n)
        last = max(row.lines, default=last)


_CUT_ROW = rx.compile(r"\t|\|")
_BR = rx.compile(r"\s*<br\s*/?>\s*", rx.IGNORECASE)  # a line break inside a markdown or HTML cell: the text goes on
_WORDS_ONLY = rx.compile(r"^[^\d]*$")


def _is_label(key: str) -> bool:
    """A level label, perhaps with the form's note ('数量指标(30分)'); not a name's end that folds
    to one ('数量( ≥**个 )': a target's placeholder in brackets)."""
    return bool(label_level(key))


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """Tab or pipe rows whose cells wrap: a line with the same cells as the line above, the first
    ones and most others empty, the rest the ends of the cells above ('|  | 动完成率 |'), is put
    back into them (and left blank, so that lines keep their numbers). A line whose first cell is
    filled is a row of its own (pipe rows that leave merged cells out). An end with digits
    ('泥路1条', '0%') goes on a cell only alone on its line, where the line above has more cells
    after it: a name's end, not a target that lost its row."""
    out = list(lines)
    above = -1
    for n, text in enumerate(lines):
        if not text.strip():
            continue
        if above >= 0 and _CUT_ROW.search(text):
            sep = "|" if "|" in text else "\t"
            cells, top = text.split(sep), out[above].split(sep)
            filled = [k for k, c in enumerate(cells) if c.strip()]
            if (
                len(cells) == len(top) and filled and filled[0] > 0 and len(filled) < len(cells) - 1
                and sum(1 for c in top if c.strip()) >= 2
                and all(top[k].strip() and (_WORDS_ONLY.match(cells[k]) or (len(filled) == 1 and any(c.strip() for c in top[k + 1:])))
                        and not is_head_key(cells[k]) and not _is_label(compact(cells[k])) for k in filled)
                and all(name_goes_on(top[k], cells[k]) for k in filled)
            ):
                for k in filled:
                    top[k] = top[k].rstrip() + cells[k].strip()
                out[above] = sep.join(top)
                out[n] = ""
                continue
        above = n
    return out


def _rows_with_levels(read: list[ParsedRow], kept: list[ParsedRow]) -> list[Row]:
    """The kept rows, their merged levels carried down through every row read, kept or not.

    A row left empty ('效益指标 | 经济效益指标 |' with nothing after it) still opens its 一级: the
    row below it belongs there, not to the level of the last row that was kept.
    """
    carried = {id(r): row for r, row in zip(read, carry_down([_row(r) for r in read]))}
    return [carried[id(r)] for r in kept]


def _aligned_columns(lines: list[str], body: list[Atom]) -> bool:
    """Is this text laid out in columns by position (pdftotext -layout): many lines deeply indented?"""
    numbers = sorted({a.line for a in body})
    if len(numbers) < 2:
        return False
    indented = sum(1 for n in numbers if rx.match(r"^ {8,}\S", lines[n - 1]))
    gapped = sum(1 for n in numbers if rx.search(r"\S {3,}\S", lines[n - 1]))
    return indented / len(numbers) >= 0.2 or gapped / len(numbers) >= 0.3


def _stands_alone(atoms: list[Atom], header: Header) -> bool:
    """Does the header stand on lines of its own, as a table's header does?"""
    first = atoms[header.start]
    return first.glue in ("line", "blank") and (header.end >= len(atoms) or atoms[header.end].glue in ("line", "blank"))


class _LineKeys:
    """Each line's matching key, folded once: the table's end and title are looked for line by line."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self._keys: dict[int, str] = {}

    def __getitem__(self, number: int) -> str:
        if number not in self._keys:
            self._keys[number] = fold_text(self.lines[number - 1].strip(" |\t"))[0]
        return self._keys[number]


def _table_end(atoms: list[Atom], keys: _LineKeys, start: int, limit: int) -> tuple[int, bool]:
    """Where the table's rows stop, and whether the text stops with them (a page cut off)."""
    for k in range(start + 1, limit):
        atom = atoms[k]
        if atom.glue not in ("line", "blank"):
            continue
        key = keys[atom.line]
        # ('一、产出指标 | （一）数量指标 | …' opens with a numbered level label: a row, not a section)
        if (_END.match(key) and not canonical_level1(_first_cell(key))) or (_TITLE.search(key) and len(key) <= 60) \
                or is_head_key(_first_cell(key)):
            return k, False  # totals, notes, sign-off, footer; a title or the head of the next table
    return limit, limit == len(atoms)


def _first_cell(key: str) -> str:
    """The first cell of a line: up to a pipe, a tab, a colon or a run of spaces."""
    return rx.split(r"\s*[|\t:：]\s*|\s{2,}", key.strip(), maxsplit=1)[0]


def _title(lines: list[str], keys: _LineKeys, header_line: int, floor_line: int) -> tuple[str, int]:
    for n in range(header_line - 1, max(floor_line - 1, header_line - 40, 0), -1):
        key = keys[n]
        if _TITLE.search(key) and len(key) <= 80:
            return lines[n - 1].strip(" |").strip(), n
    return "", 0


def _head_cells(lines: list[str], first: int, header_line: int) -> list[Cell]:
    """The cells of the lines above a header: what pipes, tabs or spaces part (the head's keys and values).

    The head is read from whole cells, not atoms: a project name like '51000021R…-工资性支出' or
    '2018年市级专项扶贫资金…' holds numbers the atoms would cut.
    """
    cells: list[Cell] = []
    for n in range(max(first, 1), header_line):
        text = lines[n - 1]
        parts = text.split("|") if "|" in text else text.split("\t") if "\t" in text else rx.split(r"[ \u3000]+", text)
        cells.extend(Cell(p.strip(), n) for p in parts if p.strip())
    return cells


def _complete(row: ParsedRow, fields: list[str]) -> bool:
    """A row the table states: a name, and a target (or, in a 决算 table, an outcome)."""
    name = row.cells.get("level3", ("", 0))[0]
    if not name or kind_of(fold_text(name)[0]).number:
        return False
    targets = ("value", "expected", "actual", "operator")
    stated = [row.cells.get(f, ("", 0))[0] for f in targets]
    # '……' or a bare 定性 is no target: a row left empty
    return any(_WORDS_OR_DIGITS.search(t) and t.strip("-") not in ("定性", "定量") for t in stated) or not any(
        f in fields for f in targets
    )


def _states_a_target(row: ParsedRow) -> bool:
    """The last row before the page stops: its value must read as a whole target, not a fragment."""
    value = next((row.cells[f][0] for f in ("value", "expected") if f in row.cells), "")
    return not value or is_whole_target(value)


def _wrap_width(lines: list[str], body: list[Atom]) -> int:
    """The width at which the table's cells wrapped, where its text shows one, else 0.

    Text taken from a PDF with narrow columns prints one cell per line and cuts a long cell
    where its column was full: several lines exactly as long as the longest, each going on below
    ('对满足人民群众日' / '益提高的文化需求' / '的可持续影响'). Where such a cut falls, the text alone
    does not say whether a name ends there or goes on."""
    texts = [lines[n - 1].strip() for n in sorted({a.line for a in body})]
    if len(texts) < 6 or any("|" in t or "\t" in t for t in texts):
        return 0
    widest = max(map(len, texts))
    return widest if _MIN_WRAP <= widest <= _MAX_WRAP and sum(1 for t in texts if len(t) == widest) >= 3 else 0


_MIN_WRAP, _MAX_WRAP = 4, 24  # characters a narrow column holds


def _cut_where_it_wrapped(row: ParsedRow, width: int) -> bool:
    """A name that ends exactly where its column wrapped, followed by a value that is no whole
    target ('对满足人民群众日' | '益提高的文化需求'): the rest of the name taken for the value. Such a
    row is not judged: it is left out of the table and reported (EXT004)."""
    name = row.cells.get("level3", ("", 0))[0]
    value = next((row.cells[f][0] for f in ("value", "expected") if f in row.cells), "")
    return bool(name) and bool(value) and len(name) % width == 0 and not _states_a_target(row)


def _label_as_name(row: ParsedRow) -> bool:
    """A 二级 label read as the name under a carried 二级 ('生态效益指标  0'): a row left empty."""
    name = row.cells.get("level3", ("", 0))[0]
    c = kind_of(fold_text(name)[0])
    return (c.level2 or c.level2_like) and "level2" not in row.cells


_STATED = {"level3", "description", "operator", "value", "expected", "unit"}


def _as_full_as_before(rows: list[ParsedRow], fields: list[str]) -> bool:
    """Does the last row reach as far across the columns as the rows before it all did?

    A page cut inside a row leaves its trailing columns empty; a row that merely leaves a middle
    column empty (no description) but goes on to its value is whole.
    """
    if len(rows) < 2:
        return True
    before = set.intersection(*(set(r.cells) & _STATED for r in rows[:-1]))
    reached = max((fields.index(f) for f in rows[-1].cells if f in fields), default=-1)
    return all(fields.index(f) <= reached for f in before if f in fields)


def _doubt(used: float, rows: list[ParsedRow], fields: list[str]) -> str:
    """Why this reading should not be trusted ('' when it can be); `used`: the share of text its rows explain."""
    if not rows:
        return "表头之后没有读出完整的指标行"
    if used < _MIN_USED:
        return f"只有{used:.0%}的表格内容能对应到表头的列"
    value_col = next((f for f in ("value", "expected", "actual") if f in fields), None)
    if value_col:
        typed = sum(1 for r in rows if reads_as_target(r.cells.get(value_col, ("", 0))[0]))
        if typed / len(rows) < _MIN_VALUES:
            return f"{len(rows)}行中只有{typed}行的指标值像目标值"
    return ""


def _row(parsed: ParsedRow) -> Row:
    get = {k: v[0] for k, v in parsed.cells.items()}
    line = parsed.cells.get("level3", ("", 0))[1]
    scores = [number_of(text) for text in parsed.scores]
    row = Row(
        level1=get.get("level1", ""),
        level2=get.get("level2", ""),
        level3=get.get("level3", ""),
        description=get.get("description", ""),
        basis=get.get("basis", ""),
        actual=get.get("actual", ""),
        line=line,
        # 分值 then 得分, as forms print them; one score column alone is the weight
        points=scores[0] if scores else None,
        score=scores[1] if len(scores) > 1 else None,
    )
    operator, unit = get.get("operator", ""), get.get("unit", "")
    value = get.get("value", "") or get.get("expected", "")
    if not rx.fullmatch(OPERATOR, _plain_operators(operator).strip()):
        operator = ""  # 定量 / 定性 / 正向 / 反向: what kind of indicator, not how its value compares
    if unit == "-":
        unit = ""
    row.value_text = " ".join(p for p in (operator, value, unit) if p)
    parsed_value = split_value(_plain_operators(value))
    row.operator = normalize_operator(_plain_operators(operator)) if operator else parsed_value.operator
    row.value = parsed_value.value
    row.unit = parsed_value.unit or unit
    if "expected" in get:
        row.expected = row.value_text
    return row


def _plain_operators(text: str) -> str:
    """'﹦', '＞', '≧' as the operators they are; the rest of the cell as printed."""
    return text.translate(str.maketrans({"﹦": "=", "＝": "=", "＞": ">", "＜": "<", "≧": "≥", "≦": "≤"}))


def _second_group(rows: list[ParsedRow], table: Table) -> Table | None:
    """The 年度 group printed beside the 中期 (or 长期) one, as a table of its own when it says anything new.

    The group has its own 二级/三级 columns, or only a value column beside the first group's.
    """
    alt: list[Row] = []
    for parsed, main in zip(rows, table.rows):
        own_names = "level3_alt" in parsed.cells
        name = parsed.cells.get("level3_alt", ("", 0))[0] if own_names else main.level3
        if not name or not parsed.cells.get("value_alt", ("", 0))[0]:
            continue
        level2 = parsed.cells.get("level2_alt", ("", 0)) if own_names else (main.level2, main.line)
        copy = ParsedRow(
            {
                "level1": (main.level1, main.line),
                "level2": level2,
                "level3": (name, main.line),
                "value": parsed.cells.get("value_alt", ("", 0)),
            }
        )
        alt.append(_row(copy))
    if not alt:
        return None
    alt = carry_down(alt)
    same = [(r.level2, r.level3, r.value_text) for r in alt] == [(r.level2, r.level3, r.value_text) for r in table.rows]
    if same:
        return None
    second = Table(table_no=0, title=table.title, line=table.line, project=table.project, kind=table.kind)
    second.confidence = table.confidence
    second.rows = alt
    return second
