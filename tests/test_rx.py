"""The package's regular expressions built from kept programs are the ones `re` builds.

rx keeps the program `re` compiles for each pattern and builds later runs' patterns from it
(start-up, issue 11). These tests take every pattern the package compiled while reading and
scoring real reports, build it both ways and compare what each matches on those reports' lines.
"""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import seed, seed_path
from targetqa import caches, rx


@pytest.fixture(scope="module")
def package_patterns() -> list[tuple[str | bytes, int]]:
    from targetqa.pipeline import audit
    from targetqa.catalog import all_rules

    doc = seed("002")
    audit([doc], all_rules(), use_corpus=True)
    return list(rx._compiled)


def test_every_pattern_from_its_program_matches_as_re_compiles_it(package_patterns: list) -> None:
    lines = seed_path("002").read_text(encoding="utf-8").splitlines()[:400]
    assert len(package_patterns) > 200  # the extraction, the rules and the comparison all went through rx
    for pattern, flags in package_patterns:
        mine = rx._sre.compile(pattern, *marshal.loads(marshal.dumps(rx.program(pattern, flags))))
        theirs = re.compile(pattern, flags)
        assert (mine.pattern, mine.flags, mine.groups, mine.groupindex) == (
            theirs.pattern, theirs.flags, theirs.groups, theirs.groupindex)
        if isinstance(pattern, str):
            for line in lines:
                assert [m.span() for m in mine.finditer(line)] == [m.span() for m in theirs.finditer(line)], (pattern, line)


def _score(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("targetqa")), "score", str(seed_path("002")), "--exit-zero",
                           "--format", "json"], capture_output=True, text=True, env=env, check=False)


def test_a_second_run_reads_the_kept_programs_and_finds_the_same(tmp_path) -> None:
    env = {**os.environ, "TARGETQA_CACHE": str(tmp_path)}
    first = _score(env)
    kept = tmp_path / f"rx-{sys.implementation.cache_tag}.marshal"
    assert first.returncode == 0 and kept.is_file()
    header, programs = marshal.loads(kept.read_bytes())
    assert header == rx._HEADER and len(programs) > 200
    written = kept.stat().st_mtime_ns
    second = _score(env)
    assert second.stdout == first.stdout
    assert kept.stat().st_mtime_ns == written  # nothing new to keep: the file is not written again


def test_programs_from_another_interpreter_or_a_broken_file_are_ignored(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TARGETQA_CACHE", str(tmp_path))
    kept = tmp_path / f"rx-{sys.implementation.cache_tag}.marshal"
    kept.write_bytes(marshal.dumps((("another python",), {("x", 0): (0, [], 0, {}, ())})))
    assert rx._load() == {}
    kept.write_bytes(b"\x00 not marshal")
    assert rx._load() == {}


def test_the_cache_folder_is_the_one_platformdirs_names(monkeypatch) -> None:
    from platformdirs import user_cache_dir

    monkeypatch.delenv("TARGETQA_CACHE", raising=False)
    assert caches.user_cache_dir() == user_cache_dir("targetqa", appauthor=False)


def test_where_re_builds_patterns_otherwise_rx_is_re_compile(monkeypatch) -> None:
    """Another interpreter may change re's internals: the probe then fails once and every pattern
    is compiled by re itself, and a pattern re cannot parse is re's error either way."""
    monkeypatch.setattr(rx, "_USABLE", None)
    monkeypatch.setattr(rx, "_sre", None)  # what `program`'s result would be handed to is gone
    monkeypatch.setattr(rx, "_compiled", {})
    assert rx._usable() is False
    assert rx.compile(r"(?P<n>\d+)个").search("共3个").group("n") == "3"
    with pytest.raises(re.error):
        rx.compile("(unclosed")
