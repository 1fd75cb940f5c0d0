"""Benchmark: `targetqa leaderboard` over folders of 300 and 3,000 reports: cold, warm, one changed file.

Builds each folder in a temporary directory from the real reports in corpora/ (all *.txt under it,
plus any folder given with --sources, e.g. the shared realdocs): each copy is one real report with
a few of its own indicator-row lines swapped with each other (real rows, recombined, so that
every file has its own content hash; the result is for speed only, never for quality figures).
Then it times, each in a fresh process as a user would run it:
1. cold: an empty database, every file parsed;
2. warm: the same folder again, nothing changed;
3. one changed file: one report edited, the rest unchanged;
and prints reports/s (cold), the growth exponent of the cold time from the smallest to the
largest size (1.0 = linear), the warm and changed-file times as a share of cold, the peak memory
of the run (the command and its worker processes together, sampled) and the size of the HTML page
and of the database.

    .venv/bin/python bench/bench_leaderboard.py [--sizes 300,3000] [--jobs N] [--ignore CODES]
        [--sources DIR ...] [--baseline REV [--baseline-sizes 300]] [--repeat N] [--keep DIR]

--baseline REV runs the same measurements with the package as it was at git revision REV (in the
same run, so that the figures are comparable on a machine shared with other work).

Every copy shares most of its tables with the other copies of the same real report, so the
cross-document comparison (DUP/BOIL/REP) sees clusters of near-identical tables much larger than
a real year's documents give; `--ignore DUP,BOIL,REP` times the rest on its own.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"


def sources(extra: list[Path]) -> list[Path]:
    found = sorted(CORPORA.rglob("*.txt"))
    for folder in extra:
        found += sorted(folder.rglob("*.txt"))
    return found


def build_folder(folder: Path, count: int, srcs: list[Path], seed: int = 7) -> list[Path]:
    from targetqa.ingest import load
    from targetqa.ingest.decode import decode_bytes

    bases = []
    for src in srcs:
        text, _ = decode_bytes(src.read_bytes())
        lines = text.splitlines()
        doc = load(src)
        if not doc.rows:
            continue
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
        path = folder / f"{len(out):05d}_{src.stem}.txt"
        path.write_bytes(data)
        out.append(path)
    return out


def _tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * page
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, int, str, int]:
    """Seconds, exit code, last line of stderr, peak memory (bytes, sampled every 0.1 s)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "from targetqa.cli import run; run()", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.1):
            if os.path.isdir("/proc"):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    err = err.strip()
    return seconds, proc.returncode, err.splitlines()[-1] if err else "", peak[0]


def snapshot(tmp: Path, label: str, rev: str | None) -> dict[str, str]:
    """An environment running a frozen copy of the package (the working tree, or git revision
    `rev`), so that edits made while the benchmark runs do not change what is measured."""
    dest = tmp / f"src-{label}"
    if rev is None:
        shutil.copytree(ROOT / "src" / "targetqa", dest / "targetqa", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", rev, "src/targetqa", "models"], cwd=ROOT, capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        shutil.move(str(dest / "src" / "targetqa"), str(dest / "targetqa"))
    # compiled as `pip install` compiles a wheel: with PYTHONDONTWRITEBYTECODE set (as in some CI and
    # container images) every run would otherwise compile the whole package from source again
    compileall.compile_dir(str(dest / "targetqa"), quiet=1)
    env = {**os.environ, "PYTHONPATH": str(dest)}
    env.pop("TARGETQA_MODELS", None)
    if not (dest / "targetqa" / "data" / "models" / "reference.json").is_file():
        env["TARGETQA_MODELS"] = str(dest / "models")  # older code: the statistics beside the package
    return env


def measure(files: list[Path], work: Path, env: dict[str, str], jobs: list[str], ignore: list[str]) -> dict[str, float]:
    db, html = work / "bench.sqlite3", work / "board.html"
    folder = files[0].parent
    common = ["leaderboard", str(folder), "--db", str(db), "--exit-zero", *jobs, *ignore]
    out: dict[str, float] = {}
    out["cold"], rc, note, out["peak"] = run_cli([*common, "--html", str(html)], env)
    if rc != 0:
        print(f"  cold run failed (exit {rc}): {note}")
    out["warm"], _, _, _ = run_cli([*common, "--html", str(html)], env)
    victim = files[len(files) // 2]
    original = victim.read_bytes()
    victim.write_bytes(original.replace(b"\n", b"\n\n", 1))
    out["changed"], _, _, peak = run_cli([*common, "--html", str(html)], env)
    out["peak"] = max(out["peak"], peak)
    victim.write_bytes(original)
    out["page"] = html.stat().st_size if html.exists() else 0
    out["db"] = db.stat().st_size if db.exists() else 0
    for p in work.glob("bench.sqlite3*"):
        p.unlink()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="300,3000", help="folder sizes, comma-separated (default 300,3000)")
    ap.add_argument("--reports", type=int, help="one size only (same as --sizes N)")
    ap.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    ap.add_argument("--sources", type=Path, action="append", default=[], help="more folders of real reports (*.txt)")
    ap.add_argument("--baseline", help="also measure the package at this git revision (e.g. main)")
    ap.add_argument("--baseline-sizes", default="300", help="sizes measured with --baseline (default 300)")
    ap.add_argument("--repeat", type=int, default=1, help="time sizes under 1,000 this many times and keep the "
                    "fastest of each figure (a machine shared with other work is noisy)")
    ap.add_argument("--keep", type=Path, help="build the folders under this directory and keep them")
    ap.add_argument("--ignore", default="", help="rules to leave out, passed to the command (e.g. DUP,BOIL,REP "
                    "to time everything but the cross-document comparison)")
    opts = ap.parse_args()
    sizes = [opts.reports] if opts.reports else [int(s) for s in opts.sizes.split(",") if s]
    base_sizes = {int(s) for s in opts.baseline_sizes.split(",") if s}

    tmp = Path(tempfile.mkdtemp(prefix="targetqa-bench-"))
    try:
        srcs = sources(opts.sources)
        jobs = ["--jobs", str(opts.jobs)] if opts.jobs else []
        ignore = ["--ignore", opts.ignore] if opts.ignore else []
        print(f"cores: {os.cpu_count()}, jobs: {opts.jobs or os.cpu_count()}, rules: all"
              f"{' but ' + opts.ignore if opts.ignore else ''}; {len(srcs)} real reports as sources")
        versions = [("now", snapshot(tmp, "now", None))]
        if opts.baseline:
            versions.insert(0, (opts.baseline, snapshot(tmp, "base", opts.baseline)))
        table: list[tuple[str, int, dict[str, float]]] = []
        for size in sizes:
            folder = (opts.keep or tmp) / f"reports-{size}"
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            t0 = time.perf_counter()
            files = build_folder(folder, size, srcs)
            mb = sum(f.stat().st_size for f in files) / 1e6
            print(f"folder: {len(files)} reports, {mb:.1f} MB, built in {time.perf_counter() - t0:.1f} s")
            for label, env in versions:
                if label != "now" and size not in base_sizes:
                    continue
                runs = [measure(files, tmp, env, jobs, ignore) for _ in range(opts.repeat if size < 1000 else 1)]
                r = {k: (max if k == "peak" else min)(x[k] for x in runs) for k in runs[0]}
                table.append((label, size, r))
                print(f"  {label:>8} {size:>5}: cold {r['cold']:7.2f} s ({size / r['cold']:5.1f} reports/s), "
                      f"warm {r['warm'] / r['cold']:5.1%}, one changed file {r['changed']:.2f} s ({r['changed'] / r['cold']:5.1%} of cold), "
                      f"peak {r['peak'] / 1e6:6.0f} MB, page {r['page'] / 1e6:.2f} MB, db {r['db'] / 1e6:.1f} MB",
                      flush=True)
        print()
        print("| code | reports | cold s | reports/s | warm s (share) | one changed s (share) | peak MB | page MB | db MB |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for label, size, r in table:
            print(f"| {label} | {size} | {r['cold']:.2f} | {size / r['cold']:.1f} | {r['warm']:.2f} ({r['warm'] / r['cold']:.1%}) "
                  f"| {r['changed']:.2f} ({r['changed'] / r['cold']:.1%}) | {r['peak'] / 1e6:.0f} | {r['page'] / 1e6:.2f} "
                  f"| {r['db'] / 1e6:.1f} |")
        for label, _ in versions:
            mine = sorted((size, r["cold"]) for lab, size, r in table if lab == label)
            if len(mine) >= 2:
                (n0, t0_), (n1, t1) = mine[0], mine[-1]
                print(f"growth exponent of cold time, {label}, {n0} → {n1} reports: "
                      f"{math.log(t1 / t0_) / math.log(n1 / n0):.2f} (1.00 = linear)")
        startup, _, _, _ = run_cli(["--version"], versions[-1][1])
        print(f"(process start-up alone: {startup:.2f} s)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
