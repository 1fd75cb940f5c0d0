"""Settings from `[tool.targetqa]` in pyproject.toml or from targetqa.toml, like ruff's.

The nearest file up from the current folder wins; command-line options override it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SEVERITIES = ("info", "warning", "error")


@dataclass
class Settings:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_level: str = "error"
    source: str = ""


class ConfigError(Exception):
    pass


def _as_list(value: object, key: str, source: Path) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    raise ConfigError(f"{source}: {key} 应为规则代码列表")


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("targetqa.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                if name == "targetqa.toml":
                    return candidate
                try:
                    data = tomllib.loads(candidate.read_text(encoding="utf-8"))
                except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                    continue
                if "targetqa" in data.get("tool", {}):
                    return candidate
    return None


def load_settings(path: Path | None = None) -> Settings:
    path = path or find_config()
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: 配置文件格式错误（{exc}）") from None
    section = data.get("tool", {}).get("targetqa", {}) if path.name == "pyproject.toml" else data.get("tool", {}).get("targetqa", data)
    settings = Settings(source=str(path))
    for key, value in section.items():
        if key == "select":
            settings.select = _as_list(value, key, path)
        elif key == "ignore":
            settings.ignore = _as_list(value, key, path)
        elif key in ("fail-level", "fail_level"):
            if value not in SEVERITIES:
                raise ConfigError(f"{path}: fail-level 应为 {'/'.join(SEVERITIES)} 之一")
            settings.fail_level = value
        else:
            raise ConfigError(f"{path}: 未知的配置项“{key}”")
    return settings
