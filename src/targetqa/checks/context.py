"""What the page around a table says, for rules that must not judge what the text does not show.

Published pages are often excerpts cut at a byte limit, and the extraction reads the cells of a
row but not every line of a table's head. Before a rule says a cell is empty or a part is
missing, it asks here whether the text stops there, or whether the head names the column.
"""

from __future__ import annotations

from targetqa import rx
from targetqa.checks.fold import fold_text
from targetqa.model import Document, Table


def _first_row_line(table: Table) -> int:
    return min((r.line for r in table.rows if r.line), default=0)


def header_says(table: Table, doc: Document, words: rx.Pattern[str], back: int = 0) -> bool:
    """The table's header (its lines before the first row, and `back` lines more above its
    anchor) names a column with these words."""
    first = _first_row_line(table)
    if not first or not table.line or not doc.lines:
        return False
    return bool(words.search(fold_text("".join(doc.lines[max(0, table.line - 1 - back):first - 1]))))


def last_text_line(doc: Document) -> int:
    return max((i + 1 for i, line in enumerate(doc.lines) if line.strip(" |\t\u3000")), default=0)


def text_stops_at(line: int, doc: Document) -> bool:
    """The text ends on this line or the next: an excerpt cut there, so what follows is unknown."""
    last = last_text_line(doc)
    return bool(line) and bool(last) and line >= last - 1


_TABLE_CLOSED = rx.compile(r"总分|合计|总计|填报人|填表人|联系人|联系电话|负责人|审核")


def table_cut_off(table: Table, doc: Document) -> bool:
    """The text stops inside this table: at most a few lines (a row cut mid-way, a lone label)
    follow its last read row before the page ends."""
    last_row = max((r.line for r in table.rows if r.line), default=0)
    if not doc.lines or not last_row:
        return False
    after = [line for line in doc.lines[last_row:] if line.strip(" |\t\u3000")]
    if any(_TABLE_CLOSED.match(fold_text(line).strip(" |\t\u3000")) for line in after):
        return False  # 总分 100, 填报人: the table ends on the page
    return len(after) <= 4


_GOAL_LABEL = rx.compile(r"绩效目标|年度目标|总体目标|项目目标|实施期目标|中期目标|目标\s*\d")
_NOT_CONTENT = rx.compile(r"绩效目标|年度目标|总体目标|项目目标|实施期目标|中期|滚动|目标|完成情况|\d{4}年|[^\u4e00-\u9fff]")


def _content(text: str) -> int:
    return len(_NOT_CONTENT.sub("", text))


def head_states_goals(table: Table, doc: Document) -> bool:
    """The table's head has a goal label with a sentence after it (in its cell or on the next
    line), whether or not the extraction took it into table.goals. A title (…绩效目标表) or a
    header row (一级指标 …) after the label is no goal."""
    first = _first_row_line(table)
    if not first or not table.line or not doc.lines:
        return False
    # the head may start before the line the table is anchored on (its header row): look back a
    # few lines, but not into the rows of the table before
    before = max((r.line for t in doc.tables if t.line < table.line for r in t.rows if r.line < table.line), default=0)
    lines = [fold_text(line) for line in doc.lines[max(before, table.line - 11):first]]
    for i, line in enumerate(lines):
        for m in _GOAL_LABEL.finditer(line):
            rest = line[m.end():]
            if rest.lstrip().startswith(("表", "申报表", "批复表")):
                continue
            cell = rx.split(r"[|\t]|指标|绩效", rest.strip(" |\t"), maxsplit=1)[0]
            if _content(cell) >= 8:
                return True
            following = next((x for x in lines[i + 1:] if x.strip(" |\t\u3000")), "")
            if "指标" not in following and not _GOAL_LABEL.search(following) \
                    and _content(following) >= 8:
                return True
    return False
