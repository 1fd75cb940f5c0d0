"""Options that `score` and `leaderboard` share, declared once so their help and names agree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

Select = Annotated[Optional[list[str]], typer.Option("--select", help="只运行这些规则（代码或前缀，逗号分隔，如 UNIT,DIR001）。")]
Ignore = Annotated[Optional[list[str]], typer.Option("--ignore", help="不运行这些规则（代码或前缀）。")]
FailLevel = Annotated[Optional[str], typer.Option("--fail-level", help="达到此级别的问题使退出码为 1：error/warning/info（默认 error）。")]
Config = Annotated[Optional[Path], typer.Option("--config", help="配置文件（pyproject.toml 或 targetqa.toml）。")]
