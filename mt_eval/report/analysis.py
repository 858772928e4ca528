"""compare-mt style analyses (Neubig et al., 2019) over a scored corpus.

* :func:`length_buckets` — corpus-level score of each system on the
  segments whose reference length falls in a bucket.  Bucket scores are
  aggregated from the same sufficient statistics as the corpus score (not
  averaged sentence scores), so the ``all`` bucket equals the corpus score.
* :func:`word_accuracy_by_frequency` — word precision, recall and F-measure
  of each system, with words bucketed by how often they occur in the
  references.  compare-mt counts frequency in the training data when it is
  given; a report has no training data, so frequency comes from this
  corpus's references (rare words here are rare in this test set).
* :class:`NgramTable` — the n-grams that one system matches in the
  reference much more often than another (compare-mt's ``match`` scoring with
  smoothing ``alpha``).
* :func:`distribution` — summary statistics and a histogram of sentence
  scores.

Words are sacrebleu's ``13a`` tokens (what BLEU counts), case kept.
"""
from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from typing import Sequence

import numpy as np

LENGTH_CUTOFFS = (10, 20, 30, 40, 50, 60)
# Reference-corpus frequency buckets: 0 (not in any reference), 1, 2, 3-4,
# 5-9, 10-99, 100-999, >= 1000; compare-mt's default cut-offs.
FREQ_CUTOFFS = (1, 2, 3, 5, 10, 100, 1000)
NGRAM_ORDER = 4
NGRAM_ALPHA = 1.0


@lru_cache(maxsize=1)
def _tokenizer():
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    return Tokenizer13a()


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    tok = _tokenizer()
    return [tok(t).split() if t else [] for t in texts]


def bucket_labels(cutoffs: Sequence[int], *, first: int = 0) -> list[dict]:
    """Half-open integer buckets ``[low, high)`` cut at ``cutoffs``; the
    last bucket has ``high = None``."""
    out = []
    low = first
    for c in list(cutoffs) + [None]:
        if c is None:
            out.append({"label": f"≥ {low}", "low": low, "high": None})
        elif c > low:
            label = str(low) if c - low == 1 else f"{low}–{c - 1}"
            out.append({"label": label, "low": low, "high": c})
        low = c if c is not None else low
    return out


def bucket_index(values: np.ndarray, cutoffs: Sequence[int]) -> np.ndarray:
    return np.searchsorted(np.asarray(cutoffs), values, side="right")


def length_buckets(lengths: Sequence[int], stats: dict[tuple[str, str], np.ndarray],
                   metrics, systems: Sequence[str],
                   cutoffs: Sequence[int] = LENGTH_CUTOFFS) -> dict:
    """Per bucket of reference length (in words), each system's corpus score.

    ``lengths`` and every statistics matrix cover the same (scored)
    segments, in the same order.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    idx = bucket_index(lengths, cutoffs)
    buckets = bucket_labels(cutoffs)
    for b, spec in enumerate(buckets):
        spec["count"] = int(np.sum(idx == b))
    scores: dict[str, dict[str, list]] = {}
    for m in metrics:
        per_sys = {}
        for s in systems:
            st = stats[(s, m.name)]
            row = []
            for b in range(len(buckets)):
                rows = st[idx == b]
                row.append(float(m.aggregate(rows).value) if len(rows) else None)
            per_sys[s] = row
        scores[m.name] = per_sys
    return {"unit": "reference words (13a tokens)", "buckets": buckets, "scores": scores}


def length_ratio_buckets(hyp_lengths: dict[str, Sequence[int]], ref_lengths: Sequence[int]) -> dict:
    """How many segments of each system are much shorter or longer than their
    reference (compare-mt's length-difference analysis, as ratios so that
    long and short sentences compare)."""
    cut = (0.5, 0.8, 0.95, 1.05, 1.25, 2.0)
    labels = ["< 0.5", "0.5–0.8", "0.8–0.95", "0.95–1.05", "1.05–1.25", "1.25–2", "≥ 2"]
    ref = np.maximum(np.asarray(ref_lengths, dtype=float), 1.0)
    counts = {}
    for s, lens in hyp_lengths.items():
        ratio = np.asarray(lens, dtype=float) / ref
        idx = np.searchsorted(np.asarray(cut), ratio, side="right")
        counts[s] = np.bincount(idx, minlength=len(labels)).astype(int).tolist()
    return {"unit": "hypothesis words / reference words", "buckets": labels, "counts": counts}


def word_accuracy_by_frequency(hyp_tokens: dict[str, list[list[str]]], ref_tokens: list[list[str]],
                               cutoffs: Sequence[int] = FREQ_CUTOFFS) -> dict:
    """Word precision/recall/F-measure per reference-frequency bucket.

    A word of a sentence matches as many times as it occurs in both the
    hypothesis and the reference (clipped counts).  Recall counts reference
    words, precision hypothesis words, each in the bucket of the word's
    frequency in all references.
    """
    freq: Counter[str] = Counter()
    for toks in ref_tokens:
        freq.update(toks)
    buckets = bucket_labels(cutoffs)
    nb = len(buckets)
    cut = np.asarray(cutoffs)
    bucket_of: dict[str, int] = {}

    def bucket(w: str) -> int:
        b = bucket_of.get(w)
        if b is None:
            b = bucket_of[w] = int(np.searchsorted(cut, freq.get(w, 0), side="right"))
        return b

    ref_counts = [Counter(t) for t in ref_tokens]
    ref_total = [0] * nb
    for rc in ref_counts:
        for w, c in rc.items():
            ref_total[bucket(w)] += c
    out: dict[str, dict[str, list]] = {}
    for system, hyps in hyp_tokens.items():
        match = [0] * nb
        hyp_total = [0] * nb
        for toks, rc in zip(hyps, ref_counts):
            for w, c in Counter(toks).items():
                b = bucket(w)
                hyp_total[b] += c
                r = rc.get(w)
                if r:
                    match[b] += min(c, r)
        prec = [m / h if h else None for m, h in zip(match, hyp_total)]
        rec = [m / r if r else None for m, r in zip(match, ref_total)]
        f = [2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else
             (0.0 if p is not None and r is not None else None) for p, r in zip(prec, rec)]
        out[system] = {"precision": prec, "recall": rec, "fmeasure": f,
                       "matches": match, "hypothesis_words": hyp_total}
    return {"unit": "frequency of the word in the references", "buckets": buckets,
            "reference_words": ref_total, "systems": out}


def ngram_counts(toks: list[str], max_n: int) -> Counter:
    """Counts of every n-gram (1..max_n) of one sentence, as token tuples."""
    c: Counter = Counter()
    for n in range(1, max_n + 1):
        c.update(zip(*[toks[i:] for i in range(n)]))
    return c


def ngram_matches(hyp_tokens: list[list[str]], ref_ngrams: list[Counter], max_n: int = NGRAM_ORDER) -> Counter:
    """Corpus-wide clipped reference matches of every n-gram (1..max_n)."""
    total: Counter = Counter()
    for toks, rc in zip(hyp_tokens, ref_ngrams):
        hc = ngram_counts(toks, max_n)
        for g in hc.keys() & rc.keys():
            a, b = hc[g], rc[g]
            total[g] += a if a < b else b
    return total


class NgramTable:
    """Clipped match counts of several systems over one n-gram vocabulary,
    so that comparing any pair is a few array operations."""

    def __init__(self, matches: dict[str, Counter]):
        vocab = sorted(set().union(*matches.values()), key=" ".join)
        index = {g: i for i, g in enumerate(vocab)}
        self.ngrams = [" ".join(g) for g in vocab]
        self.counts = {}
        for s, m in matches.items():
            arr = np.zeros(len(vocab), dtype=np.int64)
            if m:
                arr[np.fromiter((index[g] for g in m), dtype=np.int64, count=len(m))] = \
                    np.fromiter(m.values(), dtype=np.int64, count=len(m))
            self.counts[s] = arr

    def differences(self, a: str, b: str, top: int = 25, alpha: float = NGRAM_ALPHA) -> dict:
        """The n-grams system ``a`` matches more than ``b`` and vice versa.

        Score of an n-gram: ``(a + alpha) / (a + b + 2 alpha)`` where ``a``
        and ``b`` are its clipped reference matches in each system; 1 means
        only ``a`` gets it.  Ties break on the larger difference, then
        alphabetically, so the lists are deterministic.
        """
        ca, cb = self.counts[a], self.counts[b]
        score = (ca + alpha) / (ca + cb + 2 * alpha)
        diff = ca - cb
        ids = np.arange(len(ca))

        def pick(mask: np.ndarray, key_score: np.ndarray, key_diff: np.ndarray) -> list[dict]:
            sel = ids[mask]
            order = np.lexsort((sel, -key_diff[sel], key_score[sel]))[:top]
            return [{"ngram": self.ngrams[i], "n": self.ngrams[i].count(" ") + 1, "a": int(ca[i]),
                     "b": int(cb[i]), "score": float(score[i])} for i in sel[order]]

        return {"alpha": alpha, "a_better": pick(diff > 0, -score, diff),
                "b_better": pick(diff < 0, score, -diff)}


def distribution(values: Sequence[float], *, bins: Sequence[float] | None = None) -> dict:
    """Quartiles, Tukey whiskers, mean and a histogram of finite values."""
    v = np.asarray([x for x in values if x is not None and math.isfinite(x)], dtype=float)
    if bins is None:
        bins = list(range(0, 101, 10))
    if not len(v):
        return {"n": 0}
    q1, med, q3 = (float(x) for x in np.percentile(v, [25, 50, 75]))
    iqr = q3 - q1
    lo_w = float(v[v >= q1 - 1.5 * iqr].min())
    hi_w = float(v[v <= q3 + 1.5 * iqr].max())
    edges = list(bins)
    # The last bin is closed and open-ended, so scores above the top edge
    # (TER can exceed 100) are counted, not dropped.
    idx = np.clip(np.searchsorted(np.asarray(edges[1:-1]), v, side="right"), 0, len(edges) - 2)
    counts = np.bincount(idx, minlength=len(edges) - 1).astype(int).tolist()
    return {"n": int(len(v)), "min": float(v.min()), "q1": q1, "median": med, "q3": q3,
            "max": float(v.max()), "mean": float(v.mean()), "whisker_low": lo_w, "whisker_high": hi_w,
            "histogram": {"edges": edges, "counts": counts}}
