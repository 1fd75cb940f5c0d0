"""Time `targetqa score` on one report (start-up included) and extraction over corpora/.

Prints figures; it is not a test. Two baselines run in the same process: a bare Python start-up,
and `python -c "import jieba; jieba.initialize()"` (what every run paid when jieba segmented).
The start-up goal (issue 11): `targetqa score corpora/002_*.txt` in at most half the time of the
latter; the last lines print both and their ratio.

The package's bytecode is compiled first, as `pip install` does for a wheel: with
PYTHONDONTWRITEBYTECODE set (some CI and container images set it), an editable install would
otherwise recompile every module of targetqa on every run, which is not what a user measures.

    .venv/bin/python bench/bench_score.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
EXE = Path(sys.executable).parent / "targetqa"


def wall(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    times = []
    full_env = {**os.environ, **(env or {})}
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=full_env)
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import compileall

    compileall.compile_dir(str(ROOT / "src" / "targetqa"), quiet=1)
    biggest = max(CORPORA.glob("*.txt"), key=lambda p: p.stat().st_size)
    size_kb = biggest.stat().st_size / 1024
    print(f"report: {biggest.name} ({size_kb:.0f} KB), repeat={args.repeat}, median / best wall seconds")
    rows = [
        ("python -c pass (interpreter start-up)", [sys.executable, "-c", "pass"]),
        ("targetqa --help", [str(EXE), "--help"]),
        ("targetqa extract REPORT", [str(EXE), "extract", str(biggest)]),
        ("targetqa score REPORT --isolated", [str(EXE), "score", str(biggest), "--exit-zero", "--isolated"]),
        ("targetqa score REPORT (with corpus model)", [str(EXE), "score", str(biggest), "--exit-zero"]),
        ("  same, segmenter jieba instead of rjieba", [str(EXE), "score", str(biggest), "--exit-zero"],
         {"TARGETQA_SEGMENTER": "jieba"}),
        ("  same, spaCy sentencizer instead of its rule", [str(EXE), "score", str(biggest), "--exit-zero"],
         {"TARGETQA_SENTENCIZER": "spacy"}),
        ("targetqa score corpora/*.txt", [str(EXE), "score", *map(str, sorted(CORPORA.glob("*.txt"))), "--exit-zero"]),
        ("targetqa extract corpora/ (text + 2 PDFs)", [str(EXE), "extract", str(CORPORA)]),
    ]
    for label, cmd, *env in rows:
        med, best = wall(cmd, args.repeat, env[0] if env else None)
        print(f"  {label:<45} {med:6.3f} s  {best:6.3f} s")
    # The start-up goal: score on corpora/002 against jieba's own start-up, interleaved.
    seed = next(CORPORA.glob("002_*.txt"))
    jieba_cmd = [sys.executable, "-c", "import jieba; jieba.initialize()"]
    score_cmd = [str(EXE), "score", str(seed), "--exit-zero"]
    jieba_times, score_times = [], []
    for _ in range(args.repeat):
        jieba_times.append(wall(jieba_cmd, 1)[0])
        score_times.append(wall(score_cmd, 1)[0])
    jieba_med, score_med = statistics.median(jieba_times), statistics.median(score_times)
    label = 'python -c "import jieba; jieba.initialize()"'
    print(f"  {label:<45} {jieba_med:6.3f} s  {min(jieba_times):6.3f} s")
    print(f"  {'targetqa score ' + seed.name:<45} {score_med:6.3f} s  {min(score_times):6.3f} s")
    print(f"  ratio score / jieba start-up (goal <= 0.50): {score_med / jieba_med:.2f} median, "
          f"{min(score_times) / min(jieba_times):.2f} best")
    # In-process: extraction throughput over the corpus, no start-up.
    sys.path.insert(0, str(ROOT / "src"))
    from targetqa.ingest import load

    files = sorted(CORPORA.glob("*.txt"))
    t = time.perf_counter()
    n_rows = 0
    rounds = 20
    for _ in range(rounds):
        for f in files:
            n_rows += len(load(f).rows)
    dt = time.perf_counter() - t
    mb = rounds * sum(f.stat().st_size for f in files) / 1024 / 1024
    print(f"  in-process extraction: {rounds * len(files) / dt:.0f} reports/s, {n_rows / dt:.0f} rows/s, {mb / dt:.2f} MB/s")
    # PDFs: pages per second of extraction; then checks, comparison and scoring of everything read.
    import pdfplumber

    from targetqa.catalog import select_rules
    from targetqa.pipeline import audit

    pdfs = sorted((CORPORA / "pdf").glob("*.pdf"))
    pages = 0
    for f in pdfs:
        with pdfplumber.open(f) as pdf:
            pages += len(pdf.pages)
    t = time.perf_counter()
    pdf_docs = [load(f) for f in pdfs]
    dt = time.perf_counter() - t
    pdf_mb = sum(f.stat().st_size for f in pdfs) / 1024 / 1024
    print(f"  in-process PDF extraction: {pages / dt:.1f} pages/s, {pdf_mb / dt:.2f} MB/s ({len(pdfs)} PDFs, {pages} pages)")
    text_docs = [load(f) for f in files]
    for label, docs, amount, unit in (("text reports", text_docs, mb / rounds, "MB"), ("PDFs", pdf_docs, pages, "pages")):
        t = time.perf_counter()
        audit(docs, select_rules(), use_corpus=True)
        dt = time.perf_counter() - t
        print(f"  in-process scoring of the {label} (checks, comparison with the corpus model, scores): "
              f"{amount / dt:.2f} {unit}/s, {sum(len(d.rows) for d in docs) / dt:.0f} rows/s")


if __name__ == "__main__":
    main()
