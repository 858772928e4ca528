"""Source <-> translation agreement measured with a multilingual encoder.

Used by the cross-lingual detectors (``XL…``).  Three measurements per
segment, all cosines of e5-small sentence vectors:

* ``similarity``: source vs translation.  A translation of another
  sentence, or a hallucination, lands far below a real translation; an
  untranslated copy lands far *above* it (same language, same words).
* leave-one-out on the source: for each clause of the source, how much the
  similarity *rises* when that clause is removed from the source.  A clause
  the translation left out raises it (the rest matches the translation
  better); a translated clause lowers it.  -> omissions.
* the same on the translation: a clause with no counterpart in the source
  raises the similarity when removed.  -> additions.

Clauses are cut at sentence and clause punctuation (``. ! ? ; : ,`` and
dashes), pieces shorter than ``MIN_WORDS`` words merged into a neighbour,
so a one-clause segment has no leave-one-out test (too short to judge).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

MIN_WORDS = 4
_CUT = re.compile(r"(?<=[.!?;:,])\s+|\s+(?=[-–—]\s)")
_WORD = re.compile(r"\w+")


def clauses(text: str, min_words: int = MIN_WORDS) -> list[tuple[int, int]]:
    """Character spans of the clauses of ``text`` (at least ``min_words`` words each)."""
    spans, start = [], 0
    for m in _CUT.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text.rstrip())))
    spans = [(a, b) for a, b in spans if b > a]
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and len(_WORD.findall(text[merged[-1][0]:merged[-1][1]])) < min_words:
            merged[-1][1] = b   # a short piece joins the next one
        else:
            merged.append([a, b])
    if len(merged) > 1 and len(_WORD.findall(text[merged[-1][0]:merged[-1][1]])) < min_words:
        last = merged.pop()
        merged[-1][1] = last[1]
    return [(a, b) for a, b in merged]


def without(text: str, span: tuple[int, int]) -> str:
    a, b = span
    return (text[:a].rstrip() + " " + text[b:].lstrip()).strip()


@dataclass
class Agreement:
    similarity: float
    source_clauses: list[tuple[int, int]] = field(default_factory=list)
    source_gain: list[float] = field(default_factory=list)   # rise when a source clause is removed
    target_clauses: list[tuple[int, int]] = field(default_factory=list)
    target_gain: list[float] = field(default_factory=list)

    @property
    def omission(self) -> float:
        return max(self.source_gain, default=0.0)

    @property
    def addition(self) -> float:
        return max(self.target_gain, default=0.0)


def agreements(pairs: list[tuple[str, str]], encoder) -> list[Agreement]:
    """One :class:`Agreement` per ``(source, translation)``, every text encoded in one batch."""
    plans = []
    texts: list[str] = []
    for src, hyp in pairs:
        sc, hc = clauses(src), clauses(hyp)
        sc = sc if len(sc) > 1 else []
        hc = hc if len(hc) > 1 else []
        plans.append((src, hyp, sc, hc))
        texts += [src, hyp] + [without(src, s) for s in sc] + [without(hyp, s) for s in hc]
    unique = list(dict.fromkeys(texts))
    vecs = encoder.sentence_vectors(unique)
    at = {t: i for i, t in enumerate(unique)}

    def cos(a: str, b: str) -> float:
        return float(vecs[at[a]] @ vecs[at[b]])

    out = []
    for src, hyp, sc, hc in plans:
        base = cos(src, hyp)
        out.append(Agreement(
            base, sc, [cos(without(src, s), hyp) - base for s in sc],
            hc, [cos(src, without(hyp, s)) - base for s in hc]))
    return out
