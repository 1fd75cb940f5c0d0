"""Extraction figures: time over corpora/, and row F1 on the real flattened pages, in one run.

Compares the whole extraction (row grammar and cell-row reader, the better reading per table)
with the obvious alternative, the cell-row reader alone, on the same files:

    .venv/bin/python bench/bench_extract.py

Prints wall time of `targetqa extract corpora/` (start-up included), in-process time per reader,
the whole extraction as it runs (the row grammar reading only what the cell-row reader leaves
unsettled) against both readers over every line, and precision / recall / F1 against
tests/reference/realdocs_rows.csv.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from flat_layouts import key  # noqa: E402

from targetqa.extract import extract_lines  # noqa: E402
from targetqa.extract.flattened import read_flattened  # noqa: E402
from targetqa.extract.layout import read_items  # noqa: E402
from targetqa.extract.tables import find_tables  # noqa: E402
from targetqa.ingest import load  # noqa: E402

CORPORA = ROOT / "corpora"
EXE = Path(sys.executable).parent / "targetqa"


def _reference() -> dict[str, Counter]:
    import csv

    by: dict[str, Counter] = {}
    with (ROOT / "tests" / "reference" / "realdocs_rows.csv").open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            by.setdefault(r["doc"], Counter())[key(r["level2"], r["level3"], r["operator"], r["value"], r["unit"], r["expected"])] += 1
    return by


def _f1(gold: dict[str, Counter], pred: dict[str, Counter]) -> str:
    tp = sum(sum((g & pred.get(d, Counter())).values()) for d, g in gold.items())
    n_pred = sum(sum(pred.get(d, Counter()).values()) for d in gold)
    n_gold = sum(sum(g.values()) for g in gold.values())
    p, r = (tp / n_pred if n_pred else 0.0), tp / n_gold
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P={p:.3f} R={r:.3f} F1={f:.3f} ({tp}/{n_gold} rows)"


def _keys(rows) -> Counter:
    return Counter(key(r.level2, r.level3, r.operator, r.value, r.unit, r.expected) for r in rows)


def main() -> None:
    start = time.perf_counter()
    subprocess.run([str(EXE), "extract", str(CORPORA)], check=False, capture_output=True)
    print(f"targetqa extract corpora/ (start-up, text, PDFs): {time.perf_counter() - start:.2f} s wall")

    texts = sorted(CORPORA.rglob("*.txt"))
    docs = [load(p) for p in texts]
    t0 = time.process_time()
    for d in docs:
        read_flattened(d.lines)
    grammar = time.process_time() - t0
    t0 = time.process_time()
    cell_only = {}
    for d in docs:
        cell_only[d.name] = find_tables(read_items(d.lines))
    cells = time.process_time() - t0
    t0 = time.process_time()
    for d in docs:
        extract_lines(replace(d, tables=[], unread=[]))
    whole = time.process_time() - t0
    n_lines = sum(len(d.lines) for d in docs)
    print(f"in-process over {len(docs)} text reports, {n_lines} lines:")
    print(f"  row grammar      {grammar:.3f} s  ({n_lines / grammar:,.0f} lines/s)")
    print(f"  cell-row reader  {cells:.3f} s  ({n_lines / cells:,.0f} lines/s)")
    print(f"  whole extraction {whole:.3f} s  (the grammar on unsettled lines only; both readers over "
          f"every line: {grammar + cells:.3f} s)")

    gold = _reference()
    both = {d.name: _keys(d.rows) for d in docs if d.name in gold}
    alone = {name: _keys(r for t in tables for r in t.rows) for name, tables in cell_only.items() if name in gold}
    print("rows of corpora/realdocs against the hand-read reference:")
    print(f"  targetqa (both readings, chosen per table)  {_f1(gold, both)}")
    print(f"  cell-row reader alone                       {_f1(gold, alone)}")


if __name__ == "__main__":
    main()
