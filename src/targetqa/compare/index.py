"""Near-duplicate candidates among many short texts without comparing all pairs.

MinHash over character 3-gram shingles with locality-sensitive hashing in bands, vectorised
with numpy (shingles are read from the texts' UTF-32 code points, not built as Python strings). The permutations, the 32-bit shingle hash (sha1, as datasketch's `sha1_hash32`) and
the (bands, rows) choice for a Jaccard threshold are datasketch's, so a signature here is the
`hashvalues` of a `datasketch.MinHash` of the same shingles (tests/test_compare_index.py checks
this). datasketch's own objects cost ~60 µs per text to build and ~2 KB each in its LSH tables;
at a million indicator rows that is minutes and gigabytes, hence the vectorised path: shingles
are hashed once per distinct shingle, signatures reduced per text with `np.minimum.reduceat`,
bands hashed to 64-bit keys and grouped by sorting.

Candidates are only candidates: callers confirm each pair with rapidfuzz. A bucket holding more
than `max_bucket` texts is a pattern repeated everywhere (boilerplate), not a pair of copies; it
is reported separately instead of being expanded into all its pairs.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)


def shingles(text: str, k: int = 3) -> list[str]:
    if len(text) <= k:
        return [text] if text else []
    return [text[i : i + k] for i in range(len(text) - k + 1)]


def sha1_hash32(data: bytes) -> int:
    return struct.unpack("<I", hashlib.sha1(data).digest()[:4])[0]


@lru_cache(maxsize=None)
def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """datasketch.MinHash(num_perm, seed, scheme="legacy").permutations, without building a MinHash."""
    gen = np.random.RandomState(seed)
    ab = np.array(
        [(gen.randint(1, _MERSENNE, dtype=np.uint64), gen.randint(0, _MERSENNE, dtype=np.uint64)) for _ in range(num_perm)],
        dtype=np.uint64,
    ).T
    return ab[0].copy(), ab[1].copy()


# Answers of `lsh_params` for the settings targetqa uses (checked by the tests), to skip ~20 ms.
_KNOWN_PARAMS = {(0.5, 64, 0.5, 0.5): (14, 4)}


@lru_cache(maxsize=None)
def lsh_params(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive and false negative areas — the same
    optimisation as datasketch's `_optimal_param`, integrated exactly with Gauss–Legendre (the
    integrands are polynomials of degree ≤ num_perm) instead of scipy, whose import alone costs
    ~0.8 s. tests/test_compare_index.py checks that both give the same answer."""
    known = _KNOWN_PARAMS.get((threshold, num_perm, fp_weight, fn_weight))
    if known is not None:
        return known
    return optimal_params(threshold, num_perm, fp_weight, fn_weight)


def optimal_params(threshold: float, num_perm: int, fp_weight: float, fn_weight: float) -> tuple[int, int]:
    nodes, weights = np.polynomial.legendre.leggauss(num_perm // 2 + 2)

    def integral(f, lo: float, hi: float) -> float:
        x = (hi - lo) / 2 * nodes + (hi + lo) / 2
        return float((hi - lo) / 2 * np.sum(weights * f(x)))

    best, opt = float("inf"), (0, 0)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = integral(lambda s: 1 - (1 - s ** float(r)) ** float(b), 0.0, threshold)
            fn = integral(lambda s: (1 - s ** float(r)) ** float(b), threshold, 1.0)
            err = fp * fp_weight + fn * fn_weight
            if err < best:
                best, opt = err, (b, r)
    return opt


@dataclass
class Candidates:
    pairs: np.ndarray  # (m, 2) int64, i < j, unique
    crowded: list[np.ndarray]  # members of buckets too large to expand (boilerplate groups)


class MinHashIndex:
    """Signatures for a list of texts and the candidate pairs among them."""

    def __init__(self, num_perm: int = 64, threshold: float = 0.5, seed: int = 1, k: int = 3, chunk: int = 100000):
        self.num_perm = num_perm
        self.threshold = threshold
        self.k = k
        self.chunk = chunk
        self.a, self.b = permutations(num_perm, seed)
        self.bands, self.rows = lsh_params(threshold, num_perm)
        self._hash_cache: dict[int, int] = {}  # shingle code -> sha1_hash32

    def _shingle_codes(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every k-shingle of every text as one integer (k code points × 21 bits), vectorised:
        the texts are concatenated and read as UTF-32. A text shorter than k is one shingle."""
        k = self.k
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        cp = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        cp = np.concatenate([cp, np.zeros(k, dtype=np.uint64)])
        n_sh = np.where(lengths > k, lengths - k + 1, 1)
        ends = np.cumsum(n_sh)
        row_start = ends - n_sh
        text_start = np.cumsum(lengths) - lengths
        offs = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) - np.repeat(row_start, n_sh)
        pos = np.repeat(text_start, n_sh) + offs
        length = np.repeat(lengths, n_sh)
        code = np.zeros(len(pos), dtype=np.uint64)
        for j in range(k):
            c = np.where(offs + j < length, cp[np.minimum(pos + j, len(cp) - 1)], 0).astype(np.uint64)
            code = (code << np.uint64(21)) | c
        return code, row_start

    def _permuted(self, codes: np.ndarray) -> np.ndarray:
        """(num_perm, len(codes)) uint32: the permuted 32-bit sha1 hash of each distinct shingle."""
        cache = self._hash_cache
        k = self.k
        hv = np.empty(len(codes), dtype=np.uint64)
        for n, code in enumerate(codes.tolist()):
            h = cache.get(code)
            if h is None:
                chars = [(code >> (21 * (k - 1 - j))) & 0x1FFFFF for j in range(k)]
                h = sha1_hash32("".join(chr(c) for c in chars if c).encode("utf-8"))
                cache[code] = h
            hv[n] = h
        pv = ((hv[None, :] * self.a[:, None] + self.b[:, None]) % _MERSENNE) & _MAX_HASH
        return pv.astype(np.uint32)

    def signatures(self, texts: list[str]) -> np.ndarray:
        """(len(texts), num_perm) uint32 MinHash signatures, equal to datasketch's (legacy scheme)
        for the same set of shingles.

        One permutation at a time: the permuted values of a chunk's distinct shingles fit in
        cache, so gathering them per text and reducing with `np.minimum.reduceat` runs at memory
        speed (an (nnz × num_perm) gather at once is ~10× slower and needs gigabytes)."""
        sigs = np.empty((len(texts), self.num_perm), dtype=np.uint32)
        for start in range(0, len(texts), self.chunk):
            part = texts[start : start + self.chunk]
            if not part:
                continue
            codes, row_start = self._shingle_codes(part)
            vocab = np.unique(codes)
            inverse = np.searchsorted(vocab, codes)  # faster than unique(return_inverse=True)
            table = self._permuted(vocab)
            block = sigs[start : start + len(part)]
            for p in range(self.num_perm):
                block[:, p] = np.minimum.reduceat(table[p][inverse], row_start)
        return sigs

    def band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """(n, bands) uint64 keys, one per band of `rows` signature values."""
        n = sigs.shape[0]
        keys = np.empty((n, self.bands), dtype=np.uint64)
        mult = np.array([((0x9E3779B97F4A7C15 ^ (r * 0xBF58476D1CE4E5B9)) | 1) & 0xFFFFFFFFFFFFFFFF for r in range(self.rows)], dtype=np.uint64)
        with np.errstate(over="ignore"):
            for b in range(self.bands):
                block = sigs[:, b * self.rows : (b + 1) * self.rows].astype(np.uint64)
                h = np.full(n, np.uint64(b + 1) * np.uint64(0x94D049BB133111EB), dtype=np.uint64)
                for r in range(self.rows):
                    h = (h ^ block[:, r]) * mult[r]
                    h ^= h >> np.uint64(29)
                keys[:, b] = h
        return keys

    def candidates(self, sigs: np.ndarray, groups: np.ndarray | None = None, max_bucket: int = 50) -> Candidates:
        """Pairs of texts sharing a band bucket. With `groups`, only pairs from different groups
        (e.g. different tables) are kept."""
        keys = self.band_keys(sigs)
        n = np.int64(sigs.shape[0])
        codes: list[np.ndarray] = []
        crowded: list[np.ndarray] = []
        for b in range(self.bands):
            col = keys[:, b]
            order = np.argsort(col, kind="stable")
            sorted_keys = col[order]
            boundaries = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
            starts = np.concatenate(([0], boundaries))
            sizes = np.diff(np.concatenate((starts, [len(order)])))
            present = np.flatnonzero(np.bincount(sizes))
            for size in present[present >= 2]:
                sel = starts[sizes == size]
                if size > max_bucket:
                    crowded.extend(order[s : s + size] for s in sel)
                    continue
                members = order[sel[:, None] + np.arange(size)[None, :]]  # (buckets, size)
                iu, ju = np.triu_indices(size, k=1)
                left, right = members[:, iu].ravel(), members[:, ju].ravel()
                lo, hi = np.minimum(left, right), np.maximum(left, right)
                if groups is not None:
                    keep = groups[lo] != groups[hi]
                    lo, hi = lo[keep], hi[keep]
                codes.append(lo.astype(np.int64) * n + hi)
        if not codes:
            return Candidates(np.empty((0, 2), dtype=np.int64), crowded)
        code = np.concatenate(codes)
        code.sort()
        if len(code):
            code = code[np.concatenate(([True], code[1:] != code[:-1]))]
        return Candidates(np.stack([code // n, code % n], axis=1), crowded)


def confirm(texts: list[str], pairs: np.ndarray, cutoff: float = 85.0, workers: int = 1,
            chunk: int = 1_000_000) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs whose rapidfuzz ratio reaches `cutoff`, and their scores (in chunks,
    so that a few million candidates never become a few million Python strings at once)."""
    if len(pairs) == 0:
        return pairs, np.empty(0)
    from rapidfuzz import fuzz
    from rapidfuzz.process import cpdist

    kept: list[np.ndarray] = []
    kept_scores: list[np.ndarray] = []
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        left = [texts[i] for i in part[:, 0].tolist()]
        right = [texts[j] for j in part[:, 1].tolist()]
        scores = np.asarray(cpdist(left, right, scorer=fuzz.ratio, workers=workers), dtype=np.float64)
        keep = scores >= cutoff
        kept.append(part[keep])
        kept_scores.append(scores[keep])
    return np.concatenate(kept), np.concatenate(kept_scores)
