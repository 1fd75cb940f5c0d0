"""Shared, lazily computed comparisons over one run: the rules in `rules.py` read from here so that
each expensive step (alignment, the row index, sentences) runs once whatever rules are selected."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from targetqa.compare.boil import BoilInfo, BoilJudge
from targetqa.compare.context import Context, TableSig
from targetqa.compare.reference import department_key, sentence_hash
from targetqa.compare.tables import (
    KeyIndex,
    Pair,
    build_key_index,
    copies_in_report,
    generic_rows,
    make_pair,
    pair_core,
    repeated_keys,
)
from targetqa.model import Document
from targetqa.text.normalize import sentence_key
from targetqa.text.sentences import Sentence, sentences, use_spacy


def sentence_entries(doc: Document, sents: list[Sentence], keys: list[str]) -> list[tuple[str, int, bool]]:
    """(hash, line, is a duty statement) of the first occurrence of each sentence of twelve
    characters or more: what other reports look up to find text carried over from this one."""
    from targetqa.compare.prose import duty_sentences

    duty = duty_sentences(doc, sents)
    seen: set[str] = set()
    out = []
    for m, (s, k) in enumerate(zip(sents, keys)):
        if len(k) >= 12 and k not in seen:
            seen.add(k)
            out.append((sentence_hash(k), s.line, m in duty))
    return out


class _Lazy(dict):
    """id(TableSig) -> a value computed on first use (only for the tables someone asks about)."""

    def __init__(self, compute) -> None:  # noqa: ANN001
        super().__init__()
        self.compute = compute

    def __missing__(self, key: int):  # noqa: ANN204
        value = self[key] = self.compute(key)
        return value

    def get(self, key: int, default=None):  # noqa: ANN001, ANN201
        try:
            return self[key]
        except KeyError:
            return default


class Analysis:
    """`targets`: the indices of the documents whose findings are wanted (None: all); the
    others are context — their tables, rows and sentences are compared with, never judged.
    `known_pairs`: copies found earlier for documents that are not targets, as (table, table it
    repeats); only what a target's rows need (DUP004 never reports rows of a copied table)."""

    def __init__(self, ctx: Context, targets: set[int] | None = None,
                 known_pairs: list[tuple[TableSig, TableSig]] | None = None):
        self.ctx = ctx
        self.targets = targets
        self.known_pairs = known_pairs or []

    # What depends on the targets: everything else is kept when the targets grow (`retarget`).
    _TARGETED = frozenset({"in_report", "cross_report", "copy_pairs"})

    def retarget(self, targets: set[int] | None, known_pairs: list[tuple[TableSig, TableSig]] | None = None) -> Analysis:
        """The same comparison for other targets, keeping the signatures, the row index, the
        boilerplate verdicts and the sentences already computed (an incremental run widens its
        targets to the copies of a changed table and compares again)."""
        other = Analysis(self.ctx, targets, known_pairs)
        other.__dict__.update({k: v for k, v in self.__dict__.items() if k not in self._TARGETED and k not in other.__dict__})
        return other

    @property
    def docs(self) -> list[Document]:
        return self.ctx.docs

    def is_target(self, n: int) -> bool:
        return self.targets is None or n in self.targets

    # ---- rows ----------------------------------------------------------------------------------

    @cached_property
    def boil(self) -> BoilJudge:
        return BoilJudge(self.ctx)

    @cached_property
    def boil_info(self) -> dict[int, list[BoilInfo]]:
        """id(TableSig) -> BoilInfo per row, for the given reports' tables."""

        def judge(key: int) -> list[BoilInfo]:
            s = self.sig_by_id[key]
            if s.origin != "doc":
                raise KeyError(key)
            return [self.boil.judge(s, r) for r in s.rows]

        return _Lazy(judge)

    @cached_property
    def generic(self) -> dict[int, frozenset[int]]:
        """id(TableSig) -> rows that say nothing specific (never evidence of a copy)."""
        repeated: dict[tuple[str, int], object] = {}

        def compute(key: int) -> frozenset[int]:
            s = self.sig_by_id[key]
            rep = repeated.get((s.origin, s.index))
            if rep is None:
                mine = self.ctx.doc_sigs[s.index] if s.origin == "doc" else self._ref_by_doc[s.index]
                rep = repeated[(s.origin, s.index)] = repeated_keys(mine)
            if s.origin != "doc":
                return frozenset(generic_rows(s, rep, None))  # type: ignore[arg-type]
            return frozenset(generic_rows(s, rep, None) | {  # type: ignore[arg-type]
                i for i, info in enumerate(self.boil_info[key]) if info.boilerplate
            })

        return _Lazy(compute)

    @cached_property
    def _ref_by_doc(self) -> dict[int, list[TableSig]]:
        by_doc: dict[int, list[TableSig]] = defaultdict(list)
        for s in self.ctx.ref_sigs:
            by_doc[s.index].append(s)
        return by_doc

    # ---- tables in one report ------------------------------------------------------------------

    @cached_property
    def in_report(self) -> list[list[Pair]]:
        return [copies_in_report(sigs, self.generic, self.core) if self.is_target(n) else []
                for n, sigs in enumerate(self.ctx.doc_sigs)]

    # ---- tables with the same content ------------------------------------------------------------

    @cached_property
    def content_id(self) -> dict[int, int]:
        """id(TableSig) -> number of its content (title and row keys: all `pair_core` reads).
        Near-copies of one report share most tables; each content is compared once."""
        ids: dict[tuple, int] = {}
        out: dict[int, int] = {}
        for s in self.all_tables:
            out[id(s)] = ids.setdefault((s.title, tuple(r.key for r in s.rows)), len(ids))
        return out

    def core(self, a: TableSig, b: TableSig, generic_a, generic_b):  # noqa: ANN001, ANN201
        """`pair_core` remembered by content and generic rows."""
        key = (self.content_id[id(a)], generic_a, self.content_id[id(b)], generic_b)
        found = self._cores.get(key, self)
        if found is self:
            found = self._cores[key] = pair_core(a, b, generic_a, generic_b)
        return found

    @cached_property
    def _cores(self) -> dict[tuple, tuple | None]:
        return {}

    # ---- across reports ------------------------------------------------------------------------

    @cached_property
    def other_tables(self) -> list[TableSig]:
        """Tables of the reference that are not one of the given reports."""
        excluded = self.ctx.excluded_ref_docs()
        return [s for s in self.ctx.ref_sigs if s.index not in excluded]

    @cached_property
    def all_tables(self) -> list[TableSig]:
        return [*(s for sigs in self.ctx.doc_sigs for s in sigs), *self.other_tables]

    @cached_property
    def groups(self) -> list[list[TableSig]]:
        """Tables grouped by content, in order of first appearance; the first of each group
        stands for all of them in the row index."""
        out: dict[int, list[TableSig]] = {}
        for s in self.all_tables:
            out.setdefault(self.content_id[id(s)], []).append(s)
        return list(out.values())

    @cached_property
    def key_index(self) -> KeyIndex:
        """Distinct row keys of the tables (one table per content) and their near-duplicates."""
        return build_key_index([g[0] for g in self.groups], signatures=self.ctx.key_signatures)

    @cached_property
    def sig_by_id(self) -> dict[int, TableSig]:
        return {id(s): s for s in self.all_tables}

    def same_doc(self, a: TableSig, b: TableSig) -> bool:
        return a.origin == b.origin and a.index == b.index

    @staticmethod
    def _order(b: TableSig) -> tuple:
        """Which of equally similar tables a copy is said to repeat: given reports before the
        reference, then in the order of the documents and tables."""
        return (b.origin != "doc", b.index, b.table_no)

    @staticmethod
    def _may_repeat(a: TableSig, b: TableSig) -> bool:
        if a.origin == b.origin and a.index == b.index:
            return False
        if b.year and a.year and b.year > a.year:
            return False  # the other report is newer: it copied from this one, if anything
        return not (b.origin == "doc" and b.year == a.year and b.index > a.index)  # one year: flag the later-listed only

    @cached_property
    def cross_report(self) -> list[Pair]:
        """Tables of a given report that copy a table of another report (given or reference),
        best match per table (most similar, then first in `_order`), never a newer report's table.

        Candidates are the other tables of a table's own content group and the content groups
        sharing most near-duplicate rows with it (`KeyIndex.candidates`); each content pair is
        aligned once, so a cluster of copies costs about its number of distinct tables."""
        groups = self.groups
        index = self.key_index
        cand: dict[int, list[int]] = {}
        for n, g in enumerate(groups):
            if not any(a.origin == "doc" and self.is_target(a.index) for a in g):
                continue
            found = index.candidates(n)
            if len(g) > 1 and len(g[0].rows) >= 3:
                found = [n, *found]  # identical tables of other documents
            if found:
                cand[n] = found
        # members of each group by generic rows, in `_order`
        parts: dict[int, dict] = {}

        def split(n: int) -> dict:
            if n not in parts:
                by: dict = defaultdict(list)
                for b in sorted(groups[n], key=self._order):
                    by[self.generic.get(id(b), frozenset())].append(b)
                parts[n] = by
            return parts[n]

        best: dict[int, Pair] = {}
        for n, g in enumerate(groups):
            if n not in cand:
                continue
            for a in g:
                if a.origin != "doc" or not self.is_target(a.index):
                    continue
                ga = self.generic.get(id(a), frozenset())
                found = None  # (similarity, order, b, core)
                for m in cand[n]:
                    for gb, members in split(m).items():
                        c = self.core(a, members[0], ga, gb)
                        if c is None or (found is not None and c[2] < found[0]):
                            continue
                        b = next((b for b in members if self._may_repeat(a, b)), None)
                        if b is None:
                            continue
                        if found is None or (c[2], self._order(found[2])) > (found[0], self._order(b)):
                            found = (c[2], self._order(b), b, c)
                if found is not None:
                    best[id(a)] = make_pair(a, found[2], found[3])
        if "in_report" in self.__dict__:  # the other user of the remembered alignments is done
            self._cores.clear()
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
        for a, b in self.known_pairs:
            out |= {(id(a), id(b)), (id(b), id(a))}
        self._cores.clear()  # both users of the remembered alignments are done
        return out

    # ---- prose ---------------------------------------------------------------------------------

    @cached_property
    def sentences(self) -> list[list[Sentence]]:
        return [self.sentences_of(n) for n in range(len(self.docs))]

    def sentences_of(self, n: int) -> list[Sentence]:
        found = self._sentences.get(n)
        if found is None:
            found = self._sentences[n] = sentences(self.docs[n], spacy_backend=use_spacy(len(self.docs)))
        return found

    @cached_property
    def _sentences(self) -> dict[int, list[Sentence]]:
        return {}

    def forget_sentences(self, n: int) -> None:
        """Let a report's sentences go once nothing else will read them."""
        if "sentences" not in self.__dict__:
            self._sentences.pop(n, None)
            self._sentence_keys.pop(n, None)

    @cached_property
    def _given_sentences(self) -> dict[str, list[tuple]]:
        out: dict[str, list[tuple]] = defaultdict(list)
        summaries = self.ctx.summaries
        for n, doc in enumerate(self.docs):
            dept = self.ctx.dept_of(n)
            name = doc.name
            entries = summaries[n]["sents"] if summaries is not None else sentence_entries(
                doc, self.sentences_of(n), self.sentence_keys_of(n))
            for h, line, duty in entries:
                out[h].append((("doc", n), dept, doc.year, name, line, bool(duty)))
        return out

    def sentence_keys_of(self, n: int) -> list[str]:
        """`sentence_key` of every sentence (remembered by text: copies repeat most of them)."""
        found = self._sentence_keys.get(n)
        if found is None:
            memo = self._key_memo
            found = []
            for s in self.sentences_of(n):
                k = memo.get(s.text)
                if k is None:
                    k = memo[s.text] = sentence_key(s.text)
                found.append(k)
            self._sentence_keys[n] = found
        return found

    @cached_property
    def _sentence_keys(self) -> dict[int, list[str]]:
        return {}

    @cached_property
    def _key_memo(self) -> dict[str, str]:
        return {}

    def sentence_lookup(self, doc_index: int):
        """hash -> occurrences in every *other* document: the given reports and, unless isolated,
        the reference. Isolated, the reference still tells which sentences are template wording
        (they occur in another department's report) but is never the source of a copy."""
        ref = self.ctx.ref
        models = self.ctx.models
        own_dept = department_key(self.docs[doc_index])
        own_ref = self.ctx.excluded_ref_docs() if ref is not None else set()  # given reports stand for themselves
        given = self._given_sentences

        me = ("doc", doc_index)
        year = self.docs[doc_index].year
        summary = self._sentence_summary

        def lookup(h: str) -> list[tuple]:
            out = []
            source = ref if ref is not None else models
            if source is not None:
                for i, line, duty in source.sentences.get(h, ()):
                    d = source.docs[i]
                    if i in own_ref or (ref is None and d.department == own_dept):
                        continue
                    out.append((("ref", i), d.department, d.year, d.name, line, bool(duty)))
            entries = given.get(h)
            if not entries:
                return out
            # What `carried_over` reads of the occurrences: whether there are any, whether one is
            # another department's or a duty statement, and the earlier ones. A sentence pasted
            # into k reports must not cost k steps for each of them.
            witnesses, min_year = summary[h]
            foreign = next((o for o in witnesses if o[0] != me and (o[1] != own_dept or o[5])), None)
            if foreign is not None:
                return [foreign, *out]
            if year is None or min_year is None or min_year >= year:
                first = next((o for o in witnesses if o[0] != me), None)
                return [first, *out] if first is not None else out
            return [o for o in entries if o[0] != me] + out

        return lookup

    @cached_property
    def _sentence_summary(self) -> dict[str, tuple[list[tuple], int | None]]:
        """hash -> (a few occurrences that answer `sentence_lookup` for any document: the first
        two, the first two of two more departments, the first two duty statements; the earliest
        year of all occurrences)."""
        out = {}
        for h, entries in self._given_sentences.items():
            picked: list[tuple] = []
            depts: list[str] = []
            duties = 0
            for o in entries:
                take = len(picked) < 2
                if o[1] not in depts and len(depts) < 3:
                    depts.append(o[1])
                    take = True
                if o[5] and duties < 2:
                    duties += 1
                    take = True
                if take:
                    picked.append(o)
            years = [o[2] for o in entries if o[2] is not None]
            out[h] = (picked, min(years) if years else None)
        return out
