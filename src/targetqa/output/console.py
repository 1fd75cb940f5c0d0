"""Terminal output: readable summaries with rich colour when the output is a terminal.

`score` writes its results as lines of (text, style) pieces: through rich on a terminal, as plain
text otherwise (a pipe or a file gets no colour from rich anyway, and importing and rendering
with rich costs ~50 ms of a 0.3 s run). rich is imported only where it is used.

Every piece of document text (file names, departments, projects, messages, evidence) goes
through `printable` (a piece of a line), `markup_safe` (text inside rich markup) or into a `Text`,
so that it is shown and never parsed as markup or obeyed as an escape sequence.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Container, Iterable, Sequence
from typing import TYPE_CHECKING

from targetqa.guard import about, quiet_stdout
from targetqa.model import Document
from targetqa.terminal import display_width, printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


@functools.cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            """`targetqa score … | head`: the reader stopped reading. Rich would exit 1, which means
            "findings"; instead the rest of the terminal output goes nowhere and the run goes on
            (its files are still written, its exit code is still the run's)."""
            self.quiet = True
            quiet_stdout()

    return _Console


def console(width: int | None = None) -> Console:
    return _console_class()(highlight=False, soft_wrap=True, emoji=False, width=width)


def cell(text: object) -> Text:
    """A table cell of document text: a Text is never parsed as markup."""
    from rich.text import Text

    return Text(printable(text))


class Lines:
    """Output lines made of plain or styled pieces; rich only when stdout is a terminal.

    Pieces are document text: control characters are removed, and rich gets them as `Text`,
    which it never parses as markup.
    """

    def __init__(self) -> None:
        self.lines: list[tuple] = []

    def add(self, *pieces: str | tuple[str, str]) -> None:
        self.lines.append(tuple(printable(p) if isinstance(p, str) else (printable(p[0]), p[1]) for p in pieces))

    def write(self) -> None:
        if sys.stdout.isatty():
            from rich.text import Text

            out = console()
            for pieces in self.lines:
                out.print(Text.assemble(*pieces))
            return
        text = "".join("".join(p if isinstance(p, str) else p[0] for p in pieces) + "\n" for pieces in self.lines)
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # `score | head`: as on a terminal, the rest goes nowhere and the run goes on
            quiet_stdout()


def add_grid(out: Lines, header: Sequence[str], rows: Iterable[Sequence[object]], right: Container[int] = ()) -> None:
    """Columns padded to their widest cell, the header in bold: a table of a few hundred lines
    laid out here takes milliseconds, where rich's table layout takes a tenth of a second."""
    cells = [[printable(c) for c in row] for row in rows]
    widths = [max(map(display_width, column)) for column in zip(header, *cells)]

    def line(row: Sequence[str]) -> str:
        padded = (" " * (w - display_width(c)) + c if i in right else c + " " * (w - display_width(c))
                  for i, (c, w) in enumerate(zip(row, widths)))
        return "  ".join(padded).rstrip()

    out.add((line(header), "bold"))
    for row in cells:
        out.add(line(row))


def print_extract_summary(docs: list[Document]) -> None:
    out = Lines()
    kinds = {"project": "项目", "department": "部门整体", "final": "决算完成情况"}
    for doc in docs:
        rows = sum(len(t.rows) for t in doc.tables)
        out.add((doc.name, "bold"), f"  {doc.department or '（部门未识别）'}  {doc.year or ''} {doc.kind}  "
                f"表 {len(doc.tables)} 张，指标行 {rows} 行")
        for note in doc.notes:
            out.add((f"  注意：{note}", "yellow"))
        for line, title, reason in doc.unread:
            out.add((f"  未能可靠读取：第 {line} 行 {title}（{reason}），其行不做检查", "yellow"))
        for table in doc.tables:
            if table.unparsed:
                lines = "、".join(map(str, table.unparsed))
                out.add((f"  表 {table.table_no} 有 {len(table.unparsed)} 行未能可靠读取（第 {lines} 行），这些行不做检查", "yellow"))
        if not doc.tables:
            out.add("  未找到绩效目标表（指标表）")
            continue
        add_grid(out, ("表号", "类型", "项目", "行数", "起始行"),
                 ((t.table_no, kinds.get(t.kind, t.kind), t.project or t.title, len(t.rows), t.line) for t in doc.tables))
    out.write()


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def print_results(results, statistics: bool = False) -> None:  # noqa: ANN001 - ReportResult list
    """Per report: score and coverage, then findings grouped by table, like a linter's output."""
    out = Lines()
    for result in results:
        with about(result.doc.path):
            _add_result(out, result, statistics)
    out.write()


def _add_result(out: Lines, result, statistics: bool) -> None:  # noqa: ANN001 - a ReportResult
    from collections import Counter

    doc, sc = result.doc, result.score
    out.add((doc.name, "bold"), f"  {doc.department or '（部门未识别）'} {doc.year or ''}{doc.kind}")
    if sc.reason:
        out.add("  得分 ", (sc.shown, "bold"), f"（不计分：{sc.reason}）")
    else:
        out.add("  得分 ", (sc.shown, "bold"), f"  覆盖：表 {sc.tables} 张，指标行 {sc.rows} 行")
    if sc.families:
        out.add("  扣分：" + "  ".join(f"{fam} -{pts:g}" for fam, pts in sorted(sc.families.items(), key=lambda kv: -kv[1])))
    if statistics:
        counts = Counter(f.code for f in result.findings)
        names = {f.code: f.name for f in result.findings}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.add(f"  {n:>5}  {code:<8} {names[code]}")
        return
    current = object()
    for f in result.findings:
        group = f.table_no
        if group != current:
            current = group
            if group is None:
                out.add("  ", ("全文", "bold"))
            else:
                table = next((t for t in doc.tables if t.table_no == group), None)
                out.add("  ", (f"表 {group}", "bold"), f" {table.project if table else f.project}")
        where = f"第{f.line}行" if f.line else ""
        if f.page:
            where = f"第{f.page}页 " + where
        row = f" 行{f.row_no}" if f.row_no is not None else ""
        out.add(f"    {where}{row} ", (f.code, SEVERITY_STYLE[f.severity]), f" {f.message}")
        if f.evidence:
            out.add("      ", (f"证据：{f.evidence}", "dim"))
    out.add()
