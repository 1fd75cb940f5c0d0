"""Find an indicator table's header among atoms and learn its column order.

Headers come spaced, wrapped, run together (`一级指标二级指标三级指标指标值`), over two rows
(`绩效指标 | 年度指标值 | 实际完成值` above `一级 | 二级 | 三级 | 指标性质 | 指标值 | 度量单位`),
with two value groups side by side (中期 and 年度: `二级 | 三级 | 指标值` twice) or with an
evaluation scale (`评价标准` over `优 | 良 | 中 | 差`). The header text is tokenised with one
vocabulary of column names; the token sequence is then rewritten into one field per data column.
"""

from __future__ import annotations

from dataclasses import dataclass

from targetqa import rx
from targetqa.extract.cells import Atom
from targetqa.lexicon import ALL_UNITS
from targetqa.taxonomy import canonical_level1, simplified

# Column names, longest first within each field; matched on the folded key.
_WORDS: tuple[tuple[str, str], ...] = (
    (r"绩?效指标分类|一级指标|一级|评价指标(?=评价内容)", "level1"),
    (r"二级指标|二级|评价内容", "level2"),
    (r"三级指标|三级|具体指标名称|指标名称|具体指标", "level3"),
    (r"绩效指标类别|指标类别|指标类型", "category"),
    (r"指标子类", "level2"),
    (r"绩效指标评价标准|评价标准(?!确定)", "grades"),
    (r"绩效指标描述|指标值内容|指标内容|指标解释|指标说明及公式|指标说明|指标描述|指标定义|绩效标准|指标值说明|计算公式|指标含义", "description"),
    (r"评价标准确定依据|指标值确定依据|指标确定依据|确定依据|依据|数据来源|取值来源|佐证材料", "basis"),
    (r"评[(（]?扣[)）]?分标准|评分标准|扣分标准|评分规则|考核方式|责任单位|牵头单位", "remark"),
    (r"指标值类型|指标性质|指标方向|运算符号|符号", "operator"),
    (r"度量单位|计量单位|单位", "unit"),
    (r"全年实际完成值|全年实际值|实际完成值|实际完成情况|实际完成指标值|实际值|(?<!计划)完成值|完成情况", "actual"),
    (
        r"年初目标值|年度指标值|预期达到目标|当年预期实现值|计划指标值|预期指标值|计划完成值|计划值|预期值|标准值|指标值|目标值|"
        r"年度数值|数值|预期目标|^值$",
        "value",
    ),
    (r"分值|得分|权重", "score"),
    (r"偏差原因分析及改进措施|未完成原因[\u4e00-\u9fff]{0,10}|偏差原因[\u4e00-\u9fff]{0,10}|备注|说明", "remark"),
    (r"绩效指标|绩效目标|评价指标", "umbrella"),
    (r"序号|编号|行次", "index"),
    (r"优良中差|^[优良中差]$", "grade"),
)
_TOKEN = rx.compile("|".join(f"(?P<f{k}>{pattern})" for k, (pattern, _) in enumerate(_WORDS)))
_NOTE = rx.compile(r"[(（][^()（）]*[)）]?|[A-Za-z]\)?")
LEVELS = ("level1", "level2", "level3")


@dataclass
class Header:
    fields: list[str]
    start: int  # index of the first header atom
    end: int  # index after the last header atom
    one_line: bool  # the header stood on a line (or two): each data row does too


def tokens(key: str) -> tuple[list[str], int]:
    """The column fields named in `key`, and how many characters no column name covers."""
    out: list[str] = []
    covered = 0
    for m in _TOKEN.finditer(key):
        field = _WORDS[int(m.lastgroup[1:])][1]
        out.append(field)
        covered += m.end() - m.start()
    rest = _NOTE.sub("", key)
    return out, max(0, len(rx.sub(r"[^\u4e00-\u9fff]", "", rest)) - covered)


def _names_its_cell(key: str) -> bool:
    """'三级指标：安全情况': a column named with its cell, a record (`listed`), not a header."""
    return ":" in key or "：" in key


_LIST_MARK = rx.compile(r"[一二三四五六七八九十]{1,2}[、.．]|[(（][一二三四五六七八九十]{1,2}[)）]?")


def _is_header_text(key: str) -> bool:
    if _names_its_cell(key):
        return False
    found, uncovered = tokens(key)
    if not found:
        # '绩', '指标', '(A' left over by merged or wrapped header cells; not '一、' or '(一)' numbering
        # the first row's label ('一、产出指标')
        return len(key) <= 2 and not rx.search(r"\d", key) and not canonical_level1(key) and not _LIST_MARK.fullmatch(key)
    return uncovered <= 2


def _header_piece(atoms: list[Atom], j: int) -> int | None:
    """End of the header cell starting at atom j (atoms cut inside running text joined), or None."""
    best = None
    key = ""
    for k in range(j, min(len(atoms), j + 5)):
        if k > j and atoms[k].glue not in ("run", "split"):
            break
        key += atoms[k].key
        if _is_header_text(key):
            best = k + 1
    return best


def _unknown_column(atoms: list[Atom], j: int) -> bool:
    """A short cell of words that names no known column, with a known column name right after it."""
    key = atoms[j].key
    if not key or len(key) > 10 or rx.search(r"\d", key) or canonical_level1(key) or j + 1 >= len(atoms):
        return False
    if atoms[j + 1].glue not in ("hard", "space", "line", "blank"):
        return False
    return _header_piece(atoms, j + 1) is not None and bool(tokens(atoms[j + 1].key)[0])


def _anchor(atoms: list[Atom], i: int) -> bool:
    """Does a header start at atom i: a level column, with another level or a name column near it?

    Most headers start at 一级; some forms have no 一级 column (二级 | 三级 | 指标值) or no level
    columns at all (三级指标 | 指标值).
    """
    key = atoms[i].key
    if _names_its_cell(key):
        return False
    window = "".join(a.key for a in atoms[i : i + 8])
    if rx.match(r"(?:绩效指标|绩效目标)?(?:一级|绩?效指标分类|评价指标|绩效指标类别|指标类别|指标类型)", key):
        return bool(rx.search(r"二级|三级|指标名称|评价内容|绩效指标描述|具体指标|指标子类", window[2:]))
    if key.startswith("二级指标"):
        return bool(rx.search(r"三级指标|指标名称", window[4:]))
    if key.startswith("三级指标"):
        return bool(rx.search(r"指标值|目标值", window[4:]))
    return False


def find_headers(atoms: list[Atom]) -> list[Header]:
    headers: list[Header] = []
    i = 0
    while i < len(atoms):
        if not _anchor(atoms, i):
            i += 1
            continue
        start = i
        # a top header row just before the anchor ('绩效指标 | 年度指标值 | 实际完成值' over '一级 | 二级 …')
        while start > 0 and i - start < 10 and (not atoms[start - 1].key or _is_header_text(atoms[start - 1].key)):
            start -= 1
        while start < i and not atoms[start].key:
            start += 1
        found: list[str] = []
        if start == i and i > 0 and atoms[i].glue in ("hard", "space") and _unknown_column(atoms, i - 1):
            start -= 1  # '任务名称 | 一级指标 | …': a column of the form's own before the levels
            found.append("ignore")
        for atom in atoms[start:i]:
            found.extend(tokens(atom.key)[0])
        j = i
        while j < len(atoms):
            end = _header_piece(atoms, j)
            if end is None and _unknown_column(atoms, j):
                found.append("ignore")  # a column the vocabulary does not know, between ones it does
                j += 1
                continue
            if end is None:
                break
            found.extend(tokens("".join(a.key for a in atoms[j:end]))[0])
            j = end
        sub, j = _subheader(atoms, j)
        fields = arrange(found, sub)
        if fields and "level3" in fields and ("value" in fields or "actual" in fields or "expected" in fields):
            one_line = len({a.line for a in atoms[start:j]}) <= 2
            headers.append(Header(fields, start, j, one_line))
            i = j
        else:
            i += 1
    return headers


_SUBFIELDS = {"operator", "value", "unit"}
_ROW_NUMBER = rx.compile(r"^\d{1,3}(?:\.0+)?$")


def _subheader(atoms: list[Atom], j: int) -> tuple[list[str], int]:
    """A second header row splitting the value column (符号 | 值 | 单位), past row numbers and empty cells."""
    k = j
    while k < len(atoms) and k - j < 8 and (not atoms[k].key or _ROW_NUMBER.match(atoms[k].key)):
        k += 1
    sub: list[str] = []
    while k < len(atoms):
        end = _header_piece(atoms, k) if atoms[k].key else k + 1
        if end is None:
            break
        found = tokens("".join(a.key for a in atoms[k:end]))[0]
        if not set(found) <= _SUBFIELDS:
            break
        sub.extend(found)
        k = end
    return (sub, k) if len(sub) >= 2 else ([], j)


def arrange(found: list[str], sub: list[str] | None = None) -> list[str]:
    """One field per data column from the header's tokens in reading order (and a value-splitting subheader)."""
    found = [f for f in found if f]
    # 指标类别 | 指标名称: the category is the 二级 column, unless a 二级 column follows (指标类型 | 指标子类);
    # after the levels, 指标类型 is what kind of indicator (定量 / 定性), as 指标性质 is
    first = next((k for k, f in enumerate(found) if f in LEVELS), len(found))
    found = [f if f != "category" else "operator" if k > first else "level1" if "level2" in found else "level2"
             for k, f in enumerate(found)]
    if not any(f in LEVELS for f in found):
        return []
    first_level = next(k for k, f in enumerate(found) if f in LEVELS)
    # 序号 | 一级指标 | …: rows open with their number; 任务名称 | 一级指标 | …: with a cell of the form's own
    lead = found[0] if first_level and found[0] in ("index", "ignore") else ""
    before = [f for f in found[:first_level] if f not in ("umbrella", "index", "ignore")]
    after = found[first_level:]
    if before and any(f in ("value", "actual", "score") for f in before):
        # two header rows: the top one names 绩效指标 over the levels and 年度指标值 over the
        # value group the second row splits (指标性质 | 指标值 | 度量单位)
        levels = [f for f in after if f in LEVELS]
        split = [f for f in after if f not in LEVELS and f != "umbrella"]
        top = before
        at = top.index("value") if "value" in top else 0
        found = levels + (split or ["value"]) + top[at + 1 :]
    else:
        found = after
    fields: list[str] = []
    seen_value = False
    for f in found:
        if f == "umbrella":
            if any(x in LEVELS for x in fields) and "level3" not in fields and "level3" not in found:
                fields.append("level3")  # 绩效指标分类 | 绩效指标 | 绩效指标描述: the names' column
            continue
        if f == "grade":
            continue
        if f == "grades":
            fields.extend(["value", "grade", "grade", "grade"] if "grade" in found else ["value"])  # 优 | 良 | 中 | 差
            seen_value = True
            continue
        if seen_value and f in ("level2", "level3") and f in fields:
            fields.append(f + "_alt")  # a second value group: 中期 and 年度 side by side
            continue
        if f == "value" and seen_value:
            fields.append("value_alt")  # 中期 (or 长期) and 年度 values side by side
            continue
        if f == "value":
            seen_value = True
        fields.append(f)
    if "level3" not in fields:
        last = max(k for k, f in enumerate(fields) if f in LEVELS)
        fields.insert(last + 1, "level3")  # every table names its indicators, headed or not
    if sub and "value" in fields:
        at = fields.index("value")
        fields[at : at + 1] = sub
    if "actual" in fields and "value" in fields:
        fields[fields.index("value")] = "expected"
    return [lead, *fields] if lead else fields


# '指标值（万元）', '年度指标值(%)': the value column's header gives its unit
_VALUE_UNIT = rx.compile(r"(?:年度|预期|计划)?(?:指标值|目标值|指标值?目标)\s*[(（]\s*([^()（）]{1,6}?)\s*[)）]")


def value_unit(lines: list[str]) -> str:
    """The unit the value column's header gives in brackets, if these header lines give one (and
    only one), else ''."""
    found = {m.group(1) for line in lines for m in _VALUE_UNIT.finditer(simplified(line.replace(" ", "")))}
    units = {u for u in found if u in ALL_UNITS}
    return units.pop() if len(units) == 1 and len(found) == 1 else ""
