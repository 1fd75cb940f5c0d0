"""Rows as the checks read them: mirror sites' traditional characters and pinyin glosses folded away.

Some republishing sites convert a page to traditional characters and put the reading after a
character (產(chǎn)出指標(biāo), 業務工作支出安排金額, 萬元). The word lists the rules rest on are
simplified, so a rule reads such a row in simplified form; the finding still points at the
printed row. A document written in simplified characters is read as it is.
"""

from __future__ import annotations

import unicodedata
from dataclasses import fields, replace

from targetqa import rx
from targetqa.model import Document, Row, Table
from targetqa.taxonomy import simplified

_PINYIN = rx.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
_TEXT_FIELDS = tuple(f.name for f in fields(Row) if f.type in ("str", str))


def fold_text(text: str) -> str:
    """NFKC (﹦ → =, full-width digits), pinyin glosses dropped, traditional → simplified."""
    if not text:
        return text
    return simplified(_PINYIN.sub("", unicodedata.normalize("NFKC", text)))


def needs_folding(doc: Document) -> bool:
    """The document's rows are written in traditional characters or carry pinyin glosses."""
    sample = "".join(r.level1 + r.level2 + r.level3 for t in doc.tables for r in t.rows[:12])
    if not sample:
        return False
    if _PINYIN.search(sample):
        return True
    changed = sum(a != b for a, b in zip(sample, simplified(sample)))
    return changed >= max(2, len(sample) // 50)


def fold_row(row: Row) -> Row:
    return replace(row, **{name: fold_text(getattr(row, name)) for name in _TEXT_FIELDS})


def fold_table(table: Table) -> Table:
    return replace(table, project=fold_text(table.project), title=fold_text(table.title),
                   purpose=fold_text(table.purpose), rows=[fold_row(r) for r in table.rows])
