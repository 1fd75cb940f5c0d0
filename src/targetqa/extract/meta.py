"""Read a table's head: project name and code, budget, purpose, spending plan, goals.

The head is a sequence of key cells (项目名称, 项目编码, 资金用途, 年度资金总额, 资金支出计划,
绩效目标 / 目标1) each followed by its value. Whatever the layout, the head arrives here as a
flat list of cells with their source lines, so one reader serves text, DOCX, XLSX and PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from targetqa import rx
from targetqa.extract.layout import join_wrapped
from targetqa.extract.values import number_of
from targetqa.model import Table
from targetqa.taxonomy import compact, plain

_IN_UNIT = r"(?:（万元）|\(万元\)|（元）|\(元\))"  # '预算数（万元）': the unit the key gives its figure in
_KEYS: tuple[tuple[str, str], ...] = (
    (r"^项目编码及名称$|^项目名称及编码$", "code_name"),
    (r"^项目(?:编码|代码)$", "code"),
    (r"^项目名称$|^项目支出名称$", "project"),
    (r"^(?:主管部门及代码|主管部门|项目单位|实施单位|预算单位|单位名称|项目类型|项目属性|项目期限|项目绩效模板)$", "skip"),
    (r"^资金用途$|^项目概况$|^主要内容$", "purpose"),
    (rf"^(?:年度资金总额|资金总额|预算数|项目资金|年度预算数|预算金额|项目总金额|预算规模|部门预算|项目预算|年度预算)[:：]?{_IN_UNIT}?$",
     "budget"),
    (rf"^中期资金总额[:：]?{_IN_UNIT}?$", "mid_budget"),
    (r"^(?:预算执行情况.*|预算规模及资金用途)$", "skip"),
    (r"^资金支出计划.*|^\(累计支出金额\)$|^（累计支出金额）$|^\(累计进度%?\)$", "plan"),
    (r"^(?:年度绩效目标|绩效目标|年度目标|年度目标完成情况|总体目标|年度总体目标|项目绩效目标|整体绩效目标|项目年度目标|"
     r"\*?年度总体绩效目标)$", "goals"),
    (r"^目标\d+$", "goal"),
    (r"^预期目标$|^实际完成目标$", "label"),
)
_FIGURE = rx.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
_MONTH = rx.compile(r"^(\d{1,2})月(?:底|末)$")
_GOAL_ITEM = rx.compile(r"(?:^|\n|\s)(?=\d{1,2}[.．、](?!\d))")
_CODE = rx.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{5,}")


@dataclass
class Cell:
    text: str
    line: int


_KEY_RES = tuple((rx.compile(pattern), name) for pattern, name in _KEYS)


# other names of the funds, with their unit: '中期市财政预算(万元)', '本年度申请市财政预算资金(万元)'
_MONEY_KEY = rx.compile(rf"^(?!其中|其他)[\u4e00-\u9fff]{{0,16}}(?:预算|资金)[\u4e00-\u9fff]{{0,6}}{_IN_UNIT}$")


@lru_cache(maxsize=16384)
def _key(text: str) -> str | None:
    c = plain(compact(text))  # "項目名稱", "年度總體績(jì)效目標" on a page a mirror converted
    for pattern, name in _KEY_RES:
        if pattern.match(c):
            return name
    if _MONEY_KEY.match(c):
        return "mid_budget" if "中期" in c else "budget"
    return None


def is_head_key(text: str) -> bool:
    """Is this the name of a head field (项目名称, 年度资金总额, 绩效目标 …)?"""
    return _key(text) is not None


def split_goals(text: str) -> list[str]:
    """'1.激发…\\n2.提高…' → two goals; a single paragraph stays one goal."""
    text = text.strip()
    if not text:
        return []
    parts = [p.strip() for p in _GOAL_ITEM.split(text) if p.strip()]
    return [join_wrapped(p) for p in parts]


def read_head(cells: list[Cell], table: Table) -> None:
    """Fill the table's head fields from the cells before its header row."""
    i = 0
    n = len(cells)
    months: list[str] = []
    pending_goal = False  # 年度目标完成情况 | 预期目标 | 实际完成目标, then the goal a row below
    while i < n:
        text = cells[i].text
        key = _key(text)
        c = compact(text)
        if _MONTH.match(c):
            months.append(c)
            i += 1
            continue
        if months and _FIGURE.fullmatch(c):
            # the figures under the 3/6/10/12月底 labels; a cell like '0.0060.00' (two figures
            # run together by a converter) is no figure, and the plan is left unread
            figures: list[float] = []
            while i < n and _FIGURE.fullmatch(compact(cells[i].text)):
                figures.append(float(compact(cells[i].text).rstrip("%").replace(",", "")))
                i += 1
            table.plan = list(zip(months[-len(figures):] if len(figures) <= len(months) else months, figures))
            months = []
            continue
        if key is None:
            if pending_goal and c and not _MONTH.match(c):
                table.goals.extend(split_goals(text))
                pending_goal = False
            i += 1
            continue
        if key == "label":
            i += 1
            continue
        nxt = cells[i + 1].text.strip() if i + 1 < n else ""
        nxt_key = _key(nxt) if nxt else None
        value = "" if nxt_key or _MONTH.match(compact(nxt)) else nxt
        if key == "plan":
            if "%" in c or "进度" in c:
                table.plan_unit = "%"
            i += 1
            continue
        if key == "skip":
            i += 2 if value else 1
            continue
        if key == "code_name":
            joined = join_wrapped(value)
            m = rx.match(r"^\s*([0-9A-Za-z]{6,})\s*[-—－]\s*(.+)$", joined)
            if m:
                table.project_code, table.project = m.group(1), m.group(2).strip()
            else:
                table.project = joined
        elif key == "code" and value and _CODE.match(compact(value)):
            table.project_code = compact(value)
        elif key == "project" and value:
            table.project = join_wrapped(value)
        elif key == "purpose" and value:
            table.purpose = join_wrapped(value)
        elif key == "budget":
            # 003: 预算数: | 75 ; 000-style: 年度资金总额 | 1.2
            amount = _in_wan(value, c)
            if amount is not None and table.budget is None:
                table.budget, table.budget_text = amount, compact(value)
        elif key == "mid_budget":
            amount = _in_wan(value, c)
            if amount is not None and table.mid_budget is None:
                table.mid_budget = amount
        elif key == "goals":
            if value:
                table.goals.extend(split_goals(value))
            else:
                pending_goal = True
        elif key == "goal" and value:
            table.goals.append(join_wrapped(value))
        i += 2 if value else 1


def _in_wan(value: str, key: str) -> float | None:
    """The figure of a funds cell in 万元 (the key may give it in 元)."""
    amount = number_of(compact(value)) if value else None
    if amount is None:
        return None
    return amount / 10000 if "（元）" in key or "(元)" in key else amount
