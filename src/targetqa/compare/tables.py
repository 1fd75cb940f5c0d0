"""Copied tables and foreign rows (DUP).

Rows are compared on their verbatim key (name|description|target|basis, whitespace removed):
two rows with rapidfuzz ratio ≥ ROW_CUTOFF are the same row. Tables are aligned row to row
(one-to-one, best pairs first). A pair of tables is a copy when enough *specific* rows match —
rows that are not boilerplate and not repeated across the report's tables — so that two tables
sharing the usual 服务对象满意度 row, or the standard level names, are never called copies.

Across reports the candidate table pairs come from the MinHash index over all rows (no
all-pairs comparison); inside one report of ordinary size (a few dozen tables) every pair is
aligned directly, and a huge one goes through the same index.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from targetqa.compare.context import TableSig
from targetqa.taxonomy import compact
from targetqa.text.normalize import mask_numbers, programme_core

ROW_CUTOFF = 85.0
NUM_PERM = 64  # MinHash permutations of the row index (and of the shipped rowsig.npz)
SEED = 1
FOREIGN_CUTOFF = 90.0
MIN_MATCHED = 3
MIN_SPECIFIC = 2
MIN_COVER = 0.6


def align(a: TableSig, b: TableSig, cutoff: float = ROW_CUTOFF) -> list[tuple[int, int, float]]:
    """One-to-one row matches (ratio ≥ cutoff), best pairs first, then in row order."""
    if not a.rows or not b.rows:
        return []
    ratios = cdist([r.key for r in a.rows], [r.key for r in b.rows], scorer=fuzz.ratio, score_cutoff=cutoff,
                   dtype=np.float64)
    ii, jj = np.nonzero(ratios)
    cand = sorted(zip(ratios[ii, jj].tolist(), (-ii).tolist(), (-jj).tolist()), reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for s, mi, mj in cand:
        i, j = -mi, -mj
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, s))
    return sorted(out)


def _part(key: str, k: int) -> str:
    parts = key.split("|")
    return parts[k] if k < len(parts) else ""


def same_programme(a: TableSig, b: TableSig) -> bool:
    """Two funding sources (省级/中央/市级 …) of one programme: the titles say the same thing
    once payer, year, document number and the words 补助/经费/资金 are removed."""
    if compact(a.title) == compact(b.title):
        return False
    ca, cb = programme_core(a.title), programme_core(b.title)
    if len(ca) < 3 or len(cb) < 3:
        return False
    short, long_ = sorted((ca, cb), key=len)
    return short in long_ or fuzz.ratio(ca, cb) >= 80


@dataclass
class Pair:
    a: TableSig  # the table that is flagged
    b: TableSig  # the table it repeats
    matches: list[tuple[int, int, float]]
    specific: int
    similarity: float
    same_values: bool
    twin: bool
    clashes: list[tuple[str, str]] = field(default_factory=list)  # (field, evidence)

    @property
    def same_doc(self) -> bool:
        return self.a.origin == self.b.origin and self.a.index == self.b.index



def head_clashes(a: TableSig, b: TableSig) -> list[tuple[str, str]]:
    """What in the table head was copied along: (field, evidence) for the project code, the
    purpose, the goals and the head's project name."""
    out = []
    if a.code and a.code == b.code:
        out.append(("项目编码", f"项目编码与{b.label}相同（{a.code}）"))
    if a.purpose and b.purpose and len(a.purpose) >= 4 and fuzz.ratio(a.purpose, b.purpose) >= 90:
        out.append(("资金用途", f"资金用途与{b.label}相同（“{a.purpose[:30]}”）"))
    if a.goals and b.goals and fuzz.ratio("".join(a.goals), "".join(b.goals)) >= 90 and len("".join(a.goals)) >= 6:
        out.append(("年度绩效目标", f"年度绩效目标与{b.label}相同"))
    if a.project and compact(a.project) == compact(b.project) and fuzz.partial_ratio(a.project, a.title) < 80:
        out.append(("项目名称", f"表头项目名称写的是“{a.project}”（{b.label}的项目），与标题“{a.title}”不符"))
    return out


def pair_core(a: TableSig, b: TableSig, generic_a: set[int], generic_b: set[int]) -> tuple | None:
    """What `compare_pair` finds that depends only on the two tables' content and generic rows:
    (matches, specific, similarity, same_values, twin), or None when they are not copies. Tables
    with the same content give the same answer, so callers may remember it by content."""
    short, longest = sorted((len(a.rows), len(b.rows)))
    if short < MIN_MATCHED or short / longest < MIN_COVER:
        return None  # too few rows on one side to match enough of the other
    matches = align(a, b)
    if len(matches) < MIN_MATCHED:
        return None
    specific = sum(1 for i, j, _ in matches if i not in generic_a and j not in generic_b)
    longest = max(len(a.rows), len(b.rows))
    if specific < MIN_SPECIFIC or len(matches) / longest < MIN_COVER:
        return None
    same_values = all(_target_of(a.rows[i].key) == _target_of(b.rows[j].key) for i, j, _ in matches)
    # Dice-style: matched share of both tables, each match weighted by its ratio
    similarity = 2 * sum(s for _, _, s in matches) / 100.0 / (len(a.rows) + len(b.rows))
    return matches, specific, similarity, same_values, same_programme(a, b)


@lru_cache(maxsize=1 << 18)
def _target_of(key: str) -> str:
    """The target cell of a row key, compacted (rows recur in many tables)."""
    return compact(_part(key, 2))


def make_pair(a: TableSig, b: TableSig, core: tuple) -> Pair:
    matches, specific, similarity, same_values, twin = core
    pair = Pair(a, b, matches, specific, similarity, same_values, twin)
    pair.clashes = head_clashes(a, b)
    return pair


def compare_pair(a: TableSig, b: TableSig, generic_a: set[int], generic_b: set[int]) -> Pair | None:
    core = pair_core(a, b, generic_a, generic_b)
    return None if core is None else make_pair(a, b, core)


# --------------------------------------------------------------------------- within one report


def repeated_keys(sigs: list[TableSig]) -> Counter:
    """How many tables of the report each row key (numbers masked) occurs in."""
    c: Counter = Counter()
    for s in sigs:
        for k in {mask_numbers(r.key) for r in s.rows}:
            c[k] += 1
    return c


def generic_rows(sig: TableSig, repeated: Counter, boil) -> set[int]:
    out = set()
    for i, r in enumerate(sig.rows):
        if repeated.get(mask_numbers(r.key), 0) >= 3:
            out.add(i)
        elif boil is not None and r.row is not None and boil.judge(sig, r).boilerplate:
            out.add(i)
    return out


# A report with more tables than this (real ones have a few dozen) is compared through the row
# index, as reports are compared with each other, instead of aligning every pair of its tables.
ALL_PAIRS_UP_TO = 200


def _earlier_candidates(sigs: list[TableSig]) -> list[list[int]]:
    """For every table, the earlier tables worth aligning with it: all of them in a report of
    ordinary size; in a huge one, those sharing most near-duplicate rows with it (`KeyIndex`:
    MinHash, then the same rapidfuzz cutoff as `align`), so that the work grows with the rows,
    not their pairs."""
    if len(sigs) <= ALL_PAIRS_UP_TO:
        return [list(range(k)) for k in range(len(sigs))]
    index = build_key_index(sigs)
    return [sorted(j for j in index.candidates(k) if j < k) for k in range(len(sigs))]


def copies_in_report(sigs: list[TableSig], generic: dict[int, set[int]], core=pair_core) -> list[Pair]:  # noqa: ANN001
    """For every table, the earlier table of the same report it best copies (if any).
    `core(a, b, generic_a, generic_b)` is `pair_core` or a remembering stand-in for it."""
    out = []
    for k, earlier in enumerate(_earlier_candidates(sigs)):
        a = sigs[k]
        best: tuple | None = None
        for b in (sigs[j] for j in earlier):
            c = core(a, b, generic[id(a)], generic[id(b)])
            if c and (best is None or c[2] > best[1][2]):
                best = (b, c)
        if best:
            out.append(make_pair(a, best[0], best[1]))
    return out


# --------------------------------------------------------------------------- across reports


# How far a table looks for candidates: the first MAX_POSTINGS tables holding each of its rows
# (near-duplicates included) are counted, and the MAX_CANDIDATES contents sharing most rows with
# it (at least MIN_MATCHED) are aligned. A row found in more tables than that is template
# wording shared by a cluster of copies; looking at all of them would make a cluster of k copies
# cost k² alignments.
MAX_POSTINGS = 64
MAX_CANDIDATES = 32


@dataclass
class KeyIndex:
    """The distinct row keys of a list of tables (one table per content), where each occurs, and
    the confirmed near-duplicate pairs among them (MinHash candidates, rapidfuzz ratio ≥ cutoff).
    Indexing distinct keys rather than rows keeps copies of a row from filling the LSH buckets."""

    keys: list[str]
    key_of: list[list[int]]  # table -> key id of each row
    postings: list[list[tuple[int, int]]]  # key id -> (table, row), in table order
    near: list[list[tuple[int, float]]]  # key id -> (other key id, ratio), best first

    def candidates(self, t: int) -> list[int]:
        """Tables sharing at least MIN_MATCHED near-duplicate rows with table t (counting each
        row's first MAX_POSTINGS occurrences), most shared first, at most MAX_CANDIDATES."""
        counts: dict[int, int] = defaultdict(int)
        for u in self.key_of[t]:
            seen = 0
            for v in (u, *(v for v, _ in self.near[u])):
                for h, _ in self.postings[v][: MAX_POSTINGS - seen]:
                    counts[h] += 1
                seen += min(len(self.postings[v]), MAX_POSTINGS - seen)
                if seen >= MAX_POSTINGS:
                    break
        counts.pop(t, None)
        found = sorted((h for h, c in counts.items() if c >= MIN_MATCHED), key=lambda h: (-counts[h], h))
        return found[:MAX_CANDIDATES]


class KeySignatures:
    """MinHash signatures of row keys (numbers masked), each computed once: a leaderboard store
    keeps them between runs (`added` is what this run computed), so that a run indexes the
    stored reports' keys without hashing their shingles again. A key's signature depends on
    nothing but the key, so a kept one equals one computed now."""

    def __init__(self, known: dict[str, bytes] | None = None) -> None:
        self.known: dict[str, bytes] = dict(known or {})
        self.added: dict[str, bytes] = {}
        self._index = None

    def of(self, keys: list[str]) -> np.ndarray:
        """(len(keys), NUM_PERM) uint32."""
        out = np.empty((len(keys), NUM_PERM), dtype=np.uint32)
        todo = []
        for n, k in enumerate(keys):
            kept = self.known.get(k)
            if kept is None:
                todo.append(n)
            else:
                out[n] = np.frombuffer(kept, dtype=np.uint32)
        if todo:
            if self._index is None:
                from targetqa.compare.index import MinHashIndex

                self._index = MinHashIndex(num_perm=NUM_PERM, threshold=0.5, seed=SEED)
            computed = self._index.signatures([mask_numbers(keys[n]) for n in todo])
            out[todo] = computed
            for n, sig in zip(todo, computed):
                self.known[keys[n]] = self.added[keys[n]] = sig.tobytes()
        return out


def build_key_index(tables: list[TableSig], cutoff: float = ROW_CUTOFF, signatures: KeySignatures | None = None) -> KeyIndex:
    """`signatures`: those of the given reports' keys known before (the reference's rows carry
    theirs, shipped in the package)."""
    from targetqa.compare.index import MinHashIndex, confirm

    ids: dict[str, int] = {}
    key_of: list[list[int]] = []
    postings: list[list[tuple[int, int]]] = []
    shipped: dict[int, object] = {}  # key id -> precomputed MinHash signature
    for t, sig in enumerate(tables):
        row_ids = []
        for i, r in enumerate(sig.rows):
            k = ids.setdefault(r.key, len(ids))
            if k == len(postings):
                postings.append([])
            if r.minhash is not None and k not in shipped:
                shipped[k] = r.minhash
            postings[k].append((t, i))
            row_ids.append(k)
        key_of.append(row_ids)
    keys = list(ids)
    near: list[list[tuple[int, float]]] = [[] for _ in keys]
    if len(keys) >= 2:
        index = MinHashIndex(num_perm=NUM_PERM, threshold=0.5, seed=SEED)
        sigs = np.empty((len(keys), NUM_PERM), dtype=np.uint32)
        todo = [k for k in range(len(keys)) if k not in shipped]
        for k, sig in shipped.items():  # reference rows: signatures shipped in the package
            sigs[k] = sig
        if todo:
            sigs[todo] = (signatures or KeySignatures()).of([keys[k] for k in todo])
        cand = index.candidates(sigs, max_bucket=200)
        pairs, scores = confirm(keys, cand.pairs, cutoff)
        for (u, v), sc in zip(pairs.tolist(), scores.tolist()):
            near[u].append((v, sc))
            near[v].append((u, sc))
        for lst in near:
            lst.sort(key=lambda p: (-p[1], p[0]))
    return KeyIndex(keys, key_of, postings, near)


def row_fit_text(sig: TableSig, skip: set[int]) -> str:
    """The table's context without the rows in `skip`, as one text."""
    return " ".join(sig.context_without(skip))


def majority_basis(sig: TableSig, skip: set[int]) -> str:
    bases = [compact(_part(r.key, 3)) for i, r in enumerate(sig.rows) if i not in skip]
    bases = [b for b in bases if b]
    if not bases:
        return ""
    basis, n = Counter(bases).most_common(1)[0]
    return basis if n >= max(2, (len(bases) + 1) // 2) else ""
