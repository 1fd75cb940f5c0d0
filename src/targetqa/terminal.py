"""Document text on a terminal: shown as the characters it is, never obeyed.

A cell, a file name or an error message can hold ESC sequences (clear the screen, set the window
title, recolour), other control characters, bidirectional overrides that make a line read
differently from what it is, or text that rich would take for markup (`[/bold]`, `[link=…]`,
`:emoji:`). `printable` removes the characters; `markup_safe` also escapes rich markup, for text
that is interpolated into a string rich will parse; `err` writes one such line to stderr.

A top-level module importing nothing of the package, so that every layer (the pipeline, the
comparison, the writers, the commands) can use it without an import cycle.
"""

from __future__ import annotations

import sys
import unicodedata

from targetqa import rx

# C0 and C1 control characters (tab and line feed are kept), DEL, the bidi embedding, override
# and isolate characters, and lone surrogates (which no terminal encoding can write).
_CONTROL = rx.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def char_width(ch: str) -> int:
    """Columns a character takes in monospaced text: two for wide and full-width ones (CJK)."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    return sum(map(char_width, text))


def printable(text: object) -> str:
    return _CONTROL.sub("", str(text))


def markup_safe(text: object) -> str:
    from rich.markup import escape

    return escape(printable(text))


def err(message: str) -> None:
    """One line for the user on stderr: `targetqa: message`, its control characters removed."""
    print(f"targetqa: {printable(message)}", file=sys.stderr)
