"""Document facts: department, region, year, kind (预算/决算), goal prose, stated totals.

Departments name themselves in the title lines ("中共秦皇岛市山海关区委组织部管理部门 /
2020年部门预算公开说明"), in the opening sentence ("现将XX2021年部门预算公开如下"), or only
inside tables ("预算单位 | 中国共产党开江县委员会组织部", "项目单位 203001-1]组织部门…本级").
Each source is tried in order of reliability.
"""

from __future__ import annotations

from collections import Counter

from targetqa import rx
from targetqa.extract.layout import CellRow, Item, TextLine
from targetqa.model import Block, Document, Statement
from targetqa.taxonomy import plain

_ORG_END = r"(?:组织部|宣传部|统战部|工作部|委员会|办公室|办公厅|局|委|部|厅|院|中心|所|站|馆|会|处|队|政府|街道办事处|学校|小学|中学|大学|幼儿园|医院)"
_ORG = rx.compile(rf"((?:中国共产党|中共)?[\u4e00-\u9fff（）()]{{2,40}}?{_ORG_END})")
_ANNOUNCE = rx.compile(r"现将(.{4,60}?)(?:（含所属单位）)?\s*(\d{4})\s*年(?:度)?部门(预算|决算)")
_TITLE_YEAR = rx.compile(r"(\d{4})\s*年(?:度)?\s*(?:部门|单位)(预算|决算)")
# Cover pages that name the level first: "上海市普陀区2025年区级部门预算" (years and kind only:
# the text before it is a region, not a department).
_TITLE_YEAR_LEVEL = rx.compile(r"(\d{4})\s*年(?:度)?\s*(?:省|市|区|县|州|旗|乡镇|镇)级\s*(?:部门|单位)(预算|决算)")
# A cover or head line that names the department with a label: "预算主管部门：上海市普陀区商务委员会".
_DEPT_LABEL = rx.compile(
    r"^(?:预算主管部门|主管部门|预算单位|预算部门|编制单位|编制部门|部门名称|单位名称|部门（单位）名称|部门\(单位\)名称)\s*[:：]\s*"
    rf"((?:中国共产党|中共)?[\u4e00-\u9fff（）()]{{2,40}}?{_ORG_END})\s*(?:[（(](?:本级|汇总|部门汇总)[)）])?$"
)
_ANY_YEAR = rx.compile(r"(20\d{2}|19\d{2})\s*年")
_BUDGET_YEAR = rx.compile(r"预算年度[:：]\s*(\d{4})")
_REGION = rx.compile(
    r"^(?:中国共产党|中共)?((?:[\u4e00-\u9fff]{2,8}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,8}?市)?(?:[\u4e00-\u9fff]{2,10}?(?:开发区|新区|区|县|旗))?)"
)
_STATEMENT = rx.compile(
    r"(?:编报|编制|设置|填报)?绩效目标的?(?:项目)?(?:共|合计)?\s*(\d+)\s*个[^。；]{0,30}?(?:资金|金额|预算)[^。；\d]{0,12}?(\d+(?:\.\d+)?)\s*(万元|元|亿元)"
)
_STATEMENT_COUNT = rx.compile(r"共编制(?:项目)?绩效目标\s*(\d+)\s*个")
_GOAL_HEAD = rx.compile(r"(?:总体绩效目标|分项绩效目标|绩效目标|职责目标|年度目标|工作目标)[:：]?")


def _clean_org(name: str) -> str:
    name = rx.sub(r"^(?:现将|关于|\d+|[（(]\d+[)）])", "", name.strip())
    name = rx.sub(r"(?:管理部门|本级)$", "", name)
    return name.strip("，,、：: ")


# Labels a page or a table's head names its department with, most specific first.
_ORG_LABELS = ("部门（单位）名称", "部门(单位)名称", "单位名称", "预算单位", "主管部门", "填报单位", "项目单位", "实施单位",
               "部门", "发布机构", "信息来源", "来源")
_CODE_PREFIX = rx.compile(r"^[\[［【(（]?\d{2,8}[\]］】)）]?[-_—]?")


def _labelled_org(text: str) -> str:
    """'主管部门 | [077]淮北市文化旅游体育局', '信息来源:霍邱县科技局': a department named by a label."""
    for label in _ORG_LABELS:
        pattern = rf"{rx.escape(label)}\s*(?:[（(]\s*(?:盖章|公章)\s*[)）])?\s*(?:及代码)?\s*[:：|\t ]\s*\|?\s*([^\s|:：]{{3,45}})"
        for m in rx.finditer(pattern, text):
            value = _CODE_PREFIX.sub("", m.group(1))
            org = _ORG.match(value)
            if org and "*" not in value:
                return _clean_org(org.group(1))
    return ""


def find_department(lines: list[str], items: list[Item]) -> str:
    head = [ln.strip().strip("*") for ln in lines[:12] if ln.strip()]
    text = "\n".join(lines[:400])
    m = _ANNOUNCE.search(text)
    if m:
        return _clean_org(m.group(1))
    for line in head[:8]:
        m = _DEPT_LABEL.match(line)
        if m:
            return _clean_org(m.group(1))
    for k, line in enumerate(head[:8]):
        if _TITLE_YEAR.search(line):
            before = _TITLE_YEAR.split(line)[0].strip()
            if len(before) >= 4:
                return _clean_org(rx.sub(r"^\d{4}\s*年", "", before))
            if k > 0 and _ORG.search(head[k - 1]):
                return _clean_org(head[k - 1])
        rest = rx.sub(r"^\d{4}\s*年(?:度)?", "", line)
        if rest != line and _ORG.fullmatch(rest.strip()):
            return _clean_org(rest)
    for item in items:
        if isinstance(item, CellRow):
            cells = [c.strip() for c in item.cells]
            for a, b in zip(cells, cells[1:]):
                if rx.fullmatch(r"(?:预算单位|单位名称|编制部门|部门名称|部门（单位）名称|部门\(单位\)名称|预算部门)[:：]?", a) and b:
                    return _clean_org(b)
            for c in cells:
                m = rx.match(r"编制(?:部门|单位)[:：]\s*(\S+)", c)
                if m:
                    return _clean_org(m.group(1))
    m = rx.search(r"项目单位\s*[\d\-\]]*[\u4e00-\u9fff]*?部门((?:中国共产党|中共)[\u4e00-\u9fff]+?)本级", text.replace("\n", "") + "".join(lines[400:2000]))
    if m:
        return _clean_org(m.group(1))
    found = _labelled_org(plain("\n".join(lines[:80])))
    if found:
        return found
    for line in head[:3]:
        m = rx.match(r"^(?:中国共产党|中共)[\u4e00-\u9fff]{2,30}?" + _ORG_END, line)
        if m:
            return _clean_org(m.group(0))
    m = rx.search(r"(?:^|\n)\s*((?:中国共产党|中共)[\u4e00-\u9fff]{2,30}?" + _ORG_END + r")是", text)
    if m:
        return _clean_org(m.group(1))
    return ""


def find_region(department: str) -> str:
    m = _REGION.match(department)
    return m.group(1) if m else ""


def find_year_kind(lines: list[str]) -> tuple[int | None, str]:
    years: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    for line in lines[:200]:
        for m in _TITLE_YEAR.finditer(line):
            years[int(m.group(1))] += 1
            kinds[m.group(2)] += 1
        for m in _TITLE_YEAR_LEVEL.finditer(line):
            years[int(m.group(1))] += 1
            kinds[m.group(2)] += 1
        m = _BUDGET_YEAR.search(line)
        if m:
            years[int(m.group(1))] += 2
            kinds["预算"] += 1
    if not years:
        for line in lines[:100]:
            for m in _ANY_YEAR.finditer(line):
                years[int(m.group(1))] += 1
    year = years.most_common(1)[0][0] if years else None
    kind = kinds.most_common(1)[0][0] if kinds else ""
    return year, kind


def find_blocks(items: list[Item]) -> list[Block]:
    """Paragraphs of prose: every plain text line long enough to be a sentence."""
    blocks: list[Block] = []
    for item in items:
        if isinstance(item, TextLine):
            text = item.text.strip()
            if len(text) >= 12 and rx.search(r"[。；，]", text):
                blocks.append(Block(text, item.line, item.page))
    return blocks


def find_statements(lines: list[str]) -> list[Statement]:
    found: list[Statement] = []
    for number, line in enumerate(lines, start=1):
        m = _STATEMENT.search(line)
        if not m and number < len(lines) and not line.rstrip().endswith(("。", "；", ";")):
            # a sentence that the PDF or the converter wrapped onto the next line
            joined = line.rstrip() + lines[number].strip()
            m = _STATEMENT.search(joined)
            if m and m.start() >= len(line.rstrip()):
                m = None
        if m:
            amount = float(m.group(2))
            amount = amount / 10000 if m.group(3) == "元" else amount * 10000 if m.group(3) == "亿元" else amount
            found.append(Statement(int(m.group(1)), amount, m.group(0), number))
            continue
        m = _STATEMENT_COUNT.search(line)
        if m:
            found.append(Statement(int(m.group(1)), None, m.group(0), number))
    return found


def fill_facts(doc: Document, items: list[Item]) -> None:
    doc.department = find_department(doc.lines, items)
    doc.region = find_region(doc.department)
    doc.year, doc.kind = find_year_kind(doc.lines)
    doc.blocks = find_blocks(items)
    doc.statements = find_statements(doc.lines)
