"""One self-contained HTML page: ranking, charts, and every flagged row with message and evidence.

Used by `targetqa leaderboard --html` and `targetqa score --html`. The page needs no network:
CSS, JavaScript (sorting, filtering and paging the ranking) and the charts (SVG drawn here) are
inline. The template is rendered with autoescape on, so any text taken from a document
(department, project, row cells, evidence) is shown as text, never read as markup.

A province's year is thousands of reports: the flagged rows are not written as HTML tables but
as one JSON block (each distinct string once, rows as lists of string numbers), and a line's
table is built by the page's script when the reader opens that line; the ranking shows
RANKING_PAGE lines at a time and the score chart the first MAX_CHART_BARS lines.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from targetqa.output.board import Board

TEMPLATE = "report_page.html.j2"
MAX_ROWS_PER_LINE = 2000  # flagged rows listed per line; the rest are counted (full list in CSV/XLSX)
MAX_CHART_BARS = 150  # lines drawn in the score chart (the best first, as ranked)
RANKING_PAGE = 200  # ranking lines shown at once
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def band(score: float | None) -> str:
    if score is None:
        return "muted"
    if score >= 90:
        return "good"
    if score >= 75:
        return "fair"
    if score >= 60:
        return "poor"
    return "bad"


_COLORS = {"good": "#2f855a", "fair": "#d69e2e", "poor": "#dd6b20", "bad": "#c53030", "muted": "#a0aec0"}


@dataclass
class _Chart:
    width: int
    height: int
    label_width: int
    bars: list[dict[str, object]] = field(default_factory=list)
    ticks: list[dict[str, object]] = field(default_factory=list)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def score_chart(board: Board) -> _Chart:
    """Horizontal bars, one per line, in ranking order; score 0–100 on a fixed scale."""
    label_w, bar_w = 330, 520
    lines = board.lines[:MAX_CHART_BARS]
    chart = _Chart(width=label_w + bar_w + 60, height=24 + 20 * max(1, len(lines)), label_width=label_w)
    for v in range(0, 101, 20):
        chart.ticks.append({"x": label_w + bar_w * v / 100, "label": str(v)})
    for k, line in enumerate(lines):
        score = line.score if line.score is not None else 0.0
        label = line.department if board.per_report is False else (line.files[0] if line.files else line.department)
        label = f"{_short(label, 20)} {line.year_text}{line.kind}"
        chart.bars.append({
            "y": 20 + 20 * k,
            "w": round(bar_w * max(0.0, min(100.0, score)) / 100, 1),
            "color": _COLORS[band(line.score)],
            "label": label,
            "value": line.shown_score,
            "title": f"{line.department} {line.year_text}{line.kind}：{line.shown_score}",
        })
    return chart


def family_chart(board: Board) -> _Chart:
    from targetqa.checks import FAMILIES

    totals = board.family_totals()
    label_w, bar_w = 330, 420
    top = max(totals.values(), default=0) or 1
    chart = _Chart(width=label_w + bar_w + 80, height=8 + 20 * max(1, len(totals)), label_width=label_w)
    for k, (fam, n) in enumerate(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))):
        name = FAMILIES.get(fam, "")
        chart.bars.append({
            "y": 4 + 20 * k,
            "w": round(bar_w * n / top, 1),
            "label": f"{fam} {_short(name.split('（')[0], 16)}",
            "value": str(n),
            "title": f"{fam} {name}：{n} 条",
        })
    return chart


# Fields of a flagged row in the page's JSON, in this order (each a number into the string list).
DETAIL_FIELDS = ("file", "table", "project", "row_no", "where", "level3", "value", "code", "name", "severity",
                 "message", "evidence")


class _Numbering(dict):
    """text -> its number in order of first use; a lookup that hits stays in C."""

    def __missing__(self, text: str) -> int:
        self[text] = n = len(self)
        return n


def detail_json(board: Board) -> str:
    """{"s": [distinct strings], "d": [per line: {"rows": [[string numbers]], "hidden": n,
    "many": 0/1}]}, safe inside a <script> element (no '<', '>' or '&' left as such).

    Written in one pass without a record per row: at thousands of flagged rows this is most of
    the page's time (a leaderboard run after one changed file writes the whole page again)."""
    import json

    strings = _Numbering()
    empty = strings[""]
    lines = []
    for line in board.lines:
        rows: list[list[int]] = []
        total = 0
        for result in line.results:
            name = strings[os.path.basename(result.doc.path)]
            total += len(result.findings)
            for f in result.findings[: MAX_ROWS_PER_LINE - len(rows)]:
                row = f.row
                where = f"{f.line}" if f.line else ""
                if f.page:
                    where = f"第{f.page}页 " + where
                rows.append([
                    name, empty if f.table_no is None else strings[str(f.table_no)], strings[f.project],
                    empty if f.row_no is None else strings[str(f.row_no)], strings[where],
                    empty if row is None else strings[row.level3], empty if row is None else strings[row.shown_value],
                    strings[f.code], strings[f.name], strings[f.severity], strings[f.message], strings[f.evidence],
                ])
        lines.append({"rows": rows, "hidden": total - len(rows),
                      "many": int(len({r.doc.path for r in line.results}) > 1)})
    text = json.dumps({"s": list(strings), "d": lines}, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _compiled_templates():  # noqa: ANN202 - a jinja2 BytecodeCache or None
    """jinja2's own cache of compiled templates, in the user cache folder: compiling the page's
    template takes ~20 ms of every run that writes it (checked against the template's text)."""
    from jinja2 import FileSystemBytecodeCache

    from targetqa.caches import folder

    directory = folder("templates")
    return FileSystemBytecodeCache(directory) if directory is not None else None


def render_board_html(board: Board) -> str:
    from importlib.resources import files

    from jinja2 import Environment, FunctionLoader, StrictUndefined

    from targetqa import __version__
    from targetqa.checks import FAMILIES

    source = (files("targetqa") / "data" / TEMPLATE).read_text(encoding="utf-8")
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
                      loader=FunctionLoader(lambda name: source if name == TEMPLATE else None),
                      bytecode_cache=_compiled_templates())
    template = env.get_template(TEMPLATE)
    return template.render(
        board=board, version=__version__, band=band, family_names=FAMILIES,
        chart=score_chart(board), fam_chart=family_chart(board), details=detail_json(board),
        chart_bars=MAX_CHART_BARS, page_size=RANKING_PAGE, severity_zh=SEVERITY_ZH,
    )


def write_board_html(path: Path, board: Board) -> None:
    path.write_text(render_board_html(board), encoding="utf-8", errors="replace")
