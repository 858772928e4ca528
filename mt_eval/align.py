"""Sentence alignment of a source text and its translation.

Length-based dynamic programming in the manner of Gale & Church (1993),
with anchors (numbers, capitalised words, quotes, question and exclamation
marks) that pull sentences sharing them together.  It is used where the two
sides of a segment or document are split into sentences differently (a
French paragraph of three sentences translated as two English sentences).

:func:`align` returns *beads*: pairs of index tuples ``((i, ...), (j, ...))``
covering both sequences in order, each bead 0-2 sentences per side.
"""
from __future__ import annotations

import math
import re
from typing import Sequence

_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Ý][\w'-]{2,}")
_MARKS = ("?", "!", "«", "“", '"', ":")
# (source sentences, target sentences) per bead, with a fixed penalty: 1-1
# is the norm, the others are rarer (Gale & Church's priors, rounded).
_MOVES = ((1, 1, 0.0), (1, 2, 2.0), (2, 1, 2.0), (1, 0, 4.5), (0, 1, 4.5), (2, 2, 3.0))


def anchors(sentence: str) -> set[str]:
    """The tokens a sentence shares with its translation whatever the language."""
    out = {m.group(0).replace(",", ".") for m in _NUM.finditer(sentence)}
    out |= {m.group(0).lower() for m in _CAP.finditer(sentence)}
    out |= {c for c in _MARKS if c in sentence}
    return out


def _cost(src: Sequence[str], tgt: Sequence[str], ratio: float) -> float:
    ls = sum(len(s) for s in src)
    lt = sum(len(t) for t in tgt)
    length = abs(math.log((lt + 10) / (ls * ratio + 10))) * 4.0
    a = set().union(*(anchors(s) for s in src)) if src else set()
    b = set().union(*(anchors(t) for t in tgt)) if tgt else set()
    shared = len(a & b)
    union = len(a | b)
    bonus = 2.0 * shared / union if union else 0.0
    return length - bonus


def align(src: Sequence[str], tgt: Sequence[str], ratio: float | None = None
          ) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Beads aligning ``src`` and ``tgt`` sentences (see the module doc).

    ``ratio`` is the expected target/source length ratio; by default the
    ratio of the two texts' total lengths.
    """
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        return [((i,), ()) for i in range(n)] + [((), (j,)) for j in range(m)]
    if ratio is None:
        ratio = max(0.3, min(3.0, (sum(map(len, tgt)) + 1) / (sum(map(len, src)) + 1)))
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == inf:
                continue
            for di, dj, penalty in _MOVES:
                ni, nj = i + di, j + dj
                if ni > n or nj > m:
                    continue
                c = here + penalty + _cost(src[i:ni], tgt[j:nj], ratio)
                if c < best[ni][nj]:
                    best[ni][nj] = c
                    back[ni][nj] = (di, dj)
    beads = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def target_to_source(beads) -> dict[int, tuple[int, ...]]:
    """For each target sentence index, the source sentence indices of its bead."""
    out: dict[int, tuple[int, ...]] = {}
    for s, t in beads:
        for j in t:
            out[j] = s
    return out
