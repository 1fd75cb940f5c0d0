"""Which reports' cross-document findings a change can reach.

A leaderboard run after some files were added, changed or removed recomputes the comparison
findings (DUP001–DUP004, BOIL, REP002) only for the reports listed here, and keeps the others'
from the last run. Each rule's dependence on other reports, and what is followed:

- BOIL (and through it the generic rows every DUP rule discounts): how many departments use an
  indicator name (fuzzy, ratio ≥ 90) or a word, and how many departments have tables enough to
  count (`Context.table_departments`). Names and words whose set of departments changed are
  found; reports with a name near one of them, or one of the words, are reached. A change in the
  set of departments that count moves every threshold: everything is recomputed.
- DUP001/DUP002: the report's own tables and generic rows (above).
- DUP003/DUP004: candidates, alignments and partners come from the row keys a report shares
  (verbatim, or near: ratio ≥ 85) with others. Reports sharing a key, or a key near one, with a
  changed report — or with a report reached through BOIL — are reached. Near keys come from the
  MinHash index, whose buckets are capped; a change touching a bucket close to the cap could
  change pairs of unrelated keys: everything is recomputed.
- REP002: the sentences a report shares with others: reports sharing a sentence hash with a
  changed report are reached.
- The reference documents left out because a given report is one of them: if that set
  changes, everything is recomputed.

Copies found across reports also keep rows from being reported as foreign rows (DUP004) on the
other side; the caller follows those (`extend_by_copies`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from targetqa.compare.tables import KeySignatures

NEAR_KEY = 85.0  # tables.ROW_CUTOFF: near-duplicate rows
NEAR_NAME = 90.0  # boil.NAME_CUTOFF
BUCKET_MARGIN = 150  # a change touching an LSH bucket this full recomputes everything (cap 200)


def affected(current: dict[str, dict], previous: dict[str, dict], changed: set[str],
             ref_sentence_depts=None, ref_keys: list[str] | tuple = (),  # noqa: ANN001
             ref_habits: dict[str, int] | None = None, key_signatures: KeySignatures | None = None) -> set[str] | None:
    """Paths (of `current`) whose cross-document findings may differ from the last run, given
    the comparison summaries now and at the last run (path -> summary) and the paths added,
    changed or removed since. `ref_sentence_depts(hash)`: the departments of the reference
    documents a report's sentence lookup sees holding that sentence; `ref_keys`: the row keys of
    the reference tables the row index holds too; `ref_habits`: the reference's part of the
    departments' counts (`context.ref_habits`); `key_signatures`: the MinHash signatures of row keys
    known before. None: the change reaches everything."""
    if any("habit" not in s for s in (*current.values(), *previous.values())):
        return None  # summaries written before the count was kept
    if _habit_departments(current, ref_habits) != _habit_departments(previous, ref_habits):
        return None
    if _union(current, "own_ref") != _union(previous, "own_ref"):
        return None
    old = [previous[p] for p in changed if p in previous]
    new = [current[p] for p in changed if p in current]
    out = {p for p in changed if p in current}

    # BOIL: names and words whose departments changed
    reached_boil: set[str] = set()
    for kind in ("names", "words"):
        items = {x for s in old + new for x in s[kind]}
        now, before = _depts(current, kind, items), _depts(previous, kind, items)
        moved = {x for x in items if now.get(x) != before.get(x)}
        if not moved:
            continue
        if kind == "words":
            reached_boil |= {p for p, s in current.items() if not moved.isdisjoint(s[kind])}
        else:
            near = _near(sorted(moved), sorted({x for s in current.values() for x in s["names"]}), NEAR_NAME)
            reached_boil |= {p for p, s in current.items() if not near.isdisjoint(s["names"])}
    out |= reached_boil

    # DUP: reports sharing a row key, or a near one, with a changed or BOIL-reached report. A
    # report whose tables, department, year and name are as they were (only its prose or its
    # line numbers changed) shows others nothing new: its keys reach no one.
    same_tables = {p for p in changed if p in current and p in previous and _same_tables(previous[p], current[p])}
    moved_docs = [s for p in changed - same_tables for s in (previous.get(p), current.get(p)) if s is not None]
    keys = {k for s in moved_docs for k in s["keys"]} | {k for p in reached_boil for k in current[p]["keys"]}
    every_key = sorted({k for s in current.values() for k in s["keys"]})
    if keys:
        from targetqa.compare.tables import KeySignatures

        if _crowded(sorted(keys), sorted(set(every_key) | set(ref_keys)), key_signatures or KeySignatures()):
            return None
    near_keys = _near(sorted(keys), every_key, NEAR_KEY) | keys
    out |= {p for p, s in current.items() if not near_keys.isdisjoint(s["keys"])}

    # REP002: reports sharing a sentence, unless the sentence stands in reports of two or more
    # departments besides the changed ones: then every other report finds it in another
    # department's report, before and after, and never counts it as carried over.
    hashes = {e[0] for s in old + new for e in s["sents"]}
    # A sentence that only moved to another line (same report, department, year and duty flag)
    # changes nothing but the line others cite when it is their earlier source: only reports of
    # a later year can be reached through it.
    moved_only: dict[str, int] = {}  # hash -> lowest year of the changed reports holding it
    full: set[str] = set()
    for p in changed:
        a, b = previous.get(p), current.get(p)
        was = {e[0]: e[2] for e in a["sents"]} if a else {}
        now = {e[0]: e[2] for e in b["sents"]} if b else {}
        same = a is not None and b is not None and b["year"] is not None and \
            (a["dept"], a["year"], a["name"]) == (b["dept"], b["year"], b["name"])
        for h in set(was) | set(now):
            if same and h in was and h in now and was[h] == now[h]:
                moved_only[h] = min(moved_only.get(h, b["year"]), b["year"])  # type: ignore[index]
            else:
                full.add(h)
    moved_only = {h: y for h, y in moved_only.items() if h not in full}
    depts: dict[str, set[str]] = defaultdict(set)
    for p, s in current.items():
        if p not in changed:
            for e in s["sents"]:
                if e[0] in hashes:
                    depts[e[0]].add(s["dept"])
    if ref_sentence_depts is not None:
        for h in hashes:
            depts[h] |= ref_sentence_depts(h)
    live = {h for h in hashes if len(depts[h]) < 2}
    anywhere = live - set(moved_only)
    later = {h: moved_only[h] for h in live & set(moved_only)}
    for p, s in current.items():
        mine = {e[0] for e in s["sents"]}
        if not anywhere.isdisjoint(mine) or any(s["year"] is not None and s["year"] > y for h, y in later.items() if h in mine):
            out.add(p)
    return out


def _habit_departments(summaries: dict[str, dict], ref_habits: dict[str, int] | None) -> set[str]:
    """`Context.table_departments` from the summaries (and the reference's counts)."""
    from collections import Counter

    from targetqa.compare.context import habit_departments

    counts: Counter[str] = Counter(ref_habits or {})
    for s in summaries.values():
        counts[s["dept"]] += s["habit"]
    return habit_departments(counts)


def _same_tables(a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in ("tables_digest", "dept", "year", "name"))


def _union(summaries: dict[str, dict], field: str) -> set:
    return {x for s in summaries.values() for x in s[field]}


def _depts(summaries: dict[str, dict], kind: str, items: set[str]) -> dict[str, set[str]]:
    """item -> departments of the reports holding it, for these items."""
    out: dict[str, set[str]] = defaultdict(set)
    for s in summaries.values():
        for x in items.intersection(s[kind]):
            out[x].add(s["dept"])
    return out


def _near(queries: list[str], choices: list[str], cutoff: float) -> set[str]:
    """The choices within `cutoff` (rapidfuzz ratio) of any query."""
    if not queries or not choices:
        return set()
    import numpy as np
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    scores = cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float32)
    return {choices[j] for j in np.flatnonzero(scores.max(axis=0) >= cutoff)}


def _crowded(keys: list[str], every_key: list[str], signatures: KeySignatures) -> bool:
    """Whether one of `keys` falls in a MinHash bucket (of the row index over `every_key` and
    `keys`) holding BUCKET_MARGIN keys or more: near the cap, above which a bucket is dropped."""
    import numpy as np

    from targetqa.compare.index import MinHashIndex
    from targetqa.compare.tables import NUM_PERM, SEED

    index = MinHashIndex(num_perm=NUM_PERM, threshold=0.5, seed=SEED)
    every = sorted(set(every_key) | set(keys))
    bands = index.band_keys(signatures.of(every))
    position = {k: n for n, k in enumerate(every)}
    mine = np.asarray([position[k] for k in keys])
    for b in range(bands.shape[1]):
        col = bands[:, b]
        values, counts = np.unique(col, return_counts=True)
        size = dict(zip(values.tolist(), counts.tolist()))
        if max(size[v] for v in col[mine].tolist()) >= BUCKET_MARGIN:
            return True
    return False


def extend_by_copies(before: dict[str, list], after: dict[str, list]) -> set[str]:
    """Paths of the reports whose tables appear on the other side of a copy that was found
    before and not now, or now and not before (path -> [[table seq, other path, its seq]])."""
    out: set[str] = set()
    for path in set(before) | set(after):
        old = {tuple(c) for c in before.get(path, [])}
        new = {tuple(c) for c in after.get(path, [])}
        out |= {c[1] for c in old ^ new}
    return out


def by_path(pairs: dict[int, list], path_of: dict[int, str]) -> dict[str, list]:
    """Copies keyed by id(doc) with the other side as id(doc) -> keyed and written by path."""
    out: dict[str, list] = defaultdict(list)
    for doc_id, copies in pairs.items():
        for a_seq, other, b_seq in copies:
            out[path_of[doc_id]].append([a_seq, path_of[other], b_seq])
    return dict(out)
