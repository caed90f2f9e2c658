"""Which statements say the same thing: TF-IDF over Vietnamese syllables and syllable pairs, average linkage.

Vietnamese words are mostly two syllables (`tập huấn`, `tài khoản`), so single syllables are ambiguous and
pairs carry the meaning; both are features. Text is folded to ASCII (`ascii_key`) so tone-placement variants
and missing diacritics do not split a theme. Clustering is agglomerative with average linkage: two groups
merge while the mean cosine similarity between their members reaches the threshold, which keeps a theme
from drifting by chaining (single linkage) and needs no number of themes up front. Everything is
deterministic: ties are broken by input order, and the input order is fixed by the caller.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tonghop.summarize.grounding import content_tokens

_BULLET_RE = re.compile(r"^\s*(?:[-+•*–]+|\(?[0-9]{1,2}[.)]|\(?[a-zđ][.)])\s+", re.IGNORECASE)
_DIGIT_RE = re.compile(r"\d")
# Beyond this many distinct statements in one group the pairwise matrix gets large (n² floats): fall back
# to a single greedy pass against cluster centroids.
MAX_AGGLOMERATIVE = 3000


def features(text: str) -> list[str]:
    """Content syllables and adjacent pairs of them; cached, as national rounds repeat template sentences."""
    return list(_features(text))


@lru_cache(maxsize=1 << 16)
def _features(text: str) -> tuple[str, ...]:
    tokens = content_tokens(_BULLET_RE.sub("", text))
    return (*tokens, *(f"{a}_{b}" for a, b in itertools.pairwise(tokens)))


@dataclass(frozen=True)
class Idf:
    """Document frequencies over a background collection (all statements of the run)."""

    df: Counter[str]
    n: int

    @classmethod
    def of(cls, docs: list[list[str]]) -> Idf:
        df: Counter[str] = Counter()
        for doc in docs:
            df.update(set(doc))
        return cls(df, len(docs))

    def weight(self, term: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0


def tfidf_matrix(docs: list[list[str]], idf: Idf | None = None) -> np.ndarray:
    """Rows are L2-normalised TF-IDF vectors (sublinear tf); idf from the docs themselves by default."""
    idf = idf or Idf.of(docs)
    terms = sorted({t for doc in docs for t in doc})
    vocab = {term: i for i, term in enumerate(terms)}
    weights = [idf.weight(term) for term in terms]
    matrix = np.zeros((len(docs), max(len(vocab), 1)), dtype=np.float64)
    for row, doc in enumerate(docs):
        for term, count in Counter(doc).items():
            column = vocab[term]
            matrix[row, column] = (1.0 + math.log(count)) * weights[column]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def average_linkage(similarity: np.ndarray, weights: list[int], threshold: float) -> list[list[int]]:
    """Clusters (lists of row indices, in input order) merged while average similarity >= threshold.

    `weights` are multiplicities (identical statements collapsed into one row), so the average is over
    statements, not distinct texts. Nearest neighbours are kept per row, so the whole run is O(n²).
    """
    n = similarity.shape[0]
    if n == 0:
        return []
    sim = similarity.astype(np.float64, copy=True)
    np.fill_diagonal(sim, -np.inf)
    size = np.asarray(weights, dtype=np.float64)
    members: list[list[int]] = [[i] for i in range(n)]
    alive = np.ones(n, dtype=bool)
    best = sim.max(axis=1)
    best_at = sim.argmax(axis=1)
    while True:
        i = int(np.argmax(best))
        if not best[i] >= threshold:
            break
        j = int(best_at[i])
        a, b = min(i, j), max(i, j)
        merged = (size[a] * sim[a] + size[b] * sim[b]) / (size[a] + size[b])
        merged[[a, b]] = -np.inf
        merged[~alive] = -np.inf
        sim[a, :] = merged
        sim[:, a] = merged
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        size[a] += size[b]
        members[a].extend(members[b])
        members[b] = []
        alive[b] = False
        best[b] = -np.inf
        stale = np.flatnonzero(alive & ((best_at == a) | (best_at == b)))
        stale = stale[stale != a]
        if stale.size:
            best[stale] = sim[stale].max(axis=1)
            best_at[stale] = sim[stale].argmax(axis=1)
        others = np.flatnonzero(alive & (sim[:, a] > best))
        best[others] = sim[others, a]
        best_at[others] = a
        best[a] = sim[a].max()
        best_at[a] = int(sim[a].argmax())
    return [sorted(m) for m in members if m]


def sparse_rows(docs: list[list[str]], idf: Idf | None = None) -> list[dict[str, float]]:
    """The rows of `tfidf_matrix` as term → weight maps: memory follows the terms used, not n × vocabulary."""
    idf = idf or Idf.of(docs)
    rows: list[dict[str, float]] = []
    for doc in docs:
        row = {term: (1.0 + math.log(count)) * idf.weight(term) for term, count in Counter(doc).items()}
        norm = math.sqrt(sum(v * v for v in row.values())) or 1.0
        rows.append({term: v / norm for term, v in row.items()})
    return rows


def greedy_centroids(rows: list[dict[str, float]], weights: list[int], threshold: float) -> list[list[int]]:
    """One pass: each row joins the most similar centroid above the threshold, or starts a new one.

    Centroids are kept as an inverted index (term → centroid → weight), so memory follows the terms the
    statements use, whatever their number; ties go to the oldest centroid.
    """
    index: dict[str, dict[int, float]] = {}
    norms_sq: list[float] = []
    members: list[list[int]] = []
    for row, vector in enumerate(rows):
        dots: dict[int, float] = {}
        for term, value in vector.items():
            for k, weight in index.get(term, {}).items():
                dots[k] = dots.get(k, 0.0) + weight * value
        best, best_score = -1, -math.inf
        for k in sorted(dots):
            score = dots[k] / (math.sqrt(norms_sq[k]) or 1.0)
            if score > best_score:
                best, best_score = k, score
        if best < 0 and norms_sq:
            best, best_score = 0, 0.0  # nothing shared: every centroid scores 0
        w = weights[row]
        self_sq = sum(v * v for v in vector.values())
        if best >= 0 and best_score >= threshold:
            norms_sq[best] += 2 * w * dots.get(best, 0.0) + w * w * self_sq
            members[best].append(row)
            target = best
        else:
            target = len(members)
            norms_sq.append(w * w * self_sq)
            members.append([row])
        for term, value in vector.items():
            column = index.setdefault(term, {})
            column[target] = column.get(target, 0.0) + w * value
    return members


def cluster(texts: list[str], threshold: float, idf: Idf | None = None) -> list[list[int]]:
    """Groups of indices into `texts` that say the same thing; identical statements always go together.

    Returns the groups ordered by their first member; members in input order.
    """
    if not texts:
        return []
    docs = [features(t) for t in texts]
    keys = [" ".join(doc) or f"\0{t}" for doc, t in zip(docs, texts, strict=True)]
    unique: dict[str, int] = {}
    rows_of: list[list[int]] = []
    for index, key in enumerate(keys):
        if key not in unique:
            unique[key] = len(rows_of)
            rows_of.append([])
        rows_of[unique[key]].append(index)
    unique_docs = [docs[rows[0]] for rows in rows_of]
    weights = [len(rows) for rows in rows_of]
    if len(unique_docs) > MAX_AGGLOMERATIVE:
        groups = greedy_centroids(sparse_rows(unique_docs, idf or Idf.of(docs)), weights, threshold)
    else:
        vectors = tfidf_matrix(unique_docs, idf or Idf.of(docs))
        # Rounded, so that BLAS summation order (threads, CPU) cannot flip a tie between two runs.
        groups = average_linkage(np.round(vectors @ vectors.T, 9), weights, threshold)
    result = [sorted(i for row in group for i in rows_of[row]) for group in groups]
    return sorted(result, key=lambda g: g[0])


def medoid(texts: list[str], idf: Idf | None = None) -> int:
    """Index of the statement closest on average to the others: the theme's most representative wording.

    Statements with figures lose a little (a commune's own numbers make a poor name for a shared theme).
    Ties go to the first statement.
    """
    if len(texts) == 1:
        return 0
    first: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for index, text in enumerate(texts):
        first.setdefault(text, index)
        counts[text] += 1
    unique = list(first)
    docs = [features(t) for t in unique]
    rows = sparse_rows(docs, idf or Idf.of(docs))
    weight = [counts[t] for t in unique]
    total = float(sum(weight))
    # Each statement's mean similarity to all, as one dot product with the weighted sum of the rows:
    # the same scores as the full similarity matrix times the weights, without the n × n matrix.
    centre: dict[str, float] = {}
    for row, w in zip(rows, weight, strict=True):
        for term, value in row.items():
            centre[term] = centre.get(term, 0.0) + w * value
    scores = np.round(
        np.asarray([sum(v * centre[t] for t, v in row.items()) / total for row in rows], dtype=np.float64), 9
    )
    scores -= np.asarray([0.05 if _DIGIT_RE.search(t) else 0.0 for t in unique])
    return first[unique[int(np.argmax(scores))]]
