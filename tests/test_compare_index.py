"""The vectorised MinHash LSH index: datasketch-compatible signatures and parameters, and the
candidates it finds on real rows (no all-pairs comparison)."""

from __future__ import annotations

import datasketch  # the dev extra installs it (tests only): this file must not skip
import numpy as np
import pytest

from conftest import seed
from targetqa.compare.index import MinHashIndex, confirm, lsh_params, optimal_params, shingles
from targetqa.text.normalize import mask_numbers, row_key


def _rows():
    return [row_key(r) for p in ("000", "001", "002", "003", "004") for t in seed(p).tables for r in t.rows]


def test_signatures_equal_datasketch_legacy_minhash():
    keys = _rows()[:120] + ["", "ab", "abc", "abcd"]
    sigs = MinHashIndex(num_perm=64, seed=1).signatures(keys)
    for key, sig in zip(keys, sigs):
        m = datasketch.MinHash(num_perm=64, seed=1, scheme="legacy")
        for sh in set(shingles(key)) or {""}:
            m.update(sh.encode("utf-8"))
        assert np.array_equal(m.hashvalues.astype(np.uint32), sig), key


def test_signatures_do_not_depend_on_chunking():
    keys = _rows()
    a = MinHashIndex(chunk=100000).signatures(keys)
    b = MinHashIndex(chunk=37).signatures(keys)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.9])
@pytest.mark.parametrize("num_perm", [32, 64, 128])
def test_lsh_parameters_equal_datasketch(threshold, num_perm):
    from datasketch.lsh import _optimal_param

    assert optimal_params(threshold, num_perm, 0.5, 0.5) == _optimal_param(threshold, num_perm, 0.5, 0.5)
    assert lsh_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_candidates_find_the_copied_table_rows_without_all_pairs():
    doc = seed("002")
    t3 = next(t for t in doc.tables if t.table_no == 3)
    t4 = next(t for t in doc.tables if t.table_no == 4)
    keys = [row_key(r) for t in doc.tables for r in t.rows]
    groups = np.array([t.table_no for t in doc.tables for _ in t.rows])
    index = MinHashIndex()
    cand = index.candidates(index.signatures([mask_numbers(k) for k in keys]), groups=groups, max_bucket=50)
    n = len(keys)
    assert len(cand.pairs) < n * (n - 1) // 2 // 10  # far fewer than all pairs
    pairs, scores = confirm(keys, cand.pairs, 85)
    found = {(keys[i], keys[j]) for i, j in pairs}
    for r3, r4 in zip(t3.rows, t4.rows):
        assert (row_key(r3), row_key(r4)) in found or (row_key(r4), row_key(r3)) in found
    # never a pair inside one table
    assert all(groups[i] != groups[j] for i, j in cand.pairs)


def test_crowded_buckets_are_not_expanded():
    keys = ["服务对象满意度|服务对象满意度|≥90%|调查问卷"] * 300 + ["帮扶生活困难党员数|帮扶我区生活困难党员数量|≥90%|山组字[2018]12号"] * 2
    index = MinHashIndex()
    cand = index.candidates(index.signatures(keys), max_bucket=50)
    assert cand.crowded and max(len(c) for c in cand.crowded) == 300
    assert [tuple(p) for p in cand.pairs] == [(300, 301)]


def test_written_out_permutations_equal_the_drawn_ones():
    from targetqa.compare.index import drawn_permutations, permutations

    for got, drawn in zip(permutations(64, 1), drawn_permutations(64, 1)):
        assert got.dtype == drawn.dtype and (got == drawn).all()


def test_sorted_unique_equals_numpy_unique():
    from targetqa.compare.index import sorted_unique

    rng = np.random.default_rng(0)
    for n in (0, 1, 2, 50, 1000):
        values = rng.integers(0, 40, size=n).astype(np.uint64)
        assert (sorted_unique(values) == np.unique(values)).all()
        assert sorted_unique(values).dtype == values.dtype
