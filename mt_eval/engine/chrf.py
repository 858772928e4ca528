"""chrF / chrF++ segment statistics, identical to sacrebleu's ``CHRF``.

For every order (character orders first, then word orders) a segment's
statistics are ``[hyp n-grams, ref n-grams, matches]``, where the hypothesis
count is 0 when the reference has no n-gram of that order, and with several
references the statistics of the reference with the best sentence F-score
(first one on ties) are kept.  The F-score used for that choice is
:func:`f_scores`, a vectorised copy of sacrebleu's ``_compute_f_score`` that
performs the same floating-point operations in the same order.
"""
from __future__ import annotations

from itertools import chain
from typing import Sequence

import numpy as np

from .ngrams import (ChunkGrams, Lexicon, Sequences, char_sequences, match_per_ref, match_single,
                     ngram_totals)
from .prefix import per_ref_matches, prefix_groups, sides, single_ref_matches

def _punctuation_lexicon() -> Lexicon:
    """chrF++ words: sacrebleu's own ``_remove_punctuation`` applied to each
    distinct word once.  It splits a line's ``str.split()`` words one by one
    (quirks included: ``(hi)`` gives ``(hi`` and ``)``), so a word's tokens do
    not depend on its neighbours."""
    global _LEXICON
    if _LEXICON is None:
        from sacrebleu.metrics.chrf import CHRF
        _LEXICON = Lexicon(CHRF(word_order=2)._remove_punctuation)
    return _LEXICON


_LEXICON: Lexicon | None = None


def f_scores(stats: np.ndarray, beta: int, eps_smoothing: bool) -> np.ndarray:
    """sacrebleu's chrF sentence score for every row of ``stats``."""
    stats = np.asarray(stats, dtype=np.int64)
    rows, order = stats.shape[0], stats.shape[1] // 3
    eps = 1e-16
    factor = beta ** 2
    score = np.zeros(rows)
    effective = np.zeros(rows, dtype=np.int64)
    avg_prec = np.zeros(rows)
    avg_rec = np.zeros(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(order):
            n_hyp, n_ref, n_match = stats[:, 3 * i], stats[:, 3 * i + 1], stats[:, 3 * i + 2]
            prec = np.where(n_hyp > 0, n_match / n_hyp, eps)
            rec = np.where(n_ref > 0, n_match / n_ref, eps)
            denom = factor * prec + rec
            score = score + np.where(denom > 0, (1 + factor) * prec * rec / denom, eps)
            both = (n_hyp > 0) & (n_ref > 0)
            avg_prec = np.where(both, avg_prec + prec, avg_prec)
            avg_rec = np.where(both, avg_rec + rec, avg_rec)
            effective += both
        if eps_smoothing:
            return 100 * score / order
        avg_prec = np.where(effective == 0, 0.0, avg_prec / effective)
        avg_rec = np.where(effective == 0, 0.0, avg_rec / effective)
        num = (1 + factor) * avg_prec * avg_rec
        out = 100 * (num / ((factor * avg_prec) + avg_rec))
    return np.where((avg_prec + avg_rec) != 0, out, 0.0)


def best_reference(f: np.ndarray, ref_seg: np.ndarray, n_segs: int) -> np.ndarray:
    """Index of the first reference with the highest score of each segment."""
    starts = np.flatnonzero(np.r_[True, ref_seg[1:] != ref_seg[:-1]])
    best = np.maximum.reduceat(f, starts)
    idx = np.arange(len(f))
    cand = np.where(f == best[ref_seg], idx, len(f))
    return np.minimum.reduceat(cand, starts)


def _order_stats(seqs: Sequences, max_order: int, layout: "RefLayout", n_sys: int,
                 out: list[np.ndarray], col: int) -> None:
    """Fill columns ``col..`` of each system's per-reference statistics."""
    n_refs, n_segs = layout.n_refs, layout.n_segs
    ref_len = seqs.lengths[:n_refs]

    def fill(n: int, matches) -> None:
        """Order ``n``'s hypothesis total, reference total and ``matches(k)``."""
        ref_total = ngram_totals(ref_len, n)
        c = col + 3 * (n - 1)
        for k in range(n_sys):
            hyp_len = seqs.lengths[n_refs + k * n_segs: n_refs + (k + 1) * n_segs]
            st = out[k]
            st[:, c] = np.where(ref_total > 0, ngram_totals(hyp_len, n)[layout.ref_seg], 0)
            st[:, c + 1] = ref_total
            st[:, c + 2] = matches(k)

    seq_seg, seq_side, n_sides = sides(layout.ref_seg, layout.ref_slot, n_segs, n_sys)
    groups = prefix_groups(seqs, seq_seg, seq_side, n_sides, n_sys, max_order, n_segs)
    if groups is not None:
        for n, group_seg, counts in groups:
            if layout.single:
                fill(n, lambda k: single_ref_matches(group_seg, counts, k, n_sys, n_segs))
            else:
                fill(n, lambda k: per_ref_matches(group_seg, counts, k, n_sys, layout.ref_first, n_refs))
        return
    # keys too wide for one sort (huge vocabulary): one sort per order
    grams = ChunkGrams(seqs, layout.ref_seg, layout.ref_slot, n_segs, n_sys)
    for n, ref_keys, hyp_keys, seg_shift in grams.orders(max_order):
        if layout.single:
            fill(n, lambda k: match_single(ref_keys, hyp_keys[k], seg_shift, n_segs))
        else:
            fill(n, lambda k: match_per_ref(ref_keys, hyp_keys[k], seg_shift, grams.slot_bits,
                                            layout.ref_first, n_refs))


class RefLayout:
    """Where each segment's references sit once flattened in segment order."""

    def __init__(self, refs: Sequence[Sequence[str]]):
        counts = np.fromiter(map(len, refs), dtype=np.int64, count=len(refs))
        if len(counts) and counts.min() == 0:
            raise ValueError("every segment needs at least one reference")
        self.n_segs = len(refs)
        self.flat = [r for rs in refs for r in rs]
        self.n_refs = len(self.flat)
        self.single = self.n_refs == self.n_segs
        self.ref_seg = np.repeat(np.arange(len(refs), dtype=np.int64), counts)
        self.ref_first = np.cumsum(counts) - counts
        self.ref_slot = np.arange(self.n_refs, dtype=np.int64) - self.ref_first[self.ref_seg]


def chrf_statistics(hyps_by_system: Sequence[Sequence[str]], refs: Sequence[Sequence[str]], *,
                    char_order: int = 6, word_order: int = 0, beta: int = 2,
                    lowercase: bool = False, whitespace: bool = False,
                    eps_smoothing: bool = False) -> list[np.ndarray]:
    """Statistics ``(segments, 3 * (char_order + word_order))`` per system.

    ``refs[i]`` holds the references of segment ``i`` (at least one).  All
    systems are processed together so reference n-grams are extracted once.
    """
    n_sys = len(hyps_by_system)
    layout = RefLayout(refs)
    n_refs = layout.n_refs
    texts = layout.flat + [h for hyps in hyps_by_system for h in hyps]
    if lowercase:
        texts = [t.lower() for t in texts]
    width = 3 * (char_order + word_order)
    per_ref = [np.zeros((n_refs, width), dtype=np.int64) for _ in range(n_sys)]
    # one split serves both the whitespace-free characters and the words
    word_lists = list(map(str.split, texts)) if word_order > 0 or not whitespace else None
    chars = texts if whitespace else list(map("".join, word_lists))
    _order_stats(char_sequences(chars), char_order, layout, n_sys, per_ref, 0)
    if word_order > 0:
        words_per_line = np.fromiter(map(len, word_lists), dtype=np.int64, count=len(word_lists))
        words = _punctuation_lexicon().sequences(list(chain.from_iterable(word_lists)), words_per_line)
        _order_stats(words, word_order, layout, n_sys, per_ref, 3 * char_order)
    if layout.single:
        return per_ref
    out = []
    for st in per_ref:
        pick = best_reference(f_scores(st, beta, eps_smoothing), layout.ref_seg, layout.n_segs)
        out.append(st[pick])
    return out
