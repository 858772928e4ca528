"""Shared n-gram counts of every order from one sort.

For match counting (``sum over n-grams g of min(hyp count, ref count)``,
per segment) the n-grams of each order used to be sorted separately.  Here
every position gets one integer key::

    segment | id_1 id_2 ... id_N | side

where ``id_1..id_N`` are the N symbols starting there (0 past the end of
its sequence; real ids are >= 1) and ``side`` says which hypothesis
(system) or which reference of the segment the position belongs to.  After
one sort, the positions sharing an n-gram of a segment are adjacent for
*every* order n <= N (lexicographic order keeps equal prefixes together),
so each order is a linear pass: group boundaries where the key's top bits
change, counts per (group, side) with one ``bincount``.  A group that lacks
a hypothesis or a reference cannot match at a higher order either (its
extensions are sub-groups), so it is dropped before the next order, and
the work shrinks as n grows.

Keys are exact, never hashes.  When they would not fit in 63 bits (large
vocabularies or high orders) :func:`prefix_groups` returns ``None`` and the
caller uses the per-order path of :mod:`.ngrams`.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .ngrams import Sequences, bits_for

_MAX_BITS = 63


def prefix_groups(seqs: Sequences, seq_seg: np.ndarray, seq_side: np.ndarray, n_sides: int,
                  n_hyp_sides: int, max_order: int, n_segs: int) -> Iterator[tuple[int, np.ndarray, np.ndarray]] | None:
    """Per order ``n``: ``(n, group_segment, counts)`` where ``counts[s][g]``
    is how often the g-th n-gram occurs on side ``s`` of its segment; only
    groups with a hypothesis side (``< n_hyp_sides``) and a reference side
    are listed.  ``None`` when the keys do not fit in 63 bits."""
    sym_bits = bits_for(seqs.vocab)
    side_bits = bits_for(n_sides - 1)
    seg_bits = bits_for(max(n_segs - 1, 0))
    if seg_bits + max_order * sym_bits + side_bits > _MAX_BITS:
        return None
    return _orders(seqs, seq_seg, seq_side, n_sides, n_hyp_sides, max_order, sym_bits, side_bits)


def _keys(seqs: Sequences, seq_seg, seq_side, max_order: int, sym_bits: int, side_bits: int) -> np.ndarray:
    ids, lengths = seqs.ids, seqs.lengths
    total = len(ids)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    key = ids.copy()
    for j in range(1, max_order):
        nxt = np.zeros(total, dtype=np.int64)
        nxt[:max(total - j, 0)] = ids[j:]
        # the last j positions of each sequence have no j-th successor
        r = np.arange(1, j + 1, dtype=np.int64)
        past = (ends[:, None] - r[None, :]).ravel()
        past = past[past >= np.repeat(starts, j)]
        nxt[past] = 0
        key <<= sym_bits
        key |= nxt
    high = (seq_seg << (max_order * sym_bits + side_bits)) | seq_side
    key <<= side_bits
    key |= np.repeat(high, lengths)
    key.sort()
    return key


def _orders(seqs, seq_seg, seq_side, n_sides, n_hyp_sides, max_order, sym_bits, side_bits):
    key = _keys(seqs, seq_seg, seq_side, max_order, sym_bits, side_bits)
    side_mask = (1 << side_bits) - 1
    sym_mask = (1 << sym_bits) - 1
    for n in range(1, max_order + 1):
        if len(key) == 0:
            yield n, np.zeros(0, dtype=np.int64), [np.zeros(0, dtype=np.int64)] * n_sides
            continue
        prefix = key >> (side_bits + (max_order - n) * sym_bits)
        first = np.empty(len(key), dtype=bool)
        first[0] = True
        np.not_equal(prefix[1:], prefix[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        sizes = np.diff(starts, append=len(key))
        side = key & side_mask
        # occurrences of the group's n-gram on each side; side 0 gets the rest
        counts = [sizes] + [np.add.reduceat(side if n_sides == 2 else (side == s).astype(np.int64), starts)
                            for s in range(1, n_sides)]
        for c in counts[1:]:
            counts[0] = counts[0] - c
        head = np.take(prefix, starts)
        keep = (head & sym_mask) != 0  # the n-th symbol is real: the n-gram exists
        keep &= _any(counts[:n_hyp_sides])
        keep &= _any(counts[n_hyp_sides:])
        yield n, np.compress(keep, head) >> (n * sym_bits), [np.compress(keep, c) for c in counts]
        if n < max_order:
            key = np.compress(np.repeat(keep, sizes), key)


def _any(columns: list[np.ndarray]) -> np.ndarray:
    out = columns[0] > 0
    for c in columns[1:]:
        out |= c > 0
    return out


def sides(ref_seg: np.ndarray, ref_slot: np.ndarray, n_segs: int, n_sys: int) -> tuple[np.ndarray, np.ndarray, int]:
    """``(segment, side, number of sides)`` of every sequence of a chunk laid
    out as references first, then each system's hypotheses: system ``k`` is
    side ``k``, reference slot ``j`` side ``n_sys + j``."""
    seq_seg = np.concatenate([ref_seg, np.tile(np.arange(n_segs, dtype=np.int64), n_sys)])
    seq_side = np.concatenate([n_sys + ref_slot, np.repeat(np.arange(n_sys, dtype=np.int64), n_segs)])
    n_slots = int(ref_slot.max(initial=0)) + 1
    return seq_seg, seq_side, n_sys + n_slots


def single_ref_matches(group_seg: np.ndarray, counts: list[np.ndarray], k: int, n_sys: int,
                       n_segs: int) -> np.ndarray:
    """Per segment, shared n-grams of system ``k`` and the only reference."""
    shared = np.minimum(counts[k], counts[n_sys])
    return np.bincount(group_seg, weights=shared, minlength=n_segs).astype(np.int64)


def per_ref_matches(group_seg: np.ndarray, counts: list[np.ndarray], k: int, n_sys: int,
                    ref_first: np.ndarray, n_refs: int) -> np.ndarray:
    """Per reference, n-grams it shares with system ``k``'s hypothesis."""
    out = np.zeros(n_refs, dtype=np.int64)
    for j in range(len(counts) - n_sys):
        shared = np.minimum(counts[k], counts[n_sys + j])
        some = shared > 0  # slot j exists wherever something is shared with it
        out += np.bincount(ref_first[group_seg[some]] + j, weights=shared[some],
                           minlength=n_refs).astype(np.int64)
    return out


def max_ref_matches(group_seg: np.ndarray, counts: list[np.ndarray], k: int, n_sys: int,
                    n_segs: int) -> np.ndarray:
    """Per segment, system ``k``'s n-gram counts clipped by their largest
    count in any one reference (BLEU)."""
    shared = np.maximum.reduce(counts[n_sys:]) if len(counts) > n_sys + 1 else counts[n_sys]
    shared = np.minimum(counts[k], shared)
    return np.bincount(group_seg, weights=shared, minlength=n_segs).astype(np.int64)
