"""Shared, lazily computed comparisons over one run: the rules in `rules.py` read from here so that
each expensive step (alignment, the row index, sentences) runs once whatever rules are selected."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from targetqa.compare.boil import BoilJudge, BoilInfo
from targetqa.compare.context import Context, TableSig
from targetqa.compare.reference import department_key, sentence_hash
from targetqa.compare.tables import (
    Pair,
    RowIndex,
    build_row_index,
    compare_pair,
    copies_in_report,
    generic_rows,
    repeated_keys,
)
from targetqa.model import Document
from targetqa.text.normalize import sentence_key
from targetqa.text.sentences import Sentence, sentences, use_spacy


class Analysis:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    @property
    def docs(self) -> list[Document]:
        return self.ctx.docs

    # ---- rows ----------------------------------------------------------------------------------

    @cached_property
    def boil(self) -> BoilJudge:
        return BoilJudge(self.ctx)

    @cached_property
    def boil_info(self) -> dict[int, list[BoilInfo]]:
        """id(TableSig) -> BoilInfo per row, for the given reports' tables."""
        return {id(s): [self.boil.judge(s, r) for r in s.rows] for sigs in self.ctx.doc_sigs for s in sigs}

    @cached_property
    def generic(self) -> dict[int, set[int]]:
        """id(TableSig) -> rows that say nothing specific (never evidence of a copy)."""
        out: dict[int, set[int]] = {}
        for sigs in self.ctx.doc_sigs:
            rep = repeated_keys(sigs)
            for s in sigs:
                out[id(s)] = generic_rows(s, rep, None) | {
                    i for i, info in enumerate(self.boil_info[id(s)]) if info.boilerplate
                }
        ref_sigs = self.ctx.ref_sigs
        if ref_sigs:
            by_doc: dict[int, list[TableSig]] = defaultdict(list)
            for s in ref_sigs:
                by_doc[s.index].append(s)
            for sigs in by_doc.values():
                rep = repeated_keys(sigs)
                for s in sigs:
                    out[id(s)] = generic_rows(s, rep, None)
        return out

    # ---- tables in one report ------------------------------------------------------------------

    @cached_property
    def in_report(self) -> list[list[Pair]]:
        return [copies_in_report(sigs, self.generic) for sigs in self.ctx.doc_sigs]

    # ---- across reports ------------------------------------------------------------------------

    @cached_property
    def other_tables(self) -> list[TableSig]:
        """Tables of the reference that are not one of the given reports."""
        excluded = self.ctx.excluded_ref_docs()
        return [s for s in self.ctx.ref_sigs if s.index not in excluded]

    @cached_property
    def row_index(self) -> RowIndex:
        tables = [s for sigs in self.ctx.doc_sigs for s in sigs] + self.other_tables
        return build_row_index(tables)

    @cached_property
    def sig_by_id(self) -> dict[int, TableSig]:
        return {id(s): s for s in [*(s for sigs in self.ctx.doc_sigs for s in sigs), *self.other_tables]}

    def same_doc(self, a: TableSig, b: TableSig) -> bool:
        return a.origin == b.origin and a.index == b.index

    @cached_property
    def cross_report(self) -> list[Pair]:
        """Tables of a given report that copy a table of another report (given or reference),
        best match per table, never a newer report's table."""
        pairs_by_table = self.row_index.by_table_pair()
        best: dict[int, Pair] = {}
        seen: set[tuple[int, int]] = set()
        for (ia, ib), _rows in pairs_by_table.items():
            for x, y in ((ia, ib), (ib, ia)):
                a, b = self.sig_by_id[x], self.sig_by_id[y]
                if a.origin != "doc" or self.same_doc(a, b) or (x, y) in seen:
                    continue
                seen.add((x, y))
                if len(_rows) < 3:
                    continue
                if b.year and a.year and b.year > a.year:
                    continue  # the other report is newer: it copied from this one, if anything
                if b.origin == "doc" and b.year == a.year and b.index > a.index:
                    continue  # two given reports of one year: flag the later-listed only
                p = compare_pair(a, b, self.generic.get(x, set()), self.generic.get(y, set()))
                if p and (x not in best or p.similarity > best[x].similarity):
                    best[x] = p
        return [best[k] for k in sorted(best, key=lambda k: (self.sig_by_id[k].index, self.sig_by_id[k].table_no))]

    @cached_property
    def copy_pairs(self) -> set[tuple[int, int]]:
        """Table pairs already reported as whole-table copies or twins (rows inside them are not
        reported again as foreign rows)."""
        out = set()
        for pairs in self.in_report:
            for p in pairs:
                out |= {(id(p.a), id(p.b)), (id(p.b), id(p.a))}
        for p in self.cross_report:
            out |= {(id(p.a), id(p.b)), (id(p.b), id(p.a))}
        return out

    # ---- prose ---------------------------------------------------------------------------------

    @cached_property
    def sentences(self) -> list[list[Sentence]]:
        spacy_backend = use_spacy(len(self.docs))
        return [sentences(d, spacy_backend=spacy_backend) for d in self.docs]

    @cached_property
    def _given_sentences(self) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = defaultdict(list)
        from targetqa.compare.prose import duty_sentences

        for n, (doc, sents) in enumerate(zip(self.docs, self.sentences)):
            dept = department_key(doc)
            duty = duty_sentences(doc, sents)
            seen = set()
            for m, s in enumerate(sents):
                k = sentence_key(s.text)
                if len(k) >= 12 and k not in seen:
                    seen.add(k)
                    out[sentence_hash(k)].append((("doc", n), dept, doc.year, doc.name, s.line, m in duty))
        return out

    def sentence_lookup(self, doc_index: int):
        """hash -> occurrences in every *other* document: the given reports and, unless isolated,
        the reference. Isolated, the reference still tells which sentences are template wording
        (they occur in another department's report) but is never the source of a copy."""
        ref = self.ctx.ref
        models = self.ctx.models
        own_dept = department_key(self.docs[doc_index])
        own_ref = self.ctx.excluded_ref_docs() if ref is not None else set()  # given reports stand for themselves
        given = self._given_sentences

        def lookup(h: str) -> list[tuple]:
            out = [o for o in given.get(h, ()) if o[0] != ("doc", doc_index)]
            source = ref if ref is not None else models
            if source is not None:
                for i, line, duty in source.sentences.get(h, ()):
                    d = source.docs[i]
                    if i in own_ref or (ref is None and d.department == own_dept):
                        continue
                    out.append((("ref", i), d.department, d.year, d.name, line, bool(duty)))
            return out

        return lookup
