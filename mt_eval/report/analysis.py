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
import re
from typing import Sequence

import numpy as np

LENGTH_CUTOFFS = (10, 20, 30, 40, 50, 60)
# Reference-corpus frequency buckets: 0 (not in any reference), 1, 2, 3-4,
# 5-9, 10-99, 100-999, >= 1000; compare-mt's default cut-offs.
FREQ_CUTOFFS = (1, 2, 3, 5, 10, 100, 1000)
NGRAM_ORDER = 4
NGRAM_ALPHA = 1.0


# sacrebleu's 13a tokenizer (mteval-v13a), reproduced so that a corpus is
# tokenized in one pass: its first rule (space around every symbol in these
# ranges) is a str.translate instead of a regex substitution per match,
# which is where sacrebleu spends its time.  The other rules are sacrebleu's
# own regexes, applied in the same order; tests compare the two on real text.
_SYMBOLS = {c: f" {chr(c)} " for lo, hi in (("{", "~"), ("[", "`"), (" ", "&"), ("(", "+"), (":", "@"),
                                              ("/", "/")) for c in range(ord(lo), ord(hi) + 1)}
_RULES = ((re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
          (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
          (re.compile(r"([0-9])(-)"), r"\1 \2 "))


def tokenize_13a(line: str) -> list[str]:
    """The tokens sacrebleu's ``13a`` tokenizer gives for ``line``."""
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} ".translate(_SYMBOLS)
    for rx, repl in _RULES:
        line = rx.sub(repl, line)
    return line.split()


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    return [tokenize_13a(t) if t else [] for t in texts]


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


class Tokens:
    """The tokenized references and systems of a corpus as integer ids.

    ``ids`` holds every token of the references (first) and then of each
    system's hypotheses, end to end; ``seg`` the segment each token belongs
    to and ``pos`` its position in it.  Counting on these arrays replaces one
    ``Counter`` per sentence, which keeps the analyses of a large corpus to a
    few numpy passes.
    """

    def __init__(self, ref_tokens: list[list[str]], hyp_tokens: dict[str, list[list[str]]]):
        self.systems = list(hyp_tokens)
        self.n_segments = len(ref_tokens)
        vocab: dict[str, int] = {}
        streams = [ref_tokens] + [hyp_tokens[s] for s in self.systems]
        flat = [w for stream in streams for toks in stream for w in toks]
        # setdefault assigns ids in order of first occurrence: deterministic.
        self.ids = np.fromiter((vocab.setdefault(w, len(vocab)) for w in flat), dtype=np.int64, count=len(flat))
        self.words = list(vocab)
        lengths = np.fromiter((len(t) for stream in streams for t in stream), dtype=np.int64)
        self.lengths = lengths
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        self.pos = np.arange(len(self.ids)) - np.repeat(starts, lengths)
        self.seg = np.repeat(np.arange(len(lengths)) % max(self.n_segments, 1), lengths)
        owner = np.repeat(np.arange(len(lengths)) // max(self.n_segments, 1), lengths)
        # stream 0 is the reference, stream k + 1 system k
        bounds = np.searchsorted(owner, np.arange(len(streams) + 1))
        self.spans = [(int(bounds[k]), int(bounds[k + 1])) for k in range(len(streams))]

    def stream(self, system: str | None) -> slice:
        k = 0 if system is None else 1 + self.systems.index(system)
        a, b = self.spans[k]
        return slice(a, b)


def _clipped(ref_keys: np.ndarray, hyp_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keys present in both, and min(hypothesis count, reference count)."""
    ru, rc = np.unique(ref_keys, return_counts=True)
    hu, hc = np.unique(hyp_keys, return_counts=True)
    common, ri, hi = np.intersect1d(ru, hu, assume_unique=True, return_indices=True)
    return common, np.minimum(rc[ri], hc[hi])


def word_accuracy_by_frequency(tokens: Tokens, cutoffs: Sequence[int] = FREQ_CUTOFFS) -> dict:
    """Word precision/recall/F-measure per reference-frequency bucket.

    A word of a sentence matches as many times as it occurs in both the
    hypothesis and the reference (clipped counts).  Recall counts reference
    words, precision hypothesis words, each in the bucket of the word's
    frequency in all references.
    """
    buckets = bucket_labels(cutoffs)
    nb = len(buckets)
    v = len(tokens.words)
    ref = tokens.stream(None)
    freq = np.bincount(tokens.ids[ref], minlength=v)
    bucket_of_word = bucket_index(freq, cutoffs)
    ref_total = np.bincount(bucket_of_word[tokens.ids[ref]], minlength=nb)
    ref_keys = tokens.seg[ref] * v + tokens.ids[ref]
    out: dict[str, dict[str, list]] = {}
    for system in tokens.systems:
        sl = tokens.stream(system)
        hyp_total = np.bincount(bucket_of_word[tokens.ids[sl]], minlength=nb)
        common, n = _clipped(ref_keys, tokens.seg[sl] * v + tokens.ids[sl])
        match = np.bincount(bucket_of_word[common % v], weights=n, minlength=nb).astype(np.int64)
        prec = [int(m) / int(h) if h else None for m, h in zip(match, hyp_total)]
        rec = [int(m) / int(r) if r else None for m, r in zip(match, ref_total)]
        f = [None if p is None or r is None else (2 * p * r / (p + r) if p + r > 0 else 0.0)
             for p, r in zip(prec, rec)]
        out[system] = {"precision": prec, "recall": rec, "fmeasure": f,
                       "matches": match.tolist(), "hypothesis_words": hyp_total.tolist()}
    return {"unit": "frequency of the word in the references", "buckets": buckets,
            "reference_words": ref_total.tolist(), "systems": out}


class NgramTable:
    """Corpus-wide clipped reference matches of every n-gram (n = 1..max_n)
    of every system, over one n-gram numbering shared by all systems, so
    that comparing any pair is a few array operations.

    N-grams are numbered order by order: an n-gram is the pair (number of its
    first n-1 tokens, last token), renumbered densely with ``np.unique``, so
    keys stay exact and small whatever the vocabulary.
    """

    def __init__(self, tokens: Tokens, max_n: int = NGRAM_ORDER):
        self.tokens = tokens
        v = len(tokens.words) + 1
        seg_len_all = np.repeat(tokens.lengths, tokens.lengths)
        ids = tokens.ids
        rank = ids.copy()
        self.orders: list[dict] = []
        self.counts: dict[str, list[np.ndarray]] = {s: [] for s in tokens.systems}
        for n in range(1, max_n + 1):
            valid = tokens.pos + n <= seg_len_all
            at = np.flatnonzero(valid)
            if n == 1:
                key = ids[at]
            else:
                key = rank[at] * v + ids[at + n - 1]
            uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            new_rank = np.full(len(ids), -1, dtype=np.int64)
            new_rank[at] = inverse
            rank = new_rank
            u = len(uniq)
            self.orders.append({"n": n, "size": u, "first": at[first]})
            ref = tokens.stream(None)
            in_ref = (at >= ref.start) & (at < ref.stop)
            ref_keys = tokens.seg[at[in_ref]] * u + inverse[in_ref]
            for system in tokens.systems:
                sl = tokens.stream(system)
                in_sys = (at >= sl.start) & (at < sl.stop)
                common, m = _clipped(ref_keys, tokens.seg[at[in_sys]] * u + inverse[in_sys])
                self.counts[system].append(np.bincount(common % u, weights=m, minlength=u).astype(np.int64))
        self.offsets = np.cumsum([0] + [o["size"] for o in self.orders])
        self.flat = {s: np.concatenate(c) if c else np.zeros(0, np.int64) for s, c in self.counts.items()}

    def text(self, index: int) -> str:
        """The n-gram of a flat index, tokens joined by a space."""
        k = int(np.searchsorted(self.offsets, index, side="right")) - 1
        order = self.orders[k]
        start = int(order["first"][index - self.offsets[k]])
        return " ".join(self.tokens.words[i] for i in self.tokens.ids[start:start + order["n"]])

    def matches(self, system: str) -> dict[str, int]:
        """n-gram text -> clipped matches, for the n-grams ``system`` matches."""
        arr = self.flat[system]
        return {self.text(i): int(arr[i]) for i in np.flatnonzero(arr)}

    def differences(self, a: str, b: str, top: int = 25, alpha: float = NGRAM_ALPHA) -> dict:
        """The n-grams system ``a`` matches more than ``b`` and vice versa.

        Score of an n-gram: ``(a + alpha) / (a + b + 2 alpha)`` where ``a``
        and ``b`` are its clipped reference matches in each system; 1 means
        only ``a`` gets it.  Ties break on the larger difference, then
        alphabetically, so the lists are deterministic.
        """
        ca, cb = self.flat[a], self.flat[b]
        score = (ca + alpha) / (ca + cb + 2 * alpha)
        diff = ca - cb

        def pick(sel: np.ndarray, key_score: np.ndarray, gap: np.ndarray) -> list[dict]:
            order = sel[np.lexsort((-gap[sel], key_score[sel]))]
            if len(order) > top:
                # Keep every n-gram tied with the last one kept, then break
                # those ties alphabetically.
                last = order[top - 1]
                tied = (key_score[order] == key_score[last]) & (gap[order] == gap[last])
                cut = top + int(np.sum(tied[top:]))
                order = order[:cut]
            rows = [(float(key_score[i]), -int(gap[i]), self.text(i), int(i)) for i in order]
            rows.sort()
            return [{"ngram": t, "n": t.count(" ") + 1, "a": int(ca[i]), "b": int(cb[i]),
                     "score": float(score[i])} for _, _, t, i in rows[:top]]

        return {"alpha": alpha, "a_better": pick(np.flatnonzero(diff > 0), -score, diff),
                "b_better": pick(np.flatnonzero(diff < 0), score, -diff)}


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
