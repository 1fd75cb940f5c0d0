"""Benchmark: `targetqa leaderboard` over a folder of a few hundred reports, cold and warm.

Builds the folder in a temporary directory from the real reports in corpora/*.txt: each copy is
one corpus report with a few of its own indicator-row lines swapped with each other (real rows,
recombined, so that every file has its own content hash; the result is for speed only, never
for quality figures). Then it times, each in a fresh process as a user would run it:
1. cold: an empty database, every file parsed;
2. warm: the same folder again, nothing changed;
3. one changed file: one report edited, the rest unchanged;
and prints reports/s (cold), the warm re-run times and the size of the HTML page.

    .venv/bin/python bench/bench_leaderboard.py [--reports 300] [--jobs N] [--ignore CODES] [--keep DIR]

Every copy shares most of its tables with the other copies of the same corpus report, so the
cross-document comparison (DUP/BOIL/REP) sees clusters of near-identical tables much larger than
a real year's documents give; `--ignore DUP,BOIL,REP` times the rest on its own.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"


def build_folder(folder: Path, count: int, seed: int = 7) -> list[Path]:
    from targetqa.ingest import load
    from targetqa.ingest.decode import decode_bytes

    sources = sorted(CORPORA.glob("*.txt"))
    bases = []
    for src in sources:
        text, _ = decode_bytes(src.read_bytes())
        lines = text.splitlines()
        doc = load(src)
        row_lines = sorted({r.line - 1 for r in doc.rows if 0 < r.line <= len(lines)})
        bases.append((src, lines, row_lines))
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[Path] = []
    k = 0
    while len(out) < count:
        src, lines, row_lines = bases[k % len(bases)]
        k += 1
        copy = list(lines)
        for _ in range(3):
            if len(row_lines) >= 2:
                a, b = rng.sample(row_lines, 2)
                copy[a], copy[b] = copy[b], copy[a]
        data = ("\n".join(copy) + "\n").encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        path = folder / f"{len(out):04d}_{src.stem}.txt"
        path.write_bytes(data)
        out.append(path)
    return out


def run_cli(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "from targetqa.cli import run; run()", *args],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    return time.perf_counter() - start, proc.returncode, proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    ap.add_argument("--keep", type=Path, help="build the folder here and keep it")
    ap.add_argument("--breakdown", action="store_true", help="also time the stages of a cold run in-process")
    ap.add_argument("--ignore", default="", help="rules to leave out, passed to the command (e.g. DUP,BOIL,REP "
                    "to time everything but the cross-document comparison)")
    opts = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="targetqa-bench-"))
    folder = opts.keep or tmp / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        files = build_folder(folder, opts.reports)
        size = sum(f.stat().st_size for f in files)
        print(f"folder: {len(files)} reports, {size / 1e6:.1f} MB, built in {time.perf_counter() - t0:.1f} s ({folder})")
        db = tmp / "bench.sqlite3"
        html = tmp / "board.html"
        jobs = ["--jobs", str(opts.jobs)] if opts.jobs else []
        ignore = ["--ignore", opts.ignore] if opts.ignore else []
        common = ["leaderboard", str(folder), "--db", str(db), "--exit-zero", *jobs, *ignore]
        print(f"cores: {os.cpu_count()}, jobs: {opts.jobs or os.cpu_count()}, rules: all{' but ' + opts.ignore if opts.ignore else ''}")

        # Run a snapshot of the package, so that edits made while the benchmark runs (a change
        # to the extractor invalidates every stored document) do not change what is measured.
        snapshot = tmp / "src"
        shutil.copytree(ROOT / "src" / "targetqa", snapshot / "targetqa",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        env = {**os.environ, "PYTHONPATH": str(snapshot)}
        cold, rc, note = run_cli([*common, "--html", str(html)], env)
        print(f"cold : {cold:6.2f} s wall  -> {len(files) / cold:6.1f} reports/s   (exit {rc}) {note}")
        warm, rc, note = run_cli([*common, "--html", str(html)], env)
        print(f"warm : {warm:6.2f} s wall  ({warm / cold:.0%} of cold)   (exit {rc}) {note}")
        warm_plain, rc, note = run_cli(common, env)
        print(f"warm, no outputs: {warm_plain:6.2f} s wall   (exit {rc})")
        victim = files[len(files) // 2]
        victim.write_bytes(victim.read_bytes().replace(b"\n", b"\n\n", 1))
        one, rc, note = run_cli([*common, "--html", str(html)], env)
        print(f"one changed file: {one:6.2f} s wall  ({one / cold:.0%} of cold)   (exit {rc}) {note}")
        print(f"HTML page: {html.stat().st_size / 1e6:.2f} MB; database: {db.stat().st_size / 1e6:.1f} MB")
        startup, _, _ = run_cli(["--version"], env)
        print(f"(process start-up alone: {startup:.2f} s)")
        if opts.breakdown:
            code = (
                "import sys, json; from targetqa.commands.leaderboard import run_leaderboard; "
                "from targetqa.catalog import select_rules; "
                "ign = [c for c in sys.argv[3].split(',') if c]; "
                "r = run_leaderboard([sys.argv[1]], sys.argv[2], select_rules(None, ign), jobs=int(sys.argv[4]) or None); "
                "print(json.dumps({k: round(v, 2) for k, v in r.seconds.items()}))"
            )
            proc = subprocess.run([sys.executable, "-c", code, str(folder), str(tmp / "breakdown.sqlite3"),
                                   opts.ignore, str(opts.jobs)], capture_output=True, text=True, env=env)
            print(f"cold stages (s): {proc.stdout.strip() or proc.stderr[-500:]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
