"""Fuzz the readers and writers with mutated real reports; count every exception that is not a
clear refusal (InputError). Prints figures; it is not a test (tests/test_hostile_fuzz.py is the
bounded version run in CI).

Each case takes a report from corpora/ (text seeds) and applies a few random mutations: flipped,
deleted or duplicated bytes, a cut, lines shuffled or repeated, hostile pieces inserted (rich
markup, escape sequences, formulas, U+FFFE, NUL, huge numbers, tabs), a re-encoding (GB18030,
UTF-16 with or without BOM); one case in five is turned into an XLSX or DOCX table. Every case
is read, checked (all row, table and document rules, no cross-document comparison) and scored, then
written to CSV, JSON, XLSX, HTML and the terminal (into memory).

    .venv/bin/python bench/fuzz_hostile.py [--cases 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ["[/bold]", "[/]", "[link=http://x]", "\x1b[2J", "\x1b]0;t\x07", "=HYPERLINK(\"x\")", "+cmd|x", "@SUM(1)",
           "-1+1", "\ufffe", "\uffff", "\x00", "9" * 400, "\t", "\t\t\t", "≥", "=", "%", "\r", "一级指标", "产出指标"]


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kinds = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["flip", "delete", "duplicate", "cut", "shuffle", "repeat", "hostile", "encode"])
        kinds.append(kind)
        if kind == "flip" and data:
            for _ in range(rng.randint(1, 20)):
                i = rng.randrange(len(data))
                data = data[:i] + bytes([rng.randrange(256)]) + data[i + 1:]
        elif kind == "delete" and data:
            i = rng.randrange(len(data))
            data = data[:i] + data[i + rng.randint(1, 2000):]
        elif kind == "duplicate" and data:
            i = rng.randrange(len(data))
            data = data[:i] + data[i:i + rng.randint(1, 5000)] * rng.randint(2, 5) + data[i:]
        elif kind == "cut" and data:
            data = data[: rng.randrange(len(data))]
        elif kind in ("shuffle", "repeat", "hostile", "encode"):
            text = data.decode("utf-8", errors="replace")
            lines = text.split("\n")
            if kind == "shuffle" and len(lines) > 2:
                i = rng.randrange(len(lines) - 1)
                block = lines[i:i + rng.randint(2, 40)]
                rng.shuffle(block)
                lines[i:i + len(block)] = block
            elif kind == "repeat" and lines:
                i = rng.randrange(len(lines))
                lines[i:i] = lines[i:i + rng.randint(1, 60)] * rng.randint(1, 4)
            elif kind == "hostile" and lines:
                for _ in range(rng.randint(1, 30)):
                    i = rng.randrange(len(lines))
                    j = rng.randint(0, len(lines[i]))
                    lines[i] = lines[i][:j] + rng.choice(HOSTILE) + lines[i][j:]
            text = "\n".join(lines)
            enc = rng.choice(["gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"]) if kind == "encode" else "utf-8"
            data = text.encode(enc, errors="ignore")
    return data, "+".join(kinds)


def office(data: bytes, rng: random.Random, folder: Path) -> Path:
    """The mutated text's tab-separated lines as an XLSX sheet or a DOCX table."""
    text = data.decode("utf-8", errors="replace")
    rows = [line.split("\t") for line in text.split("\n")[:3000]]
    if rng.random() < 0.5:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        for row in rows:
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", c).replace("\ufffe", "").replace("\uffff", "")[:1000] for c in row[:40]])
        path = folder / "case.xlsx"
        wb.save(path)
        return path
    import re

    import docx

    bad = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
    document = docx.Document()
    width = max(1, min(12, max(len(r) for r in rows[:400])))
    table = document.add_table(rows=0, cols=width)
    for row in rows[:400]:
        cells = table.add_row().cells
        for k, value in enumerate(row[:width]):
            cells[k].text = bad.sub("", value)[:500]
    path = folder / "case.docx"
    document.save(path)
    return path


def run_case(path: Path, out: Path) -> str:
    from rich.console import Console

    from targetqa.catalog import select_rules
    from targetqa.checks.registry import run_rules
    from targetqa.ingest import load
    from targetqa.model import InputError
    from targetqa.output import console as console_out
    from targetqa.output.board import board_for_results
    from targetqa.output.findings import FINDING_COLUMNS, finding_records, report_payload
    from targetqa.output.html import write_board_html
    from targetqa.output.rows_csv import EXTRACT_COLUMNS, dumps, row_records, write_csv
    from targetqa.output.xlsx import write_board_xlsx
    from targetqa.pipeline import ReportResult
    from targetqa.score import score_report

    try:
        doc = load(path)
    except InputError:
        return "refused"
    result = ReportResult(doc, list(run_rules(doc, select_rules())))
    result.score = score_report(doc, result.findings)
    write_csv(out / "rows.csv", EXTRACT_COLUMNS, row_records([doc]))
    write_csv(out / "findings.csv", FINDING_COLUMNS, finding_records([result]))
    dumps([report_payload(result)])
    board = board_for_results([result], title="fuzz")
    write_board_xlsx(out / "book.xlsx", board)
    write_board_html(out / "page.html", board)
    sink = Console(file=io.StringIO(), highlight=False, soft_wrap=True, emoji=False)
    original = console_out.console
    console_out.console = lambda: sink
    try:
        console_out.print_results([result])
        console_out.print_extract_summary([doc])
    finally:
        console_out.console = original
    return "read"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--office-share", type=float, default=0.2)
    args = parser.parse_args()
    sources = [p.read_bytes() for p in sorted((ROOT / "corpora").glob("*.txt"))]
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    examples: dict[str, str] = {}
    read_bytes = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for case in range(args.cases):
            data, how = mutate(rng.choice(sources), rng)
            path = folder / "case.txt"
            path.write_bytes(data)
            try:
                if rng.random() < args.office_share:
                    path = office(data, rng, folder)
                read_bytes += path.stat().st_size
                outcomes[run_case(path, folder)] += 1
            except Exception as exc:  # noqa: BLE001 - what the fuzz is looking for
                key = f"{type(exc).__name__}: {str(exc)[:80]}"
                failures[key] += 1
                examples.setdefault(key, f"case {case} ({how}):\n" + traceback.format_exc(limit=6))
            if (case + 1) % 500 == 0:
                print(f"  {case + 1} cases, {sum(failures.values())} exceptions, {time.perf_counter() - start:.0f} s",
                      file=sys.stderr)
    seconds = time.perf_counter() - start
    print(f"cases: {args.cases} (seed {args.seed}); read {outcomes['read']}, refused with a reason {outcomes['refused']}")
    print(f"exceptions: {sum(failures.values())}")
    for key, n in failures.most_common():
        print(f"  {n:5d}  {key}\n{examples[key]}")
    print(f"{seconds:.0f} s, {args.cases / seconds:.1f} cases/s, {read_bytes / seconds / 1024 / 1024:.2f} MB/s read")


if __name__ == "__main__":
    main()
