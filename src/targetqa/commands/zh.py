"""Chinese for the lines typer and click write themselves: help headings, "Usage:", usage errors.

typer (and the click it vendors or depends on) has no translations, and its wording changes
between versions, so the text is translated where it leaves: the help a command formats, the
usage line, and the message of a usage error. `ZhTyper` makes every command of the app do so;
a phrase missing from the table below stays English and fails tests/test_cli_language.py.
"""

from __future__ import annotations

import io
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from targetqa import rx
from targetqa.guard import ClickException

# (pattern, replacement) in order; patterns match click's and typer's English wording.
_TABLE: list[tuple[str, str]] = [
    (r"(?m)^Usage: ", "用法："),
    (r"\[OPTIONS\]", "[选项]"),
    (r"COMMAND \[ARGS\]\.\.\.", "命令 [参数]..."),
    (r"Try '([^']+)' for help\.", r"用 '\1' 查看帮助。"),
    (r"(?m)^Error: ", "错误："),
    (r"Missing argument '([^']+)'\.?", r"缺少参数 \1。"),
    (r"Missing option '([^']+)'\.?", r"缺少选项 \1。"),
    (r"Missing parameter:? '?([^'.\s]+)'?\.?", r"缺少参数 \1。"),
    (r"No such option: (\S+)", r"没有选项 \1"),
    (r"No such command '([^']+)'\.", r"没有命令 \1。"),
    (r"Did you mean (.+?)\?", r"是不是 \1？"),
    (r"\(Possible options: ([^)]*)\)", r"（可能的选项：\1）"),
    (r"Got unexpected extra arguments? \(([^)]*)\)", r"多余的参数（\1）"),
    (r"Option '([^']+)' requires an argument\.", r"选项 \1 需要一个值。"),
    (r"Option '([^']+)' requires (\d+) arguments\.", r"选项 \1 需要 \2 个值。"),
    (r"Option '([^']+)' does not take a value\.", r"选项 \1 不带值。"),
    (r"Invalid value for ([^:]+): ", r"\1 的值无效："),
    (r"Invalid value: ", "值无效："),
    (r"'([^']*)' is not a valid (?:int range|integer|int)\.", r"“\1”不是整数。"),
    (r"'([^']*)' is not a valid (?:float range|float)\.", r"“\1”不是数字。"),
    (r"'([^']*)' is not a valid boolean\.", r"“\1”不是是/否值。"),
    (r"'([^']*)' is not one of (.+?)\.", r"“\1”不是以下之一：\2。"),
    (r"(\S+) is not in the range (\S+)\.", r"\1 不在范围 \2 内。"),
    (r"(?:File|Path|Directory) '([^']*)' does not exist\.", r"路径 \1 不存在。"),
    (r"Value must be an iterable\.", "值必须是一组值。"),
    (r"Takes (\d+) values but (\d+) given\.", r"需要 \1 个值，给了 \2 个。"),
    (r"Show this message and exit\.", "显示本帮助并退出。"),
    (r"(?m)^Arguments:$", "参数："),
    (r"(?m)^Options:$", "选项："),
    (r"(?m)^Commands:$", "命令："),
    (r"\[required\]", "[必填]"),
    (r"\[default: ([^\]]*)\]", r"[默认：\1]"),
    (r"\[env var: ([^\]]*)\]", r"[环境变量：\1]"),
    (r"\(deprecated\)", "（已弃用）"),
    (r"Aborted!", "已中止。"),
]
_COMPILED = [(rx.compile(p), r) for p, r in _TABLE]

# Value placeholders in help and usage; replaced keeping the column they end at (a Chinese
# character is two columns wide), so the help texts after them stay aligned.
_METAVARS = {"path": "路径", "str": "文本", "text": "文本", "int": "整数", "integer": "整数", "float": "数字",
             "int range": "整数", "integer range": "整数", "float range": "数字"}
_METAVAR = rx.compile(r"<(path|str|int range|int|float range|float)>( *)|\b(PATH|TEXT|INTEGER RANGE|INTEGER|FLOAT RANGE|FLOAT)\b( *)")


def _metavar(m: rx.Match[str]) -> str:
    word = (m.group(1) or m.group(3)).lower()
    spaces = m.group(2) if m.group(1) else m.group(4)
    zh = f"<{_METAVARS[word]}>"
    width = len(m.group(0)) - len(spaces)  # columns taken by the English placeholder
    pad = len(spaces) + width - (len(zh) + len(_METAVARS[word]))
    return zh + " " * max(pad, 1 if spaces else 0)


def translate(text: str) -> str:
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return _METAVAR.sub(_metavar, text)


class _Zh:
    """Help and usage lines of a command or group, translated."""

    def get_help(self, ctx: Any) -> str:
        return translate(super().get_help(ctx))  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        return translate(super().get_usage(ctx))  # type: ignore[misc]


class ZhCommand(_Zh, TyperCommand):
    pass


class ZhGroup(_Zh, TyperGroup):
    """Also shows usage errors in Chinese: click's standalone handling, with translated text."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except ClickException as exc:
            buffer = io.StringIO()
            exc.show(file=buffer)
            sys.stderr.write(translate(buffer.getvalue()))
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.stderr.write("已中止。\n")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


class ZhTyper(typer.Typer):
    """A Typer app whose group and commands speak Chinese (see module docstring); a `cls` given
    must be a subclass of ZhGroup."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", ZhGroup)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any):  # noqa: ANN201 - typer's decorator
        kwargs.setdefault("cls", ZhCommand)
        return super().command(*args, **kwargs)
