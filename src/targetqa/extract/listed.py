"""Indicators written as text rather than a table: lists under level headings, or records of keys.

Some pages state their targets in sentences: '一、产出指标' as a heading, then
'数量指标：种植数量(≥**株)>=17600株；种植作物成活率(≥**%)>=85；时效指标：完成及时率>=100%。', or
bracketed lists ('【产出指标-数量指标】 指标1:机柜数量(≥77台)'). The level labels and the values
are the same closed vocabularies the table grammar uses; what changes is the separators: a label
ends at '：' (or '，'), an indicator at '；' or '。', and at '，' only where what came before
already holds a whole indicator (its name and its value).

Others print each row as a record of the table's column names and cells, on one line or a few
('一级指标：产出指标；二级指标：数量指标；三级指标：享受资助人数；指标值：2100人'): the column names
are the header's vocabulary (`header.tokens`), and a record ends where its name or a level starts again.
"""

from __future__ import annotations

from targetqa import rx
from targetqa.extract.cells import DATE, OPERATOR, PER, UNIT, fold_text
from targetqa.extract.header import tokens
from targetqa.extract.values import split_value
from targetqa.model import Row, Table
from targetqa.taxonomy import canonical_level1, canonical_level2

_LEVEL = rx.compile(
    r"(?:(?P<l1>(?:预期)?(?:产出|效益|效果|满意度|成本)指标)\s*[-—]\s*)?"
    r"(?P<label>(?:服务对象满意度|社会公众满意度|满意度|经济效益|社会效益|生态效益|可持续影响|经济成本|社会成本|生态环境成本|"
    r"数量|质量|时效|成本|产出|效益|效果)(?:指标|目标))"
    r"\s*(?:[:：】\]]|[,，](?=\S))"
)
_HEADING = rx.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|【)\s*(?P<label>[^\s:：】]{2,8}指标)")
# a value at the end of an indicator: '>=17600株', '≥95%', '≤28.40/株', '(≥77台)'
_TARGET = rx.compile(
    rf"[(（]?(?P<value>{OPERATOR}\s*\d+(?:\.\d+)?\s*(?:{UNIT}{PER}|{PER[:-1]}+)?|\d+(?:\.\d+)?\s*{UNIT}{PER}|{DATE})[)）]?\s*$"
)
_ITEM_END = rx.compile(r"[;；。]")
_MIN_ITEMS = 3  # indicators listed under level headings: fewer may be prose that looks like one
_MIN_RECORDS = 1  # records that name their cells ('三级指标：…；指标值：…') say what they are


def read_listed(lines: list[str], taken: set[int]) -> list[Table]:
    """Tables of indicators listed in prose; lines in `taken` belong to tables read already."""
    rows: list[Row] = []
    level1 = ""
    for number, text in enumerate(lines, start=1):
        if number in taken:
            continue
        key, _ = fold_text(text)
        heading = _HEADING.match(key)
        if heading and canonical_level1(heading.group("label")) and len(key.strip()) <= 12:
            level1 = heading.group("label")
            continue
        rows.extend(_rows_of(text, number, level1))
    keyed = _records(lines, taken)
    return [_table(found) for found, least in ((rows, _MIN_ITEMS), (keyed, _MIN_RECORDS))
            if sum(1 for r in found if r.level3 and r.value) >= least]


def _table(rows: list[Row]) -> Table:
    table = Table(table_no=0, title="", line=rows[0].line, kind="project")
    table.rows = rows
    return table


_KEYS = r"一级指标|二级指标|三级指标|具体指标名称|指标名称|年度指标值|指标值|目标值|预期值|度量单位|计量单位|实际完成值|指标解释|指标说明"
_KEYED = rx.compile(rf"(?P<key>{_KEYS})\s*[:：]\s*(?P<cell>.*?)\s*(?=[;；,，]?\s*(?:{_KEYS})\s*[:：]|[;；。]?\s*$)")
_RECORD_FIELDS = {"level1", "level2", "level3", "value", "unit", "actual", "description"}


def _records(lines: list[str], taken: set[int]) -> list[Row]:
    """Rows printed as records of column names and cells: a record is a row once it has a name
    and a target; a level or a name given again starts the next one (levels carry down)."""
    rows: list[Row] = []
    record: dict[str, str] = {}
    levels = {"level1": "", "level2": ""}
    where = 0

    def close() -> None:
        if record.get("level3") and (record.get("value") or record.get("actual")):
            row = Row(level1=record.get("level1", levels["level1"]), level2=record.get("level2", levels["level2"]),
                      level3=record["level3"], description=record.get("description", ""),
                      actual=record.get("actual", ""), line=where)
            _fill(row, record.get("value", "") + record.get("unit", ""))
            rows.append(row)
            levels.update(level1=row.level1, level2=row.level2)
        record.clear()

    for number, text in enumerate(lines, start=1):
        if number in taken or "：" not in text and ":" not in text:
            continue
        for m in _KEYED.finditer(text):
            found = tokens(m.group("key"))[0]
            field = found[0] if found else ""
            if field not in _RECORD_FIELDS:
                continue
            starts_again = field in record or (field in ("level1", "level2") and "level3" in record)
            if starts_again:
                close()
            if not record:
                where = number
            record[field] = m.group("cell").strip()
    close()
    return rows


def _rows_of(text: str, line: int, level1: str) -> list[Row]:
    """The indicators of one paragraph: each level label opens a group, each item is a row."""
    labels = list(_LEVEL.finditer(text))
    if not labels:
        return []
    rows: list[Row] = []
    for n, m in enumerate(labels):
        end = labels[n + 1].start() if n + 1 < len(labels) else len(text)
        label = m.group("label")
        if canonical_level1(label) and not canonical_level2(label):
            level1 = label  # '效益指标:' before its 二级 labels
            continue
        if m.group("l1"):
            level1 = m.group("l1")
        items = _items(text[m.end() : end])
        for name, value in items:
            row = Row(level1=level1, level2=label, level3=name, line=line)
            _fill(row, value)
            rows.append(row)
    return rows


def _items(body: str) -> list[tuple[str, str]]:
    """(name, value) pairs; an item without a number is a target in words with no name."""
    out: list[tuple[str, str]] = []
    for part in _ITEM_END.split(body):
        part = part.strip(" ,，、")
        if not part:
            continue
        pending = ""
        for piece in rx.split(r"(?<=[,，])", part):
            pending += piece
            clause = pending.strip(" ,，")
            target = _TARGET.search(clause)
            if target and target.start() > 0:
                out.append((clause[: target.start()].strip(" ,，:："), target.group("value")))
                pending = ""
        rest = pending.strip(" ,，")
        if rest:
            target = _TARGET.search(rest)
            if target and target.start() > 0:
                out.append((rest[: target.start()].strip(" ,，"), target.group("value")))
            elif not out and len(rest) <= 16:
                out.append(("", rest))
    return out


def _fill(row: Row, value: str) -> None:
    parsed = split_value(value)
    row.operator, row.value, row.unit = parsed.operator, parsed.value, parsed.unit
    row.value_text = value
