"""Boilerplate rows: near-verbatim across many departments' tables, nothing specific to the project.

A row is boilerplate (BOIL001) when all three hold:
1. its indicator name, numbers and the project's own name masked, occurs near-verbatim
   (rapidfuzz ratio ≥ NAME_CUTOFF) in the tables of at least `ctx.widespread()` *other*
   departments — counted in the shipped reference and the other given reports, never the
   report's own department, so a corpus report is not judged against itself;
2. its description adds nothing: empty, a copy of the name, or made only of words that are
   themselves widespread in other departments' rows (no word rare elsewhere);
3. its target is a default: a percentage or a phrase, not a count, amount or date that could
   only belong to this project.
A row that fails (1) but meets (2) and (3) on its name as well is *generic*; a table made mostly
of boilerplate and generic rows is a boilerplate table (BOIL002).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from targetqa.compare.build import content_words, name_template
from targetqa.compare.context import Context, RowSig, TableSig
from targetqa.taxonomy import compact

NAME_CUTOFF = 90.0
# Words of project titles that name no project: a row that repeats them says nothing specific.
TITLE_GENERIC = frozenset(
    "工作 经费 资金 项目 专项 管理 服务 建设 补助 补贴 年度 保障 活动 运行 维护 运维 发放 支出 预算 中央 省级 市级 区级 "
    "县级 财政 提前 下达 关于 通知 综合 事务 日常 相关 其他 部门 单位 全区 全县 全市".split()
)


@dataclass
class BoilInfo:
    boilerplate: bool  # BOIL001
    generic: bool  # says nothing specific (boilerplate rows are generic too)
    depts: list[str]  # other departments with the same name
    name: str


def _default_value(sig: RowSig) -> bool:
    from targetqa.checks.semantics import ValueKind, value_info

    row = sig.row
    if row is None:
        return False
    info = value_info(row)
    if info.kind is ValueKind.PERCENT:
        return True
    return not any(ch.isdigit() for ch in row.shown_value)


class BoilJudge:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._name_depts = lru_cache(maxsize=None)(self._name_depts_uncached)
        self._judged: dict[tuple, BoilInfo] = {}

    def _name_depts_uncached(self, name: str) -> frozenset[str]:
        out: set[str] = set()
        if not name:
            return frozenset()
        for match, _score, _ in process.extract(name, self.ctx.all_names, scorer=fuzz.ratio,
                                                score_cutoff=NAME_CUTOFF, limit=None):
            out |= self.ctx.depts_with("names", match)
        return frozenset(out)

    def specific_words(self, text: str, own_dept: str, title: str = "") -> list[str]:
        """Words (two characters or more) that tie a row to this project: rare in other
        departments' rows (投保, 发展党员 …), or taken from the project's own name (工资系统 in the
        工资系统运维 table) unless they are the generic words of every title (工作, 经费 …)."""
        need = self.ctx.widespread(own_dept)
        core = compact(title)
        out = []
        for w in content_words(text):
            if len(w) < 2:
                continue
            if w in core and w not in TITLE_GENERIC:
                out.append(w)
            elif len(self.ctx.depts_with("words", w) - {own_dept}) < need:
                out.append(w)
        return out

    def judge(self, table: TableSig, sig: RowSig) -> BoilInfo:
        """The verdict on one row; rows with the same cells under the same title in one
        department (copies of a table) share it."""
        row = sig.row
        key = (table.dept, table.title, row.level3, row.description, row.operator, row.value, row.unit, row.expected)
        found = self._judged.get(key)
        if found is None:
            found = self._judged[key] = self._judge(table, sig)
        return found

    def _judge(self, table: TableSig, sig: RowSig) -> BoilInfo:
        row = sig.row
        own = table.dept
        need = self.ctx.widespread(own)
        name = name_template(row.level3, table.title)
        depts = sorted(self._name_depts(name) - {own})
        default = _default_value(sig)
        desc = compact(row.description)
        name_specific = self.specific_words(row.level3, own, table.title)
        desc_specific = [] if desc in ("", compact(row.level3)) else self.specific_words(row.description, own, table.title)
        generic = default and not name_specific and not desc_specific
        boilerplate = default and len(depts) >= need and not desc_specific and bool(compact(row.level3))
        return BoilInfo(boilerplate, generic or boilerplate, depts, name)
