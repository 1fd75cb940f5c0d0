"""TF-IDF over jieba words and character 2–3-grams (rows are short: ten to forty characters).

scikit-learn fits the vectorizers in `targetqa build-model` (`fit_tfidf`); the fitted vocabulary
and idf weights are saved as JSON and applied here with numpy only, because importing
scikit-learn costs ~0.9 s and `targetqa score` must start in well under 1.5 s.
`tests/test_compare_vectors.py` proves that `Tfidf.matrix` equals scikit-learn's transform.

Both analyzers see the same normalised text: whitespace removed, numbers masked as '#'
('≥90%' → '≥#%'), punctuation dropped except the operators and '%'. A row vector is the two
l2-normalised blocks side by side, scaled by 1/√2 so that it has unit length.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from targetqa import rx
from targetqa.text.normalize import mask_numbers
from targetqa.text.segment import words

_DROP = rx.compile(r"[^\w≥≤＞＜<>=%#]+")
_SCALE = 1.0 / math.sqrt(2.0)


def clean(text: str) -> str:
    return _DROP.sub("", mask_numbers("".join((text or "").split())).replace("_", ""))


def word_features(text: str) -> list[str]:
    return words(clean(text))


def char_features(text: str) -> list[str]:
    t = clean(text)
    return [t[i : i + n] for n in (2, 3) for i in range(len(t) - n + 1)]


@dataclass
class Tfidf:
    """A fitted vectorizer pair: terms in column order and their idf (sublinear tf, l2 norm)."""

    word_terms: list[str]
    word_idf: list[float]
    char_terms: list[str]
    char_idf: list[float]
    _word_index: dict[str, int] = field(default_factory=dict, repr=False)
    _char_index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._word_index = {t: i for i, t in enumerate(self.word_terms)}
        self._char_index = {t: i for i, t in enumerate(self.char_terms)}
        self._max_word_idf = max(self.word_idf, default=1.0)
        self._max_char_idf = max(self.char_idf, default=1.0)
        # Near-copies come in clusters: the same row and table texts are vectorised once per
        # candidate pair unless remembered. Bounded so a huge corpus cannot grow it without end.
        self._vectors: dict[str, dict[str, float]] = {}
        self._part_counts: dict[str, tuple[Counter, Counter]] = {}
        self._bags: dict[tuple[str, ...], Bag] = {}
        self._blocks = (
            (self._word_index, self.word_idf, self._max_word_idf),
            (self._char_index, self.char_idf, self._max_char_idf),
        )

    @property
    def width(self) -> int:
        return len(self.word_terms) + len(self.char_terms)

    def to_json(self) -> dict:
        return {
            "word_terms": self.word_terms,
            "word_idf": [round(x, 6) for x in self.word_idf],
            "char_terms": self.char_terms,
            "char_idf": [round(x, 6) for x in self.char_idf],
        }

    @classmethod
    def from_json(cls, data: dict) -> Tfidf:
        return cls(data["word_terms"], data["word_idf"], data["char_terms"], data["char_idf"])

    def idf_of(self, word: str) -> float:
        """idf of a word (the highest idf for a word the corpus never saw)."""
        i = self._word_index.get(word)
        return self.word_idf[i] if i is not None else self._max_word_idf

    # -- known terms only: the classifier's feature space -------------------------------------

    def _block(self, feats: list[str], index: dict[str, int], idf: list[float], offset: int) -> list[tuple[int, float]]:
        counts = Counter(f for f in feats if f in index)
        cells = [(index[f], (1.0 + math.log(c)) * idf[index[f]]) for f, c in counts.items()]
        norm = math.sqrt(sum(v * v for _, v in cells))
        if norm == 0:
            return []
        return sorted((offset + i, v / norm * _SCALE) for i, v in cells)

    def row_cells(self, text: str) -> list[tuple[int, float]]:
        return self._block(word_features(text), self._word_index, self.word_idf, 0) + self._block(
            char_features(text), self._char_index, self.char_idf, len(self.word_terms)
        )

    def matrix(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR arrays (indptr, indices, data) of the texts in the fitted feature space."""
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            for i, v in self.row_cells(text):
                indices.append(i)
                data.append(v)
            indptr.append(len(indices))
        return np.asarray(indptr, dtype=np.int64), np.asarray(indices, dtype=np.int64), np.asarray(data, dtype=np.float64)

    # -- open vocabulary: comparing texts with each other ---------------------------------------

    def vector(self, text: str) -> dict[str, float]:
        """A sparse vector keyed by term; unseen terms are kept with the highest idf (a word the
        corpus never saw is as specific as a word can be). Callers must not modify it."""
        cached = self._vectors.get(text)
        if cached is not None:
            return cached
        if len(self._vectors) >= 50000:
            self._vectors.clear()
        out = self._vectors[text] = self._weigh(*self._counts(text))
        return out

    def bag(self, parts: tuple[str, ...]) -> Bag:
        """Several texts taken as one bag of terms (a table's title, goals and rows), counted part
        by part: no word or n-gram runs across two parts, and each part is segmented once."""
        found = self._bags.get(parts)
        if found is None:
            if len(self._bags) >= 50000:
                self._bags.clear()
            found = self._bags[parts] = Bag(self, parts)
        return found

    def weight(self, block: int, term: str, count: int) -> float:
        """Sublinear tf times idf of a term in the word (0) or character (1) block."""
        index, idf, top = self._blocks[block]
        i = index.get(term)
        return (1.0 + math.log(count)) * (idf[i] if i is not None else top)

    def _counts(self, text: str) -> tuple[Counter, Counter]:
        found = self._part_counts.get(text)
        if found is None:
            if len(self._part_counts) >= 50000:
                self._part_counts.clear()
            found = self._part_counts[text] = (Counter(word_features(text)), Counter(char_features(text)))
        return found

    def _weigh(self, words: Counter, chars: Counter) -> dict[str, float]:
        out: dict[str, float] = {}
        for prefix, counts, (index, idf, top) in (("w:", words, self._blocks[0]), ("c:", chars, self._blocks[1])):
            cells = {prefix + f: (1.0 + math.log(c)) * (idf[index[f]] if f in index else top) for f, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in cells.values()))
            if norm:
                for k, v in cells.items():
                    out[k] = v / norm * _SCALE
        return out


class Bag:
    """Term counts of several texts with each block's squared norm, so that the bag without some
    of its texts is compared with a text without weighing the whole bag again.

    `fit(text, without)` equals the cosine of `text` with the vector of the bag's texts but
    `without` (each block l2-normalised, as `Tfidf.vector`): only the terms of the texts left out
    and of `text` are looked at, where weighing the rest anew costs a pass over every term.
    """

    def __init__(self, tfidf: Tfidf, parts: tuple[str, ...]):
        self.tfidf = tfidf
        self.counts: tuple[Counter, Counter] = (Counter(), Counter())
        for part in parts:
            for block, counts in enumerate(tfidf._counts(part)):
                self.counts[block].update(counts)
        self.norm2 = tuple(
            sum(tfidf.weight(b, t, c) ** 2 for t, c in self.counts[b].items()) for b in (0, 1)
        )

    def fit(self, text: str, without: tuple[str, ...] = ()) -> float:
        tfidf = self.tfidf
        row = tfidf.vector(text)
        row_norm = math.sqrt(sum(w * w for w in row.values()))
        removed: tuple[Counter, Counter] = (Counter(), Counter())
        for part in without:
            for block, counts in enumerate(tfidf._counts(part)):
                removed[block].update(counts)
        dot = 0.0
        blocks = 0
        for block, prefix in ((0, "w:"), (1, "c:")):
            have, gone = self.counts[block], removed[block]
            norm2 = self.norm2[block]
            for term, n in gone.items():
                c = have[term]
                norm2 -= tfidf.weight(block, term, c) ** 2
                if c > n:
                    norm2 += tfidf.weight(block, term, c - n) ** 2
            if norm2 <= 1e-12:
                continue
            blocks += 1
            part_dot = 0.0
            for key, w in row.items():
                if key.startswith(prefix):
                    term = key[2:]
                    c = have.get(term, 0) - gone.get(term, 0)
                    if c > 0:
                        part_dot += w * tfidf.weight(block, term, c)
            dot += part_dot / math.sqrt(norm2) * _SCALE
        bag_norm = math.sqrt(0.5 * blocks)
        return dot / (row_norm * bag_norm) if row_norm and bag_norm else 0.0


def cosine(u: dict[str, float], v: dict[str, float]) -> float:
    if len(u) > len(v):
        u, v = v, u
    dot = sum(w * v.get(k, 0.0) for k, w in u.items())
    nu = math.sqrt(sum(w * w for w in u.values()))
    nv = math.sqrt(sum(w * w for w in v.values()))
    return dot / (nu * nv) if nu and nv else 0.0


def add(vectors: list[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for vec in vectors:
        for k, w in vec.items():
            out[k] = out.get(k, 0.0) + w
    return out


def sparse_dot(csr: tuple[np.ndarray, np.ndarray, np.ndarray], weights: np.ndarray) -> np.ndarray:
    """(n × d sparse) @ (d × k dense) with numpy alone."""
    indptr, indices, data = csr
    n = len(indptr) - 1
    out = np.zeros((n, weights.shape[1]), dtype=np.float64)
    if len(indices) == 0:
        return out
    contrib = data[:, None] * weights[indices]
    rows = np.repeat(np.arange(n), np.diff(indptr))
    np.add.at(out, rows, contrib)
    return out


def fit_tfidf(texts: list[str], min_df: int = 2) -> tuple[Tfidf, object]:
    """Fit both vectorizers with scikit-learn (build time only); returns the artifact and the
    scikit-learn matrix of `texts` (scaled like `Tfidf.matrix`) for training the classifier."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    wv = TfidfVectorizer(analyzer=word_features, sublinear_tf=True, min_df=min_df, norm="l2", dtype=np.float64)
    cv = TfidfVectorizer(analyzer=char_features, sublinear_tf=True, min_df=min_df, norm="l2", dtype=np.float64)
    xw = wv.fit_transform(texts)
    xc = cv.fit_transform(texts)
    w_terms = sorted(wv.vocabulary_, key=wv.vocabulary_.get)
    c_terms = sorted(cv.vocabulary_, key=cv.vocabulary_.get)
    model = Tfidf(w_terms, [float(x) for x in wv.idf_], c_terms, [float(x) for x in cv.idf_])
    matrix = (hstack([xw, xc]).tocsr() * _SCALE).tocsr()
    return model, matrix
