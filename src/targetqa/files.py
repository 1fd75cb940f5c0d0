"""Expand the paths a user gives (files, folders, globs) into report files, in a stable order."""

from __future__ import annotations

import glob
from pathlib import Path

REPORT_SUFFIXES = (".txt", ".docx", ".pdf", ".xlsx")


def expand(paths: list[str]) -> list[Path]:
    """Folders give every report under them; a glob gives its matches; a file stays itself.

    A named file is kept whatever its suffix, so that a bad file the user named is reported
    rather than silently skipped.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            found.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in REPORT_SUFFIXES and not child.name.startswith((".", "~$")):
                    add(child)
        elif not p.exists() and any(ch in raw for ch in "*?["):  # a file named "a[1].txt" is itself
            for match in sorted(glob.glob(raw, recursive=True)):
                mp = Path(match)
                if mp.is_file():
                    add(mp)
        else:
            add(p)
    return found
