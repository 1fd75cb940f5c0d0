"""CI: the package as a user installs it gives the same findings as the source tree.

Builds a wheel, installs it (with its dependencies, nothing from the source tree) into a fresh
virtual environment, runs `targetqa score` on a seed from another directory, and compares the
JSON output with that of the development install (`pip install -e .`). A wheel that lacks the
reference statistics, the dictionary or a dependency gives other findings, or none, and fails.

    .venv/bin/python .ci/check_wheel.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "corpora").glob("002_*.txt"))


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:  # noqa: ANN003 - subprocess options
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def score(exe: Path, cwd: Path, env: dict[str, str]) -> list[dict]:
    """`targetqa score SEED --format json` from `cwd`; the seed is copied there first."""
    report = cwd / SEED.name
    shutil.copyfile(SEED, report)
    out = subprocess.run([str(exe), "score", SEED.name, "--format", "json", "--exit-zero"], cwd=cwd, env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{exe} score exited with {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="targetqa-wheel-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TARGETQA_")}
    try:
        # Built from a clean copy: a build/ or *.egg-info left in the checkout (the editable
        # install writes one) can put files into the wheel that its configuration does not.
        tree = work / "tree"
        shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "out", ".tq-cache"))
        dist = work / "dist"
        run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(tree), "-w", str(dist)])
        wheel = next(dist.glob("targetqa-*.whl"))
        venv = work / "venv"
        run([sys.executable, "-m", "venv", str(venv)])
        pip = venv / "bin" / "pip"
        run([str(pip), "install", "-q", "--disable-pip-version-check", str(wheel)])
        where = run([str(venv / "bin" / "python"), "-c", "import targetqa; print(targetqa.__file__)"],
                    cwd=work, env=env, capture_output=True).stdout.strip()
        if not Path(where).resolve().is_relative_to(venv.resolve()):
            print(f"check_wheel: the fresh install imports targetqa from {where}, not from the wheel")
            return 1
        (work / "user").mkdir(exist_ok=True)
        (work / "source").mkdir(exist_ok=True)
        try:
            installed = score(venv / "bin" / "targetqa", work / "user", env)
            source = score(Path(sys.executable).parent / "targetqa", work / "source", env)
        except RuntimeError as exc:
            print(f"check_wheel: {exc}")
            return 1
        if installed != source:
            a = {(f["code"], f.get("table"), f.get("row")) for r in installed for f in r.get("findings", [])}
            b = {(f["code"], f.get("table"), f.get("row")) for r in source for f in r.get("findings", [])}
            print("check_wheel: the wheel's findings differ from the source tree's")
            print(f"  scores: wheel {[r.get('score') for r in installed]}, source {[r.get('score') for r in source]}")
            print(f"  only in the wheel's run: {sorted(a - b, key=str)[:10]}")
            print(f"  only in the source tree's run: {sorted(b - a, key=str)[:10]}")
            return 1
        n = sum(len(r.get("findings", [])) for r in source)
        print(f"check_wheel: {wheel.name} in a fresh venv gives the source tree's {n} findings and score "
              f"{source[0].get('score')} on {SEED.name} ({time.perf_counter() - started:.0f} s)")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
