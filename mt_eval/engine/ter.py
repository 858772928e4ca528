"""TER segment statistics, identical to sacrebleu's ``TER``.

A row is ``[edits, average reference length]``: the fewest edits (shifts
plus word edits) over the references, and the mean of their lengths.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .ter_core import edits_many


def ter_statistics(hyps_by_system: Sequence[Sequence[str]], refs: Sequence[Sequence[str]], *,
                   preprocess: Callable[[str], str]) -> list[np.ndarray]:
    """Statistics ``(segments, 2)`` per system (float64, as sacrebleu's
    average reference length may be fractional)."""
    if any(len(r) == 0 for r in refs):
        raise ValueError("every segment needs at least one reference")
    # sacrebleu tokenizes references twice (in _cache_references and again
    # in _extract_reference_info), and tercom normalisation is not
    # idempotent ("..1" -> ". .1" -> ". . 1"): so do we.
    ref_words = [[preprocess(preprocess(r)).split() for r in rs] for rs in refs]
    out = []
    for hyps in hyps_by_system:
        pairs = []
        owners = []
        for i, (h, rws) in enumerate(zip(hyps, ref_words)):
            hw = preprocess(h).split()
            for rw in rws:
                pairs.append((hw, rw))
                owners.append(i)
        edits = edits_many(pairs)
        st = np.zeros((len(refs), 2), dtype=np.float64)
        best = np.full(len(refs), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, np.asarray(owners, dtype=np.int64), np.asarray(edits, dtype=np.int64))
        st[:, 0] = best
        # sacrebleu: sum of the reference lengths (ints) / number of references
        st[:, 1] = [sum(len(rw) for rw in rws) / len(rws) for rws in ref_words]
        out.append(st)
    return out
