"""What every comparison rule needs: the reports being scored, the shipped reference, and who is who.

Tables and rows from both sources (the reports given on the command line and the reference
corpus shipped in the package) are turned into the same `TableSig`/`RowSig`, so a copy is found the same way
whether the other table is in the same report, in another given report or in the corpus.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from targetqa.compare.reference import Reference, department_key, load_reference
from targetqa.model import Document, Row, Table
from targetqa.taxonomy import canonical_level2, compact
from targetqa.text.normalize import row_key, row_template, row_text, title_project

if TYPE_CHECKING:
    from targetqa.compare.tables import KeySignatures

# A pattern counts as widespread when it occurs in at least this share of the *other* departments
# that have tables, and in never fewer than MIN_DEPTS of them.
MIN_DEPTS = 2
MIN_DEPT_SHARE = 0.15
MIN_ROWS_FOR_HABIT = 20  # rows a department's tables must hold to count in the share above


@dataclass
class RowSig:
    key: str
    template: str
    text: str
    level2: str
    row_no: int
    line: int
    row: Row | None = None  # None for reference rows
    minhash: object = None  # precomputed MinHash signature (reference rows)


@dataclass
class TableSig:
    origin: str  # "doc" (a given report) or "ref" (the shipped corpus)
    index: int  # index of the document in ctx.docs or ref.docs
    table_no: int
    title: str  # project as named in the title
    project: str  # project as named in the head (项目名称)
    code: str
    purpose: str
    goals: list[str]
    rows: list[RowSig]
    dept: str
    year: int | None
    doc_name: str
    table: Table | None = None
    doc: Document | None = None

    @property
    def label(self) -> str:
        return f"表{self.table_no}“{self.title}”"

    @cached_property
    def context(self) -> tuple[str, ...]:
        """The table as context for judging whether a row belongs to it: title, purpose, goals
        and rows (DUP004 leaves the row judged out)."""
        return self.context_without(frozenset())

    def context_without(self, skip: Collection[int]) -> tuple[str, ...]:
        parts = [self.title, self.project, self.purpose, *self.goals, *(r.text for i, r in enumerate(self.rows) if i not in skip)]
        return tuple(p for p in parts if p)

    def where(self, same_doc: bool) -> str:
        if same_doc:
            return self.label
        year = f"{self.year}年" if self.year else ""
        return f"{self.doc_name}（{self.dept}{year}）{self.label}"


def project_tables(doc: Document) -> list[Table]:
    return [t for t in doc.tables if t.rows and t.kind in ("project", "final")]


def sig_of_table(doc: Document, index: int, table: Table, memo: dict | None = None,
                 dept: str | None = None, name: str | None = None, kept: list | None = None) -> TableSig:
    """`memo` remembers (key, template, text, level2) by the row's cells and the project: copies
    of a report repeat most rows. `kept`: those of each row, as the document's comparison
    summary keeps them."""
    proj = title_project(table)
    rows = []
    if kept is not None and len(kept) == len(table.rows):
        for r, got in zip(table.rows, kept):
            rows.append(RowSig(*got, r.row_no, r.line, r))
    else:
        memo = {} if memo is None else memo
        for r in table.rows:
            cells = (proj, r.level2, r.level3, r.description, r.operator, r.value, r.unit, r.expected, r.basis)
            got = memo.get(cells)
            if got is None:
                got = memo[cells] = (row_key(r), row_template(r, proj), row_text(r), canonical_level2(r.level2) or "")
            rows.append(RowSig(*got, r.row_no, r.line, r))
    return TableSig("doc", index, table.table_no, proj, compact(table.project), compact(table.project_code),
                    compact(table.purpose), [compact(g) for g in table.goals], rows,
                    department_key(doc) if dept is None else dept, doc.year, doc.name if name is None else name,
                    table, doc)


def habit(sigs: list[TableSig]) -> int:
    """What one given report adds to its department's count in `Context.table_departments`
    (kept in its comparison summary, so that `compare.incremental` counts the same): its rows,
    as the reference's part counts rows."""
    return sum(len(s.rows) for s in sigs)


def ref_habits(ref: Reference | None) -> Counter[str]:
    """The reference's part of `Context.table_departments`' counts: department -> rows."""
    out: Counter[str] = Counter()
    if ref is not None:
        for t in ref.tables:
            out[ref.docs[t.doc].department] += len(t.rows)
    return out


def habit_departments(counts: Counter[str] | dict[str, int]) -> set[str]:
    return {dept for dept, n in counts.items() if n >= MIN_ROWS_FOR_HABIT}


def table_stats(sigs: list[TableSig]) -> dict[str, list[str]]:
    """The indicator-name templates, row templates and content words of one report's tables
    (what the boilerplate statistics count per department)."""
    from targetqa.compare.build import content_words, name_template

    names: set[str] = set()
    templates: set[str] = set()
    words: set[str] = set()
    for s in sigs:
        for r in s.rows:
            row = r.row
            names.add(name_template(row.level3, s.title))
            templates.add(r.template)
            words.update(content_words(row.level3) + content_words(row.description))
    return {"names": sorted(names), "templates": sorted(templates), "words": sorted(words)}


@dataclass
class Context:
    docs: list[Document]
    ref: Reference | None  # the corpus to compare with (None with --isolated)
    models: Reference | None = None  # fitted artifacts (vectorizer, classifier): used even isolated
    own: dict[int, set[int]] = field(default_factory=dict)  # id(doc) -> its own entries in ref
    # per document, what `compare.perdoc.comparison_summary` kept of it (None: read the documents)
    summaries: list[dict] | None = None
    # MinHash signatures of row keys known before (`tables.KeySignatures`; None: none)
    key_signatures: KeySignatures | None = None

    @classmethod
    def build(cls, docs: list[Document], use_corpus: bool = True, summaries: list[dict] | None = None,
              key_signatures: KeySignatures | None = None) -> Context:
        models = load_reference()
        ref = models if use_corpus else None
        ctx = cls(docs, ref, models, summaries=summaries, key_signatures=key_signatures)
        if ref is not None:
            for n, doc in enumerate(docs):
                ctx.own[id(doc)] = set(summaries[n]["own_ref"]) if summaries is not None else ref.own_docs(doc)
        return ctx

    def dept_of(self, n: int) -> str:
        """`department_key` of document n (kept in its summary: without a department it is a
        hash of the whole document)."""
        return self.summaries[n]["dept"] if self.summaries is not None else department_key(self.docs[n])

    # ---- tables --------------------------------------------------------------------------------

    @cached_property
    def doc_sigs(self) -> list[list[TableSig]]:
        memo: dict = {}
        out = []
        for i, doc in enumerate(self.docs):
            dept, name = self.dept_of(i), doc.name
            tables = project_tables(doc)
            kept = self.summaries[i].get("rows") if self.summaries is not None else None
            if kept is None or len(kept) != len(tables):
                kept = [None] * len(tables)
            out.append([sig_of_table(doc, i, t, memo, dept, name, rows) for t, rows in zip(tables, kept)])
        return out

    @cached_property
    def ref_sigs(self) -> list[TableSig]:
        if self.ref is None:
            return []
        out = []
        sigs = self.ref.row_signatures()
        n = 0
        for t in self.ref.tables:
            d = self.ref.docs[t.doc]
            rows = []
            for r in t.rows:
                rows.append(RowSig(r["key"], r["template"], r["text"], r["level2"], r["row_no"], r["line"],
                                   minhash=None if sigs is None else sigs[n]))
                n += 1
            out.append(TableSig("ref", t.doc, t.table_no, t.title, t.project, t.code, t.purpose, t.goals, rows,
                                d.department, d.year, d.name))
        return out

    def excluded_ref_docs(self) -> set[int]:
        """Reference documents that are one of the given reports."""
        return set().union(*self.own.values()) if self.own else set()

    # ---- department statistics -------------------------------------------------------------------

    @cached_property
    def table_departments(self) -> set[str]:
        """Departments whose tables show their habits: enough rows to tell a template from a choice.

        A page excerpt with a handful of rows still counts where it uses a pattern, but does not
        raise the bar a pattern must reach to be called widespread.
        """
        rows: Counter[str] = Counter(ref_habits(self.ref))
        for n, sigs in enumerate(self.doc_sigs):
            rows[self.dept_of(n)] += habit(sigs)
        return habit_departments(rows)

    def widespread(self, own_dept: str) -> int:
        """How many other departments a pattern must reach to count as widespread."""
        others = len(self.table_departments - {own_dept})
        return max(MIN_DEPTS, math.ceil(MIN_DEPT_SHARE * others))

    @cached_property
    def _given_stats(self) -> dict[str, dict[str, set[str]]]:
        """name templates, row templates and words of the given reports -> departments."""
        out: dict[str, dict[str, set[str]]] = {"names": {}, "templates": {}, "words": {}}
        for n, doc in enumerate(self.docs):
            dept = self.dept_of(n)
            mine = self.summaries[n] if self.summaries is not None else table_stats(self.doc_sigs[n])
            for kind, table in out.items():
                for item in mine[kind]:
                    table.setdefault(item, set()).add(dept)
        return out

    def depts_with(self, kind: str, item: str) -> set[str]:
        """Departments (given reports and reference) whose rows contain the name template / row
        template / word `item`."""
        out = set(self._given_stats[kind].get(item, ()))
        if self.ref is not None:
            table = {"names": self.ref.names, "templates": self.ref.templates, "words": self.ref.words}[kind]
            out |= {self.ref.docs[i].department for i in table.get(item, ())}
        return out

    @cached_property
    def all_names(self) -> list[str]:
        names = set(self._given_stats["names"])
        if self.ref is not None:
            names |= set(self.ref.names)
        return sorted(names)
