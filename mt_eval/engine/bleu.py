"""BLEU segment statistics, identical to sacrebleu's ``BLEU``.

A row is ``[hyp_len, ref_len, correct_1..N, total_1..N]``: ``ref_len`` is the
closest reference length (the shorter on ties), ``correct_n`` clips each
hypothesis n-gram count by its largest count in any one reference.
Tokenization is sacrebleu's own (``preprocess`` is the metric's
``_preprocess_segment``), except for its default ``13a`` tokenizer, which
:mod:`.tok13a` reproduces for a whole chunk at once.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .chrf import RefLayout
from .ngrams import ChunkGrams, Sequences, match_max_ref, match_single, ngram_totals, word_sequences


def closest_ref_len(hyp_len: np.ndarray, ref_len: np.ndarray, layout: RefLayout) -> np.ndarray:
    """Per segment, the reference length closest to the hypothesis length;
    the shorter one on ties (as sacrebleu's ``_get_closest_ref_len``)."""
    if layout.single:
        return ref_len
    diff = np.abs(hyp_len[layout.ref_seg] - ref_len)
    # lexicographic minimum of (diff, ref_len) per segment
    key = diff * (int(ref_len.max(initial=0)) + 1) + ref_len
    starts = layout.ref_first
    best = np.minimum.reduceat(key, starts)
    return best % (int(ref_len.max(initial=0)) + 1)


def bleu_statistics(hyps_by_system: Sequence[Sequence[str]], refs: Sequence[Sequence[str]], *,
                    preprocess: Callable[[str], str] | None = None,
                    tokenize_13a: bool | None = None, lowercase: bool = False,
                    max_ngram_order: int = 4) -> list[np.ndarray]:
    """Statistics ``(segments, 2 + 2 * max_ngram_order)`` per system.

    Tokens are ``preprocess(text).split()``, or with ``tokenize_13a`` those
    of sacrebleu's 13a tokenizer (after ``lower()`` with ``lowercase``)."""
    n_sys = len(hyps_by_system)
    layout = RefLayout(refs)
    n_refs, n_segs = layout.n_refs, layout.n_segs
    texts = layout.flat + [h for hyps in hyps_by_system for h in hyps]
    if tokenize_13a:
        from .tok13a import token_ids_13a
        seqs = Sequences(*token_ids_13a(texts, lowercase))
    else:
        seqs = word_sequences([preprocess(t).split() for t in texts])
    grams = ChunkGrams(seqs, layout.ref_seg, layout.ref_slot, n_segs, n_sys)
    ref_len = seqs.lengths[:n_refs]
    out = []
    for k in range(n_sys):
        hyp_len = seqs.lengths[n_refs + k * n_segs: n_refs + (k + 1) * n_segs]
        st = np.zeros((n_segs, 2 + 2 * max_ngram_order), dtype=np.int64)
        st[:, 0] = hyp_len
        st[:, 1] = closest_ref_len(hyp_len, ref_len, layout)
        for n in range(1, max_ngram_order + 1):
            st[:, 1 + max_ngram_order + n] = ngram_totals(hyp_len, n)
        out.append(st)
    for n, ref_keys, hyp_keys, seg_shift in grams.orders(max_ngram_order):
        for k in range(n_sys):
            if layout.single:
                out[k][:, 1 + n] = match_single(ref_keys, hyp_keys[k], seg_shift, n_segs)
            else:
                out[k][:, 1 + n] = match_max_ref(ref_keys, hyp_keys[k], seg_shift, grams.slot_bits, n_segs)
    return out
