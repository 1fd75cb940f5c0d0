"""Terminal output: readable summaries with rich colour when the output is a terminal.

Every piece of document text (file names, departments, projects, messages, evidence) goes
through `markup_safe` or into a `Text`, so that it is shown and never parsed as markup or
obeyed as an escape sequence.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from targetqa.guard import about, quiet_stdout
from targetqa.model import Document
from targetqa.output.terminal import markup_safe as esc
from targetqa.output.terminal import printable


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """`targetqa score … | head`: the reader stopped reading. Rich would exit 1, which means
        "findings"; instead the rest of the terminal output goes nowhere and the run goes on
        (its files are still written, its exit code is still the run's)."""
        self.quiet = True
        quiet_stdout()


def console(width: int | None = None) -> Console:
    return _Console(highlight=False, soft_wrap=True, emoji=False, width=width)


def cell(text: object) -> Text:
    """A table cell of document text: a Text is never parsed as markup."""
    return Text(printable(text))


def print_extract_summary(docs: list[Document]) -> None:
    out = console()
    for doc in docs:
        rows = sum(len(t.rows) for t in doc.tables)
        out.print(
            f"[bold]{esc(doc.name)}[/bold]  {esc(doc.department) or '（部门未识别）'}  {doc.year or ''} {esc(doc.kind)}  "
            f"表 {len(doc.tables)} 张，指标行 {rows} 行"
        )
        for note in doc.notes:
            out.print(f"  [yellow]注意：{esc(note)}[/yellow]")
        if not doc.tables:
            out.print("  未找到绩效目标表（指标表）")
            continue
        grid = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
        for col in ("表号", "类型", "项目", "行数", "起始行"):
            grid.add_column(col)
        kinds = {"project": "项目", "department": "部门整体", "final": "决算完成情况"}
        for t in doc.tables:
            grid.add_row(str(t.table_no), cell(kinds.get(t.kind, t.kind)), cell(t.project or t.title), str(len(t.rows)), str(t.line))
        out.print(grid)


SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def print_results(results, statistics: bool = False) -> None:  # noqa: ANN001 - ReportResult list
    """Per report: score and coverage, then findings grouped by table, like a linter's output."""
    out = console()
    for result in results:
        with about(result.doc.path):
            _print_result(out, result, statistics)


def _print_result(out: Console, result, statistics: bool) -> None:  # noqa: ANN001 - a ReportResult
    from collections import Counter

    doc, sc = result.doc, result.score
    head = f"[bold]{esc(doc.name)}[/bold]  {esc(doc.department) or '（部门未识别）'} {doc.year or ''}{esc(doc.kind)}"
    out.print(head)
    if sc.reason:
        out.print(f"  得分 [bold]{sc.shown}[/bold]（不计分：{esc(sc.reason)}）")
    else:
        out.print(f"  得分 [bold]{sc.shown}[/bold]  覆盖：表 {sc.tables} 张，指标行 {sc.rows} 行")
    if sc.families:
        out.print("  扣分：" + "  ".join(f"{fam} -{pts:g}" for fam, pts in sorted(sc.families.items(), key=lambda kv: -kv[1])))
    if statistics:
        counts = Counter(f.code for f in result.findings)
        names = {f.code: f.name for f in result.findings}
        for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.print(f"  {n:>5}  {code:<8} {esc(names[code])}")
        return
    current = object()
    for f in result.findings:
        group = f.table_no
        if group != current:
            current = group
            if group is None:
                out.print("  [bold]全文[/bold]")
            else:
                table = next((t for t in doc.tables if t.table_no == group), None)
                out.print(f"  [bold]表 {group}[/bold] {esc(table.project if table else f.project)}")
        where = f"第{f.line}行" if f.line else ""
        if f.page:
            where = f"第{f.page}页 " + where
        row = f" 行{f.row_no}" if f.row_no is not None else ""
        style = SEVERITY_STYLE[f.severity]
        out.print(f"    {where}{row} [{style}]{esc(f.code)}[/{style}] {esc(f.message)}")
        if f.evidence:
            out.print(f"      [dim]证据：{esc(f.evidence)}[/dim]")
    out.print()
