"""Benchmark: corpus-wide near-duplicate search over indicator rows, index vs all pairs.

Builds a large corpus by recombining the real rows of corpora/*.txt (name, description, target
and basis drawn from different real rows, figures and document numbers varied, some tables
pasted again with small edits) — for speed only, never for quality tests — and measures, for
10k, 100k and 1M rows, the comparison targetqa runs across reports:

  row keys → MinHash signatures (vectorised, datasketch-compatible) → LSH band buckets →
  candidate pairs from different tables → rapidfuzz confirmation (ratio ≥ 85) → table pairs
  with ≥ 3 confirmed rows (copied tables).

Each size runs in a fresh process, so peak memory (ru_maxrss) is that size's own. In the same run
an all-pairs rapidfuzz baseline (`process.cdist`, ratio ≥ 85, same workers) is timed on the sizes
where it finishes within --cap seconds; beyond that its time is extrapolated from the blocks done
and marked '~'. At 10k the index's recall against the all-pairs result is reported.

Usage: python bench/bench_compare.py [--sizes 10000 100000 1000000] [--cap 120] [--workers 2]
Prints a table; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

ROWS_PER_TABLE = 6
_NUM = re.compile(r"\d+(?:\.\d+)?")


def real_rows() -> tuple[list[tuple[str, str, str, str]], list[str]]:
    from targetqa.ingest import load
    from targetqa.taxonomy import compact

    rows, titles = [], []
    for path in sorted((ROOT / "corpora").glob("*.txt")):
        doc = load(path)
        for t in doc.tables:
            titles.append(compact(t.project))
            for r in t.rows:
                rows.append((compact(r.level3), compact(r.description), compact(r.shown_value), compact(r.basis)))
    return rows, titles


def _vary(text: str, rng: random.Random) -> str:
    return _NUM.sub(lambda m: str(rng.randint(1, 999)) if rng.random() < 0.7 else m.group(0), text)


def synthetic_keys(n: int, seed: int = 0) -> tuple[list[str], list[int]]:
    """n row keys in tables of six, and the table of each row.

    A corpus grows by departments, each with its own habits: every synthetic department (fifty
    tables) draws a small pool of real rows as its templates and a few place/project words of
    its own (made of real characters), and writes its rows from those — so, as in real reports,
    near-duplicates are common inside a department and across departments only for the widely
    shared boilerplate, instead of every row having a twin in a pool of 455 real rows."""
    rows, titles = real_rows()
    chars = sorted({ch for r in rows for cell in r[:2] for ch in cell if "\u4e00" <= ch <= "\u9fa5"})
    rng = random.Random(seed)
    keys: list[str] = []
    groups: list[int] = []
    t = 0
    while len(keys) < n:
        pool = rng.sample(rows, 24)
        words = ["".join(rng.choice(chars) for _ in range(rng.randint(2, 4))) for _ in range(6)]
        tables: list[list[str]] = []
        for _ in range(50):
            if tables and rng.random() < 0.03:  # a table pasted under another project, one cell edited
                table = list(rng.choice(tables))
                k = rng.randrange(len(table))
                table[k] = _vary(table[k], rng) + rng.choice(words)
            else:
                title = rng.choice(titles)[:6] + rng.choice(words)
                table = []
                for _ in range(ROWS_PER_TABLE):
                    base = rng.choice(pool) if rng.random() < 0.8 else rng.choice(rows)
                    name, desc = base[0], base[1] if rng.random() < 0.7 else rng.choice(pool)[1]
                    if rng.random() < 0.5:
                        desc = title[: rng.randint(2, 8)] + desc
                    if rng.random() < 0.3:
                        name = rng.choice(words) + name
                    value = _vary(rng.choice(pool)[2], rng)
                    basis = _vary(rng.choice(pool)[3], rng) if rng.random() < 0.7 else rng.choice(words) + "[2023]12号"
                    table.append(f"{name}|{desc}|{value}|{basis}")
            tables.append(table)
            keys.extend(table)
            groups.extend([t] * len(table))
            t += 1
    return keys[:n], groups[:n]


def run_index(keys: list[str], groups: list[int], workers: int) -> dict:
    import numpy as np

    from targetqa.compare.index import MinHashIndex, confirm
    from targetqa.compare.tables import ROW_CUTOFF
    from targetqa.text.normalize import mask_numbers

    out: dict[str, float] = {}
    t0 = time.perf_counter()
    masked = [mask_numbers(k) for k in keys]
    t1 = time.perf_counter()
    index = MinHashIndex(num_perm=64, threshold=0.5)
    sigs = index.signatures(masked)
    t2 = time.perf_counter()
    g = np.asarray(groups, dtype=np.int64)
    cand = index.candidates(sigs, groups=g, max_bucket=50)
    t3 = time.perf_counter()
    pairs, scores = confirm(keys, cand.pairs, ROW_CUTOFF, workers=workers)
    t4 = time.perf_counter()
    if len(pairs):
        tp = np.stack([g[pairs[:, 0]], g[pairs[:, 1]]], axis=1)
        tp.sort(axis=1)
        uniq, counts = np.unique(tp[:, 0] * (int(g.max()) + 1) + tp[:, 1], return_counts=True)
        copied_tables = int((counts >= 3).sum())
    else:
        copied_tables = 0
    t5 = time.perf_counter()
    out.update(
        normalise_s=t1 - t0, minhash_s=t2 - t1, lsh_s=t3 - t2, confirm_s=t4 - t3, tables_s=t5 - t4,
        index_s=t5 - t0, candidates=int(len(cand.pairs)), confirmed=int(len(pairs)),
        crowded_groups=len(cand.crowded), copied_tables=copied_tables,
    )
    out["_pairs"] = [(int(a), int(b)) for a, b in pairs] if len(keys) <= 20000 else []
    return out


def run_all_pairs(keys: list[str], groups: list[int], workers: int, cap: float) -> dict:
    import numpy as np
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    from targetqa.compare.tables import ROW_CUTOFF

    n = len(keys)
    g = np.asarray(groups)
    block = max(1, min(n, int(2e8 // n)))
    found: list[tuple[int, int]] = []
    t0 = time.perf_counter()
    done = 0
    for start in range(0, n, block):
        m = cdist(keys[start : start + block], keys, scorer=fuzz.ratio, score_cutoff=ROW_CUTOFF,
                  dtype=np.uint8, workers=workers)
        ii, jj = np.nonzero(m)
        ii = ii + start
        keep = (ii < jj) & (g[ii] != g[jj])
        if n <= 20000:
            found.extend(zip(ii[keep].tolist(), jj[keep].tolist()))
        done = min(n, start + block)
        if time.perf_counter() - t0 > cap and done < n:
            break
    elapsed = time.perf_counter() - t0
    complete = done >= n
    return {"all_pairs_s": elapsed if complete else elapsed * n / done, "all_pairs_complete": complete,
            "_pairs": found}


def _table_pairs(pairs: set[tuple[int, int]], groups: list[int]) -> set[tuple[int, int]]:
    from collections import Counter

    c = Counter(tuple(sorted((groups[a], groups[b]))) for a, b in pairs)
    return {k for k, v in c.items() if v >= 3}


def _table_recall(truth: set, got: set, groups: list[int]) -> float:
    """Share of the copied table pairs (≥ 3 matching rows) found by all pairs that the index finds."""
    t = _table_pairs(truth, groups)
    return len(t & _table_pairs(got, groups)) / len(t) if t else 1.0


def child(size: int, workers: int, cap: float) -> None:
    keys, groups = synthetic_keys(size)
    res = {"rows": size}
    idx = run_index(keys, groups, workers)
    res.update({k: v for k, v in idx.items() if not k.startswith("_")})
    peak_index = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB (Linux: KiB)
    res["peak_mib"] = peak_index
    if cap > 0:
        ap = run_all_pairs(keys, groups, workers, cap)
        res.update({k: v for k, v in ap.items() if not k.startswith("_")})
        if ap["_pairs"] and ap["all_pairs_complete"]:
            truth = set(ap["_pairs"])
            got = set(idx["_pairs"])
            res["recall"] = len(truth & got) / len(truth) if truth else 1.0
            res["truth_pairs"] = len(truth)
            res["table_recall"] = _table_recall(truth, got, groups)
    print(json.dumps(res))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--cap", type=float, default=120.0, help="seconds allowed to the all-pairs baseline per size")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.workers, args.cap)
        return
    print(f"targetqa corpus comparison benchmark — {os.cpu_count()} CPUs, workers={args.workers}, "
          f"all-pairs cap {args.cap:.0f} s per size")
    results = []
    for size in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--child", str(size), "--workers", str(args.workers),
                               "--cap", str(args.cap)], capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{size}: failed\n{proc.stderr[-2000:]}")
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(f"  {size:>9,} rows done: index {r['index_s']:.1f} s, peak {r['peak_mib']:.0f} MiB", flush=True)
    print()
    head = (f"{'rows':>10} {'index s':>8} {'µs/row':>7} {'minhash':>8} {'lsh':>6} {'confirm':>8} {'cand.':>10} "
            f"{'confirmed':>10} {'copies':>7} {'peak MiB':>9} {'all-pairs s':>12} {'recall':>7} {'tables':>7}")
    print(head)
    print("-" * len(head))
    for r in results:
        ap = r.get("all_pairs_s")
        ap_s = "—" if ap is None else (f"{ap:.1f}" if r.get("all_pairs_complete") else f"~{ap:,.0f}")
        rec = f"{r['recall']:.3f}" if "recall" in r else "—"
        trec = f"{r['table_recall']:.3f}" if "table_recall" in r else "—"
        print(f"{r['rows']:>10,} {r['index_s']:>8.1f} {1e6 * r['index_s'] / r['rows']:>7.1f} {r['minhash_s']:>8.1f} "
              f"{r['lsh_s']:>6.1f} {r['confirm_s']:>8.1f} {r['candidates']:>10,} {r['confirmed']:>10,} "
              f"{r['copied_tables']:>7,} {r['peak_mib']:>9.0f} {ap_s:>12} {rec:>7} {trec:>7}")
    print("\n'~' = all pairs did not finish within the cap; time extrapolated from the blocks done.")
    print("recall = share of the all-pairs row matches (ratio ≥ 85, different tables) that the index found;")
    print("tables = the same for copied table pairs (≥ 3 matching rows).")


if __name__ == "__main__":
    main()
