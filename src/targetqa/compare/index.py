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


# permutations(64, 1), the only ones targetqa uses, written out: importing numpy.random to draw
# them costs ~15 ms of every run's start-up. tests/test_compare_index.py checks them.
_PERM_A_64_1 = (
    0x0ac1f425ff4780ec, 0x00077eff20ccc38a, 0x0591cb4f3c7053c1, 0x0faebfcc634e1e48,
    0x05928d86ef7f7d1a, 0x0b5054fe5032b166, 0x1456fb8b718620fd, 0x0702df9d88cf598f,
    0x0ad47cd7750b5fd8, 0x03f065f7f06aaddf, 0x0cfd988db749d7ea, 0x103c913f17c1cb3e,
    0x005b0a01dd71f781, 0x15c57508d460e2d9, 0x0b7a01af0f2a8feb, 0x192d421e97d32448,
    0x15383f95696aee32, 0x111edbc44a252b19, 0x0fbe864cc8874c1b, 0x04ae8a6d08bf7374,
    0x1d26000fa91f6c41, 0x07cb2d6f7235dee3, 0x1a6d051a12c7fe9a, 0x0899b709189ebec4,
    0x09aba5171e96ed7e, 0x04f53ba51568513a, 0x162d4288e9132521, 0x1dd7bd17959a8690,
    0x12f95f199d2b0fc8, 0x16dcba4a42cf84bf, 0x1a3296d888901498, 0x11c435717e39274e,
    0x0cc9bff8c3f6d4fe, 0x09ee723423d4d1d6, 0x11d0f64c07a10fdc, 0x074559078a71184e,
    0x03a79d4ce463042c, 0x05ce262489d63368, 0x0d7133c45c7b9a3a, 0x003538d2a3494061,
    0x02205917b0b13f7d, 0x003dc3795a9bc099, 0x0519fe945b45a9a1, 0x0d97625ee19f9e3d,
    0x09d74d527f841374, 0x1d5ffdecc975a6dd, 0x132d710a5af59eb7, 0x087ba752613ac9d7,
    0x0743e147c5873fe8, 0x00bc1c0fc5d23b86, 0x139f001494215a77, 0x02cd19e5b583cf8e,
    0x0895c261c3bc56b6, 0x040cdc6044dd40b8, 0x10de9ed98d23a196, 0x0c1e81f978f41fd4,
    0x0ebe938e3124088e, 0x10e5632b3af90e87, 0x00fe07bb3564bb90, 0x16267c8984d421c3,
    0x0516dd456574c9a5, 0x073f18158282ed29, 0x1c2acab149e96972, 0x0d85bda8f7b915cf,
)
_PERM_B_64_1 = (
    0x18672f8ceebc1448, 0x0d65aacbffc11e85, 0x17a3809065865081, 0x1876aaedab7479fc,
    0x09efe4b2d8a7d514, 0x0f6a8b928648c9d4, 0x00cc4dea3ac5929c, 0x0ba3c232e9f96a44,
    0x0f064be96e4242f1, 0x12b6c760c7448456, 0x17dffd89cd818407, 0x113c0e1684a5a539,
    0x0504f13cd442f8d1, 0x09ff7e8d45e69a73, 0x00cdf279aba7b9c8, 0x0bcdb583abf185c6,
    0x087d85393292b203, 0x10c5a1f12461fc2b, 0x15aa0734699c2550, 0x000975299fc06dd2,
    0x1f87c8c44c6a3019, 0x0a0e35d738dd2787, 0x12a9266878200416, 0x0b2a4be7e743447e,
    0x01498d648659409b, 0x0dc82a53eab76ca6, 0x03fadda24c86af0a, 0x0da92aef90df9c57,
    0x059000f3f4df855c, 0x13235d2e3b23d3a0, 0x09ff92b7f32f2541, 0x0a07a7038a64cb80,
    0x093081cd0b9bc706, 0x03cfc5c6cadaf602, 0x16287895e21482cb, 0x03318ac872aed44b,
    0x0eb1321460a95e1e, 0x0a54a707a6fd0f2d, 0x19072ef0922d9dfc, 0x19db010d20562c0a,
    0x1fa8fb51a5d2e787, 0x195166cac3633ddc, 0x0558cc8cc0b6bcc1, 0x16ffc1e902fcc098,
    0x1f27736112e40882, 0x1311ba671066b762, 0x14115760f11c39e9, 0x1cadccc6c34ebac2,
    0x12dca8b04d25f636, 0x1dfd3591272668aa, 0x06ed47b0024e5916, 0x1b7607f1787bea72,
    0x1f94875477a70c0a, 0x0def993dd4e9ce38, 0x1f508ce711f0dc60, 0x031b5419be25d5f1,
    0x1262acd476dd1e74, 0x016606cd821c82b8, 0x0c4b56180c9f33fb, 0x1fd038c72c1a6f35,
    0x06b5c3651b7c4af8, 0x1f07b04d1a2588db, 0x09f0d52f3b5485cd, 0x178f562d473fe757,
)
_KNOWN_PERMUTATIONS = {(64, 1): (_PERM_A_64_1, _PERM_B_64_1)}


@lru_cache(maxsize=None)
def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """datasketch.MinHash(num_perm, seed, scheme="legacy").permutations, without building a MinHash."""
    known = _KNOWN_PERMUTATIONS.get((num_perm, seed))
    if known is not None:
        return np.array(known[0], dtype=np.uint64), np.array(known[1], dtype=np.uint64)
    return drawn_permutations(num_perm, seed)


def drawn_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    gen = np.random.RandomState(seed)
    ab = np.array(
        [(gen.randint(1, _MERSENNE, dtype=np.uint64), gen.randint(0, _MERSENNE, dtype=np.uint64)) for _ in range(num_perm)],
        dtype=np.uint64,
    ).T
    return ab[0].copy(), ab[1].copy()


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique of a plain 1-D array, without np.unique's check for masked arrays, which
    imports numpy.ma (~25 ms of start-up)."""
    s = np.sort(values)
    if len(s) == 0:
        return s
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


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
            vocab = sorted_unique(codes)
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
