"""Terminal output: readable summaries with rich colour when the output is a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from targetqa.model import Document


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def print_extract_summary(docs: list[Document]) -> None:
    out = console()
    for doc in docs:
        rows = sum(len(t.rows) for t in doc.tables)
        out.print(
            f"[bold]{doc.name}[/bold]  {doc.department or '（部门未识别）'}  {doc.year or ''} {doc.kind}  "
            f"表 {len(doc.tables)} 张，指标行 {rows} 行"
        )
        if not doc.tables:
            out.print("  未找到绩效目标表（指标表）")
            continue
        grid = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
        for col in ("表号", "类型", "项目", "行数", "起始行"):
            grid.add_column(col)
        kinds = {"project": "项目", "department": "部门整体", "final": "决算完成情况"}
        for t in doc.tables:
            grid.add_row(str(t.table_no), kinds.get(t.kind, t.kind), t.project or t.title, str(len(t.rows)), str(t.line))
        out.print(grid)
