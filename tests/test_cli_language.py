"""Every line the CLI prints is Chinese, typer's and click's own included: help headings, the
usage line, usage errors. Option names, metavariable names and file formats stay as they are."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from targetqa.cli import app

# click's and typer's English wording (any version); option names such as --help are not words here.
ENGLISH = re.compile(
    r"(?<![-\w{])(Usage|Options|Arguments|Commands|Show|message|exit|Error|Missing|argument|option|"
    r"Try|for help|required|default|Invalid|valid|value|No such|such|command|unexpected|extra|Aborted|"
    r"deprecated|PATH|TEXT|INTEGER|FLOAT|range|requires|Possible|Did you mean|integer|path|str|int)(?![\w}])"
)
COMMANDS = ["score", "extract", "leaderboard", "rules", "rule", "build-model"]


def english(text: str) -> list[str]:
    return ENGLISH.findall(text)


@pytest.mark.parametrize("args", [["-h"], ["--help"], *[[c, "-h"] for c in COMMANDS]])
def test_help_is_chinese(args):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "用法：" in result.output and "显示本帮助并退出。" in result.output
    assert english(result.output) == [], result.output


@pytest.mark.parametrize("args, words", [
    (["score"], "缺少参数"),
    (["score", "--bogus", "x"], "没有选项"),
    (["score", "--iso", "x"], "可能的选项"),
    (["score", "--csv"], "需要一个值"),
    (["nosuch"], "没有命令"),
    (["leaderboard", "-j", "abc", "x"], "不是整数"),
    (["leaderboard", "-j", "0", "x"], "不在范围"),
    (["rule"], "缺少参数"),
    (["score", "a.txt", "extra", "--format"], "需要一个值"),
])
def test_usage_errors_are_chinese(args, words):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert words in result.output and "错误：" in result.output
    assert english(result.output) == [], result.output


def test_the_installed_command_speaks_chinese(tmp_path):
    exe = Path(sys.executable).parent / "targetqa"
    help_ = subprocess.run([str(exe), "score", "-h"], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert help_.returncode == 0 and "选项：" in help_.stdout
    assert english(help_.stdout + help_.stderr) == []
    error = subprocess.run([str(exe), "score", "--nonsense"], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert error.returncode == 2 and "错误：没有选项 --nonsense" in error.stderr
    assert english(error.stdout + error.stderr) == []


def test_exit_codes_pass_through():
    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).exit_code == 0
    assert runner.invoke(app, ["rule", "NOPE999"]).exit_code == 2
    assert runner.invoke(app, ["rule", "UNIT001"]).exit_code == 0
