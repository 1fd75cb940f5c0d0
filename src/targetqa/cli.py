"""The `targetqa` command line (typer). Help and messages are in Chinese; option names in English.

Exit codes follow ruff: 0 nothing at or above the fail level, 1 findings, 2 usage error or an
input that could not be read. Heavy modules are imported inside the commands so that
`targetqa --help` and `targetqa rules` start instantly.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from targetqa import __version__
from targetqa.commands import options
from targetqa.commands.common import (
    check_outputs,
    err,
    exit_for_findings,
    load_one,
    settings,
    write_outputs,
)
from targetqa.commands.zh import ZhGroup, ZhTyper
from targetqa.guard import GuardedGroup, quiet_stdout


class _Group(GuardedGroup, ZhGroup):
    """Every command under the guard (guard.py), its help and usage errors in Chinese (commands/zh.py)."""


app = ZhTyper(
    cls=_Group,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="targetqa：检查部门预算/决算绩效目标表的质量（复制粘贴、模板化、单位与数值矛盾等），给报告打分并排名。",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"targetqa {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = None,
) -> None:
    """targetqa：绩效目标表质量检查。"""


# PDF, DOCX and XLSX parsing is CPU-bound (pdfminer especially); two such files already pay for
# starting worker processes. Text reports read in milliseconds and stay in this process.
_PARALLEL_BYTES = 256 * 1024


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def expand_inputs(paths: list[str]) -> tuple[list[Path], int]:
    """The report files under the paths; one line for each path that gave none (counted as failed)."""
    from targetqa.files import expand_checked

    files, problems = expand_checked(paths)
    for where, why in problems:
        err(f"{where}: {why}")
    if not files and not problems:
        err("没有找到任何报告文件：" + "、".join(paths))
        return files, 1
    return files, len(problems)


def _read_outcomes(files: list[Path]) -> list[tuple[object | None, str | None]]:
    """(document, None) or (None, why) per file, in parallel processes where it pays."""
    import os

    heavy = sum(_size(p) for p in files if p.suffix.lower() != ".txt")
    jobs = min(len(files), os.cpu_count() or 1)
    if jobs > 1 and heavy >= _PARALLEL_BYTES:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        from targetqa.workers import worker_init

        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=worker_init) as pool:
            return list(pool.map(load_one, files))
    return [load_one(p) for p in files]


def _readable(files: list[Path], outcomes: list[tuple[object | None, str | None]]) -> tuple[list, int]:
    """The documents read, and one line on stderr for each file that was not."""
    docs = []
    failed = 0
    for path, (doc, error) in zip(files, outcomes):
        if error is not None:
            err(f"{path}: {error}")
            failed += 1
        else:
            docs.append(doc)
    return docs, failed


def load_all(files: list[Path]) -> tuple[list, int]:
    """Read every report, in parallel where it pays; one line per unreadable file, others go on."""
    return _readable(files, _read_outcomes(files)) if files else ([], 0)


def load_and_check(files: list[Path], codes: set[str], meanwhile: Callable[[], None]) -> tuple[list, int]:
    """Every report read and checked on its own by the rules with these codes
    (`pipeline.check_each`), while this process runs `meanwhile` (the comparison's loading): a
    forked process imports the checks, reads (as `load_all` does, itself in parallel processes
    where that pays) and checks, on the other core."""
    from targetqa.workers import ChildLost, in_child

    if not files:
        return [], 0

    def read_and_check() -> tuple[list, list]:
        from targetqa.catalog import rules_with
        from targetqa.pipeline import check_each

        outcomes = _read_outcomes(files)
        return outcomes, check_each([doc for doc, _ in outcomes if doc is not None], rules_with(codes))

    pending = in_child(read_and_check)
    try:
        meanwhile()
    finally:
        try:
            outcomes, results = pending.result()
        except ChildLost as exc:  # killed or out of memory: read here, as without the second process
            err(f"{exc}，改在主进程中读取")
            outcomes, results = read_and_check()
    return results, _readable(files, outcomes)[1]


@app.command()
def extract(
    reports: Annotated[list[str], typer.Argument(help="报告文件、目录或通配符（.txt .docx .pdf .xlsx）。")],
    csv: Annotated[Optional[Path], typer.Option("--csv", help="把全部指标行写入 CSV（UTF-8 带 BOM）。")] = None,
    json: Annotated[Optional[Path], typer.Option("--json", help="把表格和指标行写入 JSON。")] = None,
) -> None:
    """只抽取绩效目标表和指标行（不做评判），输出为数据。"""
    files, failed = expand_inputs(reports)
    check_outputs([csv, json], files)
    docs, unread = load_all(files)
    failed += unread
    from targetqa.output.docjson import documents_payload
    from targetqa.output.rows_csv import (
        EXTRACT_COLUMNS,
        row_records,
        write_csv,
        write_json,
    )

    failed += write_outputs([
        (csv, lambda: write_csv(csv, EXTRACT_COLUMNS, row_records(docs))),
        (json, lambda: write_json(json, documents_payload(docs))),
    ])
    if not csv and not json:
        from targetqa.output.console import print_extract_summary

        print_extract_summary(docs)
    if failed:
        raise typer.Exit(2)


@app.command()
def score(
    reports: Annotated[list[str], typer.Argument(help="报告文件、目录或通配符（.txt .docx .pdf .xlsx）。")],
    csv: Annotated[Optional[Path], typer.Option("--csv", help="把问题行写入 CSV（UTF-8 带 BOM，Excel/WPS 可直接打开）。")] = None,
    json: Annotated[Optional[Path], typer.Option("--json", help="把得分和问题写入 JSON。")] = None,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="写入 Excel 工作簿：“排名”表（每份报告一行）和“问题行”表（带筛选、冻结表头）。")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="写入一个独立的 HTML 页面（得分、图表、逐行问题及证据），无需联网即可打开。")] = None,
    select: options.Select = None,
    ignore: options.Ignore = None,
    fail_level: options.FailLevel = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="有问题也以退出码 0 结束。")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="只显示每条规则的命中次数。")] = False,
    output_format: Annotated[str, typer.Option("--format", help="终端输出格式：text 或 json。")] = "text",
    config: options.Config = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="不与随附的语料统计比较，只比较本次给出的报告。")] = False,
) -> None:
    """检查报告，给出每份报告的得分和逐行问题（按表分组）。"""
    if output_format not in ("text", "json"):
        err("--format 应为 text 或 json")
        raise typer.Exit(2)
    run_settings = settings(config, select, ignore, fail_level)
    files, failed = expand_inputs(reports)
    check_outputs([csv, json, xlsx, html], files)
    from targetqa.catalog import selected_codes
    from targetqa.compare import prepare
    from targetqa.model import ModelError
    from targetqa.pipeline import compare_and_score

    codes = set(selected_codes(run_settings.select, run_settings.ignore))
    try:
        checked, unread = load_and_check(files, codes, meanwhile=lambda: prepare(codes))
        failed += unread
        results = compare_and_score(checked, codes, use_corpus=not isolated)
    except ModelError as exc:
        err(str(exc))
        raise typer.Exit(2) from None
    for result in results:
        if result.error:
            err(f"{result.doc.path}: {result.error}")
            failed += 1
        elif result.score is not None and result.score.score is None:
            err(f"{result.doc.path}: 不计分——{result.score.reason}")
    from targetqa.output.board import board_for_results
    from targetqa.output.findings import (
        FINDING_COLUMNS,
        finding_records,
        report_payload,
    )
    from targetqa.output.html import write_board_html
    from targetqa.output.rows_csv import write_csv, write_json
    from targetqa.output.xlsx import write_board_xlsx

    title = "绩效目标表质量检查" + (f"：{results[0].doc.name}" if len(results) == 1 else "")
    board = functools.cache(lambda: board_for_results(results, title=title))
    failed += write_outputs([
        (csv, lambda: write_csv(csv, FINDING_COLUMNS, finding_records(results))),
        (json, lambda: write_json(json, [report_payload(r) for r in results])),
        (xlsx, lambda: write_board_xlsx(xlsx, board())),
        (html, lambda: write_board_html(html, board())),
    ])
    if output_format == "json":
        from targetqa.output.rows_csv import dumps

        try:
            print(dumps([report_payload(r) for r in results]), flush=True)
        except BrokenPipeError:  # `--format json | head`: as for the rich output, the run goes on
            quiet_stdout()
    else:
        from targetqa.output.console import print_results

        print_results(results, statistics=statistics)
    if failed:
        raise typer.Exit(2)
    exit_for_findings((f for r in results for f in r.findings), run_settings.fail_level, exit_zero)


@app.command("rules")
def list_rules() -> None:
    """列出全部检查规则（代码、名称、级别、说明）。"""
    from rich.table import Table as RichTable

    from targetqa.catalog import FAMILIES, all_rules
    from targetqa.output.console import SEVERITY_ZH, console

    out = console()
    grid = RichTable(show_header=True, header_style="bold", box=None, pad_edge=False)
    for col in ("代码", "名称", "级别", "说明"):
        grid.add_column(col, overflow="fold")
    family = None
    for r in all_rules():
        if r.family != family:
            family = r.family
            grid.add_row(f"[bold]{family}[/bold]", "", "", f"[bold]{FAMILIES.get(family, '')}[/bold]")
        grid.add_row(r.code, r.name, SEVERITY_ZH[r.severity], r.title + ("（惯例，可关闭）" if r.convention else ""))
    out.print(grid)


@app.command("rule")
def explain_rule(code: Annotated[str, typer.Argument(help="规则代码，如 UNIT001。")]) -> None:
    """解释一条规则：检查什么、为什么、一个真实例子。"""
    from targetqa.catalog import FAMILIES, all_rules
    from targetqa.output.console import SEVERITY_ZH, console

    found = next((r for r in all_rules() if r.code == code.strip().upper()), None)
    if found is None:
        err(f"没有规则 {code}（用 targetqa rules 查看全部规则）")
        raise typer.Exit(2)
    out = console()
    out.print(f"[bold]{found.code}[/bold] {found.name} — {found.title}")
    out.print(f"类别：{found.family}（{FAMILIES.get(found.family, '')}）  级别：{SEVERITY_ZH[found.severity]}"
              + ("  （依据审核惯例，可用 --ignore 关闭）" if found.convention else ""))
    out.print()
    out.print(found.explanation)
    out.print()
    out.print(f"真实例子：{found.example}")
    out.print(f"提示模板：{found.message}")


from targetqa.commands import build_model as _build_model  # noqa: E402 - registered after the core commands
from targetqa.commands import leaderboard as _leaderboard  # noqa: E402

app.command("leaderboard")(_leaderboard.leaderboard)
app.command("build-model")(_build_model.build_model)


def run() -> None:
    """The console script. numpy's OpenBLAS would start a thread per core at import (~30 ms of CPU,
    more on a busy machine) for matrices far too small to use them; a user's own setting wins.
    What escapes the commands' own guard (GuardedGroup) is one line and exit 2 as well.

    The cyclic garbage collector is off for the run: what a run builds (stored documents, rows,
    findings) lives until it ends, and the collector's passes over it took ~15 % of a leaderboard
    run after one changed file while finding under 1 % of it to be garbage; what little is
    goes when the process ends. Parsing processes collect as usual (`workers.worker_init`)."""
    import gc
    import os

    gc.disable()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        app()
    except SystemExit as exc:
        _leave(exc.code)
    except Exception as exc:  # noqa: BLE001
        from targetqa.guard import report

        report(exc)
        _leave(2)


def _leave(code: int | str | None) -> None:
    """End the process without the interpreter's teardown, which frees every object of the run one
    by one (the comparison's model, the segmenter's dictionary: ~30 ms of a 0.3 s `score`) just
    before the process ends anyway. What exit must do still happens: the atexit handlers run
    (rx keeps its compiled patterns there) and the standard streams are flushed."""
    import atexit
    import os

    if isinstance(code, str):  # typer/click exit with a message: print it as SystemExit would
        print(code, file=sys.stderr)
        code = 1
    getattr(atexit, "_run_exitfuncs", lambda: None)()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`): nothing more can be written there
            pass
    os._exit(code or 0)
