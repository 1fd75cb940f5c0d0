"""Settings under [tool.targetqa] in pyproject.toml or in targetqa.toml, found from the current
folder up (ruff's rules: the nearest file wins, the command line overrides it, and the most
specific of a matching select/ignore prefix decides)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import seed_path
from targetqa.catalog import all_rules, select_rules
from targetqa.cli import app
from targetqa.config import ConfigError, find_config, load_settings

S002 = seed_path("002")
S004 = seed_path("004")


def codes_with_cwd(cwd: Path, *args: str) -> tuple[int, set[str], str]:
    """Run `targetqa score S002 …` with the current folder at cwd; the codes found, via the CSV."""
    out = cwd / "_out.csv"
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, ["score", str(S002), "--isolated", "--csv", str(out), *args])
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    codes = set()
    if out.exists():
        with out.open(encoding="utf-8-sig", newline="") as fh:
            codes = {r["code"] for r in csv.DictReader(fh)}
        out.unlink()
    return result.exit_code, codes, result.stderr


# --------------------------------------------------------------------------- select_rules


def chosen(select=None, ignore=None) -> set[str]:
    return {r.code for r in select_rules(select, ignore)}


def test_select_rules_prefix_semantics():
    every = {r.code for r in all_rules()}
    assert chosen() == every
    assert chosen(["UNIT"]) == {c for c in every if c.startswith("UNIT")}
    assert chosen(["UNIT"], ["UNIT007"]) == {c for c in every if c.startswith("UNIT")} - {"UNIT007"}
    assert chosen(None, ["UNIT"]) == {c for c in every if not c.startswith("UNIT")}
    # the more specific prefix wins, whichever side it is on
    assert chosen(["UNIT001"], ["UNIT"]) == {"UNIT001"}
    assert chosen(["UNIT"], ["UNIT00"]) == {c for c in every if c.startswith("UNIT") and not c.startswith("UNIT00")}
    assert chosen(["ALL"], ["VAL"]) == {c for c in every if not c.startswith("VAL")}
    assert chosen(["DIR001", "VAL004"]) == {"DIR001", "VAL004"}


# --------------------------------------------------------------------------- files


def test_pyproject_section(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.targetqa]\nselect = ["UNIT"]\nignore = ["UNIT007"]\n', encoding="utf-8")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    rc, codes, _ = codes_with_cwd(tmp_path)
    assert rc == 1
    assert codes and all(c.startswith("UNIT") for c in codes) and "UNIT007" not in codes


def test_pyproject_without_section_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) is None
    assert load_settings(None).select == [] or find_config() is not None  # nothing found here


def test_targetqa_toml_top_level_keys(tmp_path):
    (tmp_path / "targetqa.toml").write_text('select = ["VAL"]\nfail-level = "warning"\n', encoding="utf-8")
    rc, codes, _ = codes_with_cwd(tmp_path)
    assert codes and all(c.startswith("VAL") for c in codes)
    assert rc == 1


def test_targetqa_toml_tool_section(tmp_path):
    (tmp_path / "targetqa.toml").write_text('[tool.targetqa]\nselect = "ECHO001"\nfail_level = "warning"\n', encoding="utf-8")
    rc, codes, _ = codes_with_cwd(tmp_path)
    assert codes == {"ECHO001"} and rc == 0  # info findings are below the fail level


def test_targetqa_toml_wins_over_pyproject_in_the_same_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.targetqa]\nselect = ["UNIT"]\n', encoding="utf-8")
    (tmp_path / "targetqa.toml").write_text('select = ["ECHO003"]\n', encoding="utf-8")
    assert find_config(tmp_path).name == "targetqa.toml"
    assert codes_with_cwd(tmp_path)[1] == {"ECHO003"}


def test_nearest_file_up_the_tree_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.targetqa]\nselect = ["UNIT"]\n', encoding="utf-8")
    inner = tmp_path / "reports" / "2025"
    inner.mkdir(parents=True)
    assert codes_with_cwd(inner)[1] and all(c.startswith("UNIT") for c in codes_with_cwd(inner)[1])
    (tmp_path / "reports" / "targetqa.toml").write_text('select = ["UNIT003"]\n', encoding="utf-8")
    assert codes_with_cwd(inner)[1] == {"UNIT003"}


def test_command_line_overrides_the_file(tmp_path):
    (tmp_path / "targetqa.toml").write_text('select = ["VAL"]\nignore = ["UNIT"]\n', encoding="utf-8")
    # --select replaces the file's select; the file's ignore still applies to what it does not cover
    assert codes_with_cwd(tmp_path, "--select", "ECHO003")[1] == {"ECHO003"}
    # the file ignores UNIT, the command line selects UNIT003: the more specific code wins
    assert codes_with_cwd(tmp_path, "--select", "UNIT003")[1] == {"UNIT003"}
    # --ignore replaces the file's ignore
    codes = codes_with_cwd(tmp_path, "--select", "UNIT", "--ignore", "UNIT007")[1]
    assert "UNIT003" in codes and "UNIT007" not in codes


def test_explicit_config_option(tmp_path):
    cfg = tmp_path / "elsewhere.toml"
    cfg.write_text('select = ["UNIT001"]\n', encoding="utf-8")
    (tmp_path / "work").mkdir()
    assert codes_with_cwd(tmp_path / "work", "--config", str(cfg))[1] == {"UNIT001"}


@pytest.mark.parametrize("text,needle", [
    ('select = ["NOPE001"]\n', "NOPE001"),
    ('select = [1, 2]\n', "select"),
    ('fail-level = "fatal"\n', "fail-level"),
    ('colour = true\n', "colour"),
    ('select = ["UNIT"\n', "配置文件格式错误"),
])
def test_bad_config_is_a_usage_error(tmp_path, text, needle):
    (tmp_path / "targetqa.toml").write_text(text, encoding="utf-8")
    rc, codes, stderr = codes_with_cwd(tmp_path)
    assert rc == 2 and codes == set()
    assert needle in stderr and len(stderr.strip().splitlines()) == 1


def test_load_settings_errors_are_config_errors(tmp_path):
    bad = tmp_path / "targetqa.toml"
    bad.write_text('ignore = "UNIT, VAL"\n', encoding="utf-8")
    assert load_settings(bad).ignore == ["UNIT", "VAL"]
    bad.write_text("select = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings(bad)


def test_real_process_reads_config_from_its_cwd(tmp_path):
    """The installed command, run in a folder with a pyproject.toml, obeys it."""
    (tmp_path / "pyproject.toml").write_text('[tool.targetqa]\nselect = ["UNIT003"]\n', encoding="utf-8")
    exe = Path(sys.executable).with_name("targetqa")
    out = tmp_path / "o.csv"
    proc = subprocess.run([str(exe), "score", str(S004), str(S002), "--isolated", "--csv", str(out)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert {r["code"] for r in csv.DictReader(fh)} == {"UNIT003"}
