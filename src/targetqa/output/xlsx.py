"""The ranking and the flagged rows as an Excel workbook (openpyxl), for Excel and WPS.

Sheets:
- 排名: one line per department and year (per report for `targetqa score --xlsx`);
- 问题行: every finding with the row's cells, message and evidence;
- 无法读取: files that could not be read, with the reason (only when there are any).
Every sheet has its header row frozen and an autofilter over the data. Text from documents is
written as text, never as a formula, and characters Excel cannot store are dropped.
"""

from __future__ import annotations

from pathlib import Path

from targetqa import rx
from targetqa.output.board import Board, BoardLine

RANKING_HEADERS = ["排名", "部门", "地区", "年度", "类型", "得分", "表数", "指标行数", "问题数"]
RANKING_TAIL = ["最差的表", "最差表得分", "上一年度", "上年得分", "较上年", "文件", "部门标识", "说明"]
FLAGGED_HEADERS = [
    "部门", "年度", "类型", "文件", "报告得分", "表号", "项目", "行号", "源文件行", "页",
    "一级指标", "二级指标", "三级指标", "指标描述", "符号", "指标值", "单位", "指标值确定依据",
    "规则", "类别", "级别", "问题", "证据", "规则名称",
]
FAILURE_HEADERS = ["文件", "原因"]
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_MAX_CELL = 32767


# What XML 1.0 cannot hold, so openpyxl refuses it: control characters but tab, LF and CR,
# lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = rx.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(value: object) -> object:
    if isinstance(value, str):
        value = _NOT_XML.sub("", value)
        if len(value) > _MAX_CELL:
            value = value[: _MAX_CELL - 1] + "…"
    return value


def _line_values(line: BoardLine, families: list[str]) -> list[object]:
    return [
        line.rank, line.department, line.region, line.year, line.kind, line.score, line.tables, line.rows,
        line.findings, *(line.families.get(f, 0) for f in families),
        line.worst_table, line.worst_table_score, line.prev_year, line.prev_score, line.delta,
        "；".join(line.files), line.key, line.reason,
    ]


def _flagged_values(line: BoardLine) -> list[list[object]]:
    out = []
    for r in line.results:
        score = r.score.score if r.score is not None else None
        for f in r.findings:
            cells = f.row.cells() if f.row is not None else {}
            out.append([
                line.department, line.year, line.kind, Path(r.doc.path).name, score, f.table_no, f.project,
                f.row_no, f.line, f.page,
                *(cells.get(k, "") for k in ("level1", "level2", "level3", "description", "operator", "value", "unit", "basis")),
                f.code, f.family, SEVERITY_ZH.get(f.severity, f.severity), f.message, f.evidence, f.name,
            ])
    return out


def _sheet(wb, title: str, headers: list[str], rows: list[list[object]], widths: dict[int, float]) -> None:  # noqa: ANN001
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"
    for k, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(k)].width = widths.get(k, max(8.0, 2.2 * len(header) + 2))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    head = []
    for h in headers:
        cell = WriteOnlyCell(ws, h)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(vertical="center")
        head.append(cell)
    ws.append(head)
    for values in rows:
        cells = []
        for v in values:
            v = _clean(v)
            if isinstance(v, str) and v.startswith("="):
                cell = WriteOnlyCell(ws, v)
                cell.data_type = "s"  # text, not a formula
                cells.append(cell)
            else:
                cells.append(v)
        ws.append(cells)


def write_board_xlsx(path: Path, board: Board) -> None:
    from openpyxl import Workbook

    from targetqa.checks import FAMILIES

    wb = Workbook(write_only=True)
    families = [*FAMILIES, *(f for f in board.families if f not in FAMILIES)]  # fixed columns
    headers = [*RANKING_HEADERS, *families, *RANKING_TAIL]
    widths = {2: 36.0, 3: 20.0, len(RANKING_HEADERS) + len(families) + 1: 36.0,
              len(headers) - 2: 30.0, len(headers) - 1: 30.0, len(headers): 30.0}
    _sheet(wb, "排名", headers, [_line_values(line, families) for line in board.lines], widths)
    flagged = [row for line in board.lines for row in _flagged_values(line)]
    _sheet(wb, "问题行", FLAGGED_HEADERS, flagged,
           {1: 30.0, 4: 24.0, 7: 28.0, 13: 24.0, 14: 30.0, 16: 12.0, 18: 20.0, 22: 50.0, 23: 50.0, 24: 24.0})
    if board.failures:
        _sheet(wb, "无法读取", FAILURE_HEADERS, [[f.file, f.error] for f in board.failures], {1: 50.0, 2: 60.0})
    wb.save(path)
