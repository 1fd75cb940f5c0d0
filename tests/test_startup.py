"""Start-up: a command imports only what it uses (see README, "Tests and benchmarks").

Each case runs the command in a fresh interpreter, output to a pipe, and lists the modules it
imported. The timing goal itself is measured by bench/bench_score.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import seed_path

NEVER_FOR_SCORE = ("sklearn", "scipy", "spacy", "pdfplumber", "pdfminer", "openpyxl", "docx", "jinja2",
                   "datasketch", "pydantic", "rich", "numpy.random", "numpy.ma", "jieba", "sqlite3")
COMPARISON = ("numpy", "rjieba")


def imported(*args: str) -> set[str]:
    code = (  # run() ends the process itself; what it imported is written by an exit handler
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
        "from targetqa.cli import run\n"
        f"sys.argv = ['targetqa', *{list(args)!r}]\n"
        "run()\n"
    )
    env = {**os.environ, "TARGETQA_SEGMENTER": "auto"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    return set(json.loads(proc.stderr.rsplit("MODULES ", 1)[-1]))


def loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(m.startswith(name + ".") for m in modules)


def test_score_imports_no_heavy_library_it_does_not_use():
    modules = imported("score", str(seed_path("002")), "--exit-zero")
    assert all(loaded(modules, m) for m in COMPARISON)
    assert [m for m in NEVER_FOR_SCORE if loaded(modules, m)] == []


@pytest.mark.parametrize("args", [["--help"], ["rules"], ["score", "-h"], ["score", "SEED", "--select", "UNIT,DIR", "--exit-zero"]])
def test_commands_without_comparison_import_neither_numpy_nor_a_segmenter(args):
    modules = imported(*[str(seed_path("002")) if a == "SEED" else a for a in args])
    assert [m for m in COMPARISON + NEVER_FOR_SCORE if loaded(modules, m) and m != "rich"] == []


def test_a_report_in_simplified_characters_does_not_load_the_traditional_converter():
    assert not loaded(imported("score", str(seed_path("002")), "--exit-zero"), "opencc")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="without fork the report is read in this process")
def test_score_reads_and_checks_in_another_process_and_loads_only_the_comparison_here():
    modules = imported("score", str(seed_path("002")), "--exit-zero")
    assert loaded(modules, "targetqa.compare.analysis")
    assert not loaded(modules, "targetqa.ingest")  # the readers ran in the forked process only
