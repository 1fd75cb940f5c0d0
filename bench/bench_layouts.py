"""Rows read right, per layout family: every real table of corpora/realdocs printed again in each
way pages flatten a table (tests/flat_layouts.py) and read back through the whole pipeline.

Prints figures; the tests hold the bars. Precision is the share of rows read that are right (a
row read wrong is judged as if it were right: the number that matters most), recall the share
of the page's rows read right. Besides the families of `LAYOUTS`, one cell per
line with every long cell wrapped at 8 and 10 characters, the family still read in part.

    .venv/bin/python bench/bench_layouts.py [FAMILY ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from flat_layouts import LAYOUTS, key, reference_tables, render, score, wrapped_cells  # noqa: E402

from targetqa.ingest import load  # noqa: E402

WRAPPED = {f"one cell per line, cells wrapped at {n} characters": n for n in (10, 8)}


def page(family: str, rows: list[dict[str, str]]) -> str:
    if family in WRAPPED:
        return "\n".join(["项目支出绩效目标表", "项目名称 测试项目", *wrapped_cells(rows, WRAPPED[family]), ""])
    return render(family, rows)


def main() -> None:
    families = sys.argv[1:] or [*LAYOUTS, *WRAPPED]
    tables = reference_tables()
    folder = Path(tempfile.mkdtemp(prefix="targetqa-layouts-"))
    print(f"{len(tables)} real tables, {sum(map(len, tables))} rows; precision / recall of rows read")
    for family in families:
        start = time.perf_counter()
        matched = predicted = expected = 0
        for k, rows in enumerate(tables):
            path = folder / f"{k}.txt"
            path.write_text(page(family, rows), encoding="utf-8")
            got = [key(r.level2, r.level3, r.operator, r.value, r.unit, r.expected) for r in load(path).rows]
            m, p, e = score(rows, got)
            matched, predicted, expected = matched + m, predicted + p, expected + e
        precision = matched / predicted if predicted else 1.0
        print(f"  {family:<68} {precision:5.3f} {matched / expected:5.3f}  ({time.perf_counter() - start:.2f} s)")


if __name__ == "__main__":
    main()
