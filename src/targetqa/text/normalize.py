"""Normalised forms of rows, titles and sentences for comparison.

Three strengths, each for one job:
- `row_key`: the row as a reader sees it, whitespace removed, numbers kept — two rows with the
  same key were pasted, not written;
- `row_template`: numbers, units' digits and the project's own name masked — the *shape* of a
  row, counted across departments to find boilerplate (服务对象满意度|服务对象满意度|≥#%);
- `sentence_key`: NFKC, punctuation and list numbering removed — for repeated or carried-over prose.
"""

from __future__ import annotations

import unicodedata

from targetqa import rx
from targetqa.model import Row, Table
from targetqa.taxonomy import compact

__all__ = [
    "compact", "mask_numbers", "mask_project", "programme_core", "row_key", "row_template", "row_text",
    "sentence_key", "title_project", "value_shape",
]

_NUM = rx.compile(r"\d+(?:[.．]\d+)*")
_NONWORD = rx.compile(r"[\W_]+")
_KEEP = rx.compile(r"[^\w#]+|_")  # punctuation out, the number mask stays
_LIST_HEAD = rx.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，,、])+")
_LABEL_HEAD = rx.compile(r"^[\u4e00-\u9fa5]{2,8}[:：]")  # '绩效目标：' opening a paragraph
PROJECT_MASK = "〈项〉"


def mask_numbers(text: str) -> str:
    """'≥90%' → '≥#%', '2025年12月1日前' → '#年#月#日前'."""
    return _NUM.sub("#", text or "")


def mask_project(text: str, project: str, min_len: int = 4) -> str:
    """Replace every stretch of `text` (≥ min_len characters) that also occurs in the project's
    name by one mask, so that '老党员生活补贴补助资金发放人数' in the 老党员生活补贴 table and
    '村民小组长误工补贴发放人数' in another become the same template."""
    if not text or not project or len(project) < min_len:
        return text
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = i + min_len
        if j <= n and text[i:j] in project:
            while j < n and text[i : j + 1] in project:
                j += 1
            if not out or out[-1] != PROJECT_MASK:
                out.append(PROJECT_MASK)
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def value_shape(row: Row) -> str:
    """The kind of target, numbers masked: '≥#%', '≤#万元', '=#个', or 'T' for free text."""
    shown = compact(row.shown_value)
    if not shown:
        return ""
    if rx.search(r"\d", shown):
        return mask_numbers(shown)
    return "T"


def row_text(row: Row) -> str:
    """Name, description, target and basis: what the classifier and the TF-IDF see."""
    return " ".join(p for p in (row.level3, row.description, row.shown_value, row.basis) if p)


def row_key(row: Row) -> str:
    """The row verbatim (no whitespace), numbers kept: equal keys mean a pasted row."""
    return "|".join(compact(p) for p in (row.level3, row.description, row.shown_value, row.basis))


def row_template(row: Row, project: str = "") -> str:
    """Name and description with numbers and the project's own name masked, plus the shape of the
    target — the basis (a document number) is left out, it is the most project-specific cell."""
    core = compact(project)
    name = mask_project(_KEEP.sub("", mask_numbers(compact(row.level3))), core)
    desc = compact(row.description)
    desc = "=" if desc == compact(row.level3) else mask_project(_KEEP.sub("", mask_numbers(desc)), core)
    return f"{name}|{desc}|{value_shape(row)}"


def sentence_key(text: str) -> str:
    """NFKC, list numbering ('（一）', '1.', '一是'), a paragraph label ('绩效目标：') and all
    punctuation/whitespace removed."""
    t = unicodedata.normalize("NFKC", text or "")
    t = compact(t)
    t = _LIST_HEAD.sub("", t)
    t = _LABEL_HEAD.sub("", t)
    return _NONWORD.sub("", t)


_TITLE_HEAD = rx.compile(r"^\s*[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]\s*")
_TITLE_TAIL = rx.compile(r"(?:项目)?(?:年度)?(?:绩效目标(?:申报)?表?|绩效目标指标|绩效指标表?)\s*$")


def title_project(table: Table) -> str:
    """The project named in the table's title ('4、党员档案县级集中管理经费绩效目标表' →
    '党员档案县级集中管理经费'); the head's 项目名称 may be a pasted one, the title rarely is."""
    title = compact(table.title)
    title = _TITLE_HEAD.sub("", title)
    title = _TITLE_TAIL.sub("", title)
    if len(_FORM_WORDS.sub("", title)) < 2:
        title = ""  # '项目支出绩效目标表', '2023年项目支出绩效目标表公开': the form's name, no project
    return title or compact(table.project)


_FORM_WORDS = rx.compile(r"\d{4}年度?|年度|部门|单位|预算|项目|支出|绩效|目标|申报|批复|自评|评价|公开|情况|表|市直|本级|[()（）\s]")


_DOC_NO = rx.compile(r"[\u4e00-\u9fa5]{1,6}[〔\[【(（]\d{4}[〕\]】)）]\s*\d+\s*号")
_FUNDING = rx.compile(
    r"关于|的通知|提前下达|下达|\d{4}\s*年度?|省级|中央|市级|区级|县级|本级|省|市|财政|补助|补贴|专项|配套|资金|经费|预算|"
    r"追加|绩效目标表?|年度|[,，、()（）\s]"
)


def programme_core(name: str) -> str:
    """What is funded, without who pays or when: '提前下达2021年老党员生活补贴省级补助经费' →
    '老党员生活'. Two tables with the same core are two funding sources of one programme."""
    t = _DOC_NO.sub("", compact(name))
    return _FUNDING.sub("", t)
