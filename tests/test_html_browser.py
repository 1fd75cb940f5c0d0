"""The leaderboard page in a real headless browser (Debian's chromium; .ci/run installs it).

Checks that the page loads with no console message at all (no script error, no failed
resource), that its script ran, that the ranking table holds corpora/'s departments in the
order of their scores, and that a screenshot can be taken. Two chromium runs, a few seconds.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from targetqa.commands.leaderboard import run_leaderboard
from targetqa.output.html import write_board_html

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run installs it)"
)

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
    "--enable-logging=stderr", "--v=0",
]


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],  # type: ignore[list-item]
        capture_output=True, text=True, timeout=120,
    )


class _Ranking(HTMLParser):
    """Departments and scores of table#ranking, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.in_table = False
        self.cell: list[str] | None = None
        self.row: list[str] = []
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", "ranking") in attrs:
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.row = []
        elif self.in_table and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.in_table:
            self.in_table = False
        elif self.in_table and tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif self.in_table and tag == "tr":
            self.rows.append(self.row)

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    tmp = tmp_path_factory.mktemp("browser")
    run = run_leaderboard([str(ROOT / "corpora" / "*.txt")], tmp / "s.sqlite3", jobs=2)
    path = tmp / "leaderboard.html"
    write_board_html(path, run.board)
    return path, run.board


def test_page_loads_without_console_messages_and_ranks_in_score_order(page, tmp_path: Path) -> None:  # noqa: ANN001
    path, board = page
    proc = _chromium(["--dump-dom", path.as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert console == [], console
    dom = proc.stdout
    assert 'data-ready="1"' in dom  # the page's script ran to its end
    parser = _Ranking()
    parser.feed(dom)
    head, *body = parser.rows
    assert head[:6] == ["排名", "部门", "地区", "年度", "类型", "得分"]
    shown = [(r[1], r[3], r[5]) for r in body]
    expected = [(line.department, line.year_text, line.shown_score) for line in board.lines]
    assert shown == expected
    assert len(shown) == 5
    assert {d for d, _, _ in shown} == {
        "中共秦皇岛市山海关区委组织部", "中国共产党廊坊市广阳区委员会组织部", "中国共产党开江县委员会组织部",
        "中共秦皇岛经济技术开发区工作委员会党建工作部",
    }
    scores = [float(s) for _, _, s in shown]
    assert scores == sorted(scores, reverse=True)


def test_screenshot(page, tmp_path: Path) -> None:  # noqa: ANN001
    path, _ = page
    shot = tmp_path / "leaderboard.png"
    proc = _chromium([f"--screenshot={shot}", "--window-size=1280,1600", path.as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a rendered page, not a blank one


def test_flagged_rows_are_built_when_a_line_opens_and_long_rankings_are_paged(page, tmp_path: Path) -> None:  # noqa: ANN001
    import copy
    import re

    from targetqa.output.board import Board
    from targetqa.output.html import RANKING_PAGE

    _, board = page
    one = Board(title="一个部门", lines=[board.lines[0]])  # a single line opens by itself
    path = tmp_path / "one.html"
    write_board_html(path, one)
    assert '<table class="rows">' not in path.read_text(encoding="utf-8")  # rows travel as JSON
    proc = _chromium(["--dump-dom", path.as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln] == []
    dom = proc.stdout
    assert '<table class="rows">' in dom
    first = board.lines[0].results[0].findings[0]
    assert first.code in dom and first.message.replace('"', "&quot;")[:20] in dom.replace("&amp;", "&")

    many = Board(title="很多行", lines=[copy.copy(line) for _ in range(90) for line in board.lines])
    path = tmp_path / "many.html"
    write_board_html(path, many)
    proc = _chromium(["--dump-dom", path.as_uri()], tmp_path / "profile")
    dom = proc.stdout
    assert 'data-ready="1"' in dom
    ranking = dom[dom.index('<table id="ranking">'):dom.index("</table>", dom.index('<table id="ranking">'))]
    shown = [tr for tr in re.findall(r"<tr[^>]*>", ranking) if "display: none" not in tr and "data-key" in tr]
    assert len(shown) == RANKING_PAGE
    assert f"共 {len(many.lines)} 行" in dom
