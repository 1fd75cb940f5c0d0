"""Remove what converters leave behind in report text, one line at a time.

Every later finding cites a source line, so cleaning never joins or splits lines: it only
rewrites inside a line. What goes: HTML character references (&ge; &nbsp;), Word bookmarks and
field codes, markdown emphasis, heading marks and escaped list numbers, LaTeX math, full-width
digits and signs, the odd ≧（100）％
spelling of operators; box-drawing table borders and bars become the ASCII ones markdown uses.
"""

from __future__ import annotations

from targetqa import rx

_BOOKMARK = rx.compile(r"\[bookmark:[^\]]*\]")
# Word field codes such as { TC "..." \f C \l 1 } or { PAGE \* MERGEFORMAT }.
_FIELD = rx.compile(r"\{\s*(?:TC|TOC|PAGE|HYPERLINK|REF|PAGEREF|SEQ|XE|MERGEFIELD|NUMPAGES)\b[^{}]*\}")
_BOLD = rx.compile(r"(?<![≥≤<>=＞＜≧≦])\*\*(.+?)\*\*")  # not a placeholder: "≥**人"
# markdown from pandoc / markitdown: '## 1、XX绩效目标表' headings, '1\. ' escaped list numbers
_MD_HEADING = rx.compile(r"^#{1,6}\s+")
_MD_ESCAPED_NUMBER = rx.compile(r"^(\s*\d+)\\([.)])")
_LATEX_MATH = rx.compile(r"\$([^$]{1,80})\$")
_LATEX_CMDS = {
    r"\geq": "≥", r"\ge": "≥", r"\leq": "≤", r"\le": "≤", r"\neq": "≠", r"\times": "×",
    r"\%": "%", r"\sim": "~", r"\,": "", r"\;": "", r"\ ": " ", r"\cdot": "·",
}
_LATEX_CMD = rx.compile(rx.alternation(_LATEX_CMDS))
_WIDE = str.maketrans({
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "％": "%", "＝": "=", "＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "＋": "+",
    "\u3000": " ", "\u00a0": " ", "\u200b": "", "\ufeff": "",
    **{cp: "\ufffd" for cp in range(0xD800, 0xE000)},  # lone surrogates: no file can store them
})
# Tables drawn with box characters ('┌──┬──┐' / '│ a │ b │'), and cells parted by a full-width bar
# ('产出指标｜数量指标｜…'): the bars become '|' and a line of border characters alone a '+---+'
# border, so the markdown readers take them (a grid table, or pipe rows).
_BARS = str.maketrans({"｜": "|", "│": "|", "┃": "|", "║": "|"})
_BORDER_CHARS = "─━═┄┅┈┉╌╍"
_JUNCTION_CHARS = "┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╋╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫┍┑┕┙┝┥┯┷┿┎┒┖┚┠┨┰┸╂"
_BOX_BORDER = rx.compile(f"^[\\s{_BORDER_CHARS}{_JUNCTION_CHARS}|｜│┃║]*[{_BORDER_CHARS}][\\s{_BORDER_CHARS}{_JUNCTION_CHARS}|｜│┃║]*$")
_TO_BORDER = str.maketrans({**{c: "-" for c in _BORDER_CHARS}, **{c: "+" for c in _JUNCTION_CHARS}, "│": "+", "┃": "+", "║": "+", "｜": "+"})
_PAREN_NUMBER = rx.compile(r"([≥≤=<>])\s*[（(]\s*(\d+(?:\.\d+)?)\s*[）)]")
_WIDE_DOT = rx.compile(r"(?<=\d)．(?=\d)")


def _latex(match: rx.Match[str]) -> str:
    body = _LATEX_CMD.sub(lambda m: _LATEX_CMDS[m.group(0)], match.group(1))
    body = body.replace("{", "").replace("}", "")
    return body.replace(" ", "") if rx.fullmatch(r"[\s≥≤=<>≠×~·%\d.]+", body) else body


def _has_box_character(line: str) -> bool:
    return any(c in line for c in "｜│┃║") or any(c in line for c in _BORDER_CHARS)


# HTML character references a page's text kept ('&ge;100人次', '&nbsp;', '100&#37;')
_ENTITY = rx.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")


def clean_line(line: str) -> str:
    """Clean one line; tabs (cell separators) are kept as they are."""
    if "&" in line and _ENTITY.search(line):
        import html

        line = _ENTITY.sub(lambda m: html.unescape(m.group(0)).replace("\t", " ").replace("\n", " "), line)
    if "[bookmark" in line:
        line = _BOOKMARK.sub("", line)
    if "{" in line:
        line = _FIELD.sub("", line)
    if "**" in line:
        line = _BOLD.sub(r"\1", line)
    if line.startswith("#"):
        line = _MD_HEADING.sub("", line)
    if "\\" in line:
        line = _MD_ESCAPED_NUMBER.sub(r"\1\2", line)
    if "$" in line:
        line = _LATEX_MATH.sub(_latex, line)
    line = line.translate(_WIDE)
    if _has_box_character(line):
        line = line.translate(_TO_BORDER) if _BOX_BORDER.match(line) else line.translate(_BARS)
    if "．" in line:
        line = _WIDE_DOT.sub(".", line)
    if "（" in line or "(" in line:
        line = _PAREN_NUMBER.sub(r"\1\2", line)
    return line.rstrip(" \r")


def split_lines(text: str) -> list[str]:
    """Split into lines the way an editor numbers them (\\r\\n, \\r and \\n), form feeds dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "")
    return text.split("\n")


def clean_text(text: str) -> list[str]:
    return [clean_line(line) for line in split_lines(text)]
