"""Omission and addition by length ratio (``LR…``).

The log ratio of translation to source length (characters, smoothed by 10)
is modelled per language pair as normal, with a mean and a variance that
shrinks with the source length (``var = a + b / len(source)``), fitted on
human translations by ``bench/calibrate_length.py`` (``data/length_ratio.tsv``).
A pair without a calibration uses the reverse pair's, or a wide default.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Iterable

from ._data import data_rows
from .base import Category, Detector, Finding, Option, Segment, Severity
from .registry import register

SMOOTH = 10
# Uncalibrated pairs: no expected expansion and a variance wider than any
# calibrated pair, so that only gross mismatches are flagged.
DEFAULT = (0.0, 0.025, 1.0)


@lru_cache(maxsize=1)
def _models() -> dict[str, tuple[float, float, float]]:
    return {pair: (float(mu), float(a), float(b)) for pair, mu, a, b, _n, _src in data_rows("length_ratio.tsv", 6)}


def model(src_lang: str | None, tgt_lang: str | None) -> tuple[tuple[float, float, float], bool]:
    """``((mu, a, b), calibrated)`` for a language pair."""
    s = (src_lang or "").split("-")[0].lower()
    t = (tgt_lang or "").split("-")[0].lower()
    m = _models()
    if f"{s}-{t}" in m:
        return m[f"{s}-{t}"], True
    if f"{t}-{s}" in m:
        mu, a, b = m[f"{t}-{s}"]
        return (-mu, a, b), True
    return DEFAULT, False


def z_score(src: str, hyp: str, params: tuple[float, float, float]) -> float:
    mu, a, b = params
    ls, lt = len(src.strip()), len(hyp.strip())
    y = math.log((lt + SMOOTH) / (ls + SMOOTH))
    return (y - mu) / math.sqrt(a + b / max(ls, 1))


class _Length(Detector):
    groups = ("length", "accuracy")
    severity = Severity.MAJOR
    needs = frozenset({"hypothesis", "source"})
    options = {"max_z": Option(3.5, "standard deviations from the expected length ratio before flagging"),
               "min_source_chars": Option(20, "sources shorter than this are not judged")}

    def _z(self, seg: Segment) -> tuple[float, float] | None:
        src = seg.source
        if len(src.strip()) < self.opts["min_source_chars"] or not seg.hypothesis.strip():
            return None  # empty output is EM001's business
        params, calibrated = model(seg.src_lang, seg.tgt_lang)
        expected = math.exp(params[0]) * (len(src.strip()) + SMOOTH) - SMOOTH
        return z_score(src, seg.hypothesis, params), expected


@register
class TooShort(_Length):
    """The translation is much shorter than its source warrants: likely omission.

    The expected length comes from a model of human translations for the
    language pair (``data/length_ratio.tsv``; fr-en, en-fr, en-de calibrated,
    other pairs a wide default); a finding is raised beyond ``max_z``
    standard deviations.

    Why: MT drops clauses, especially in long or badly segmented input;
    the output stays fluent, so only the length gives it away.

    Example: a 200-character French source translated by "The army took
    Kidal." (19 characters).
    """
    code = "LR001"
    name = "length.too-short"
    category = Category.OMISSION

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        zr = self._z(seg)
        if zr is None or zr[0] >= -self.opts["max_z"]:
            return
        z, expected = zr
        hyp = seg.hypothesis
        yield self.finding(seg, 0, len(seg.source.rstrip()),
                           f"translation has {len(hyp.strip())} characters where about {expected:.0f} are expected "
                           f"(z = {z:.1f}): part of the source is probably missing", side="source",
                           z=round(z, 2))


@register
class TooLong(_Length):
    """The translation is much longer than its source warrants: likely addition.

    Same model as LR001, other tail.

    Why: neural MT hallucinates content (and repeats itself) on short or
    noisy input; scraped text adds boilerplate to one side only.

    Example: the source "L'armée a pris Kidal mardi." translated as a
    paragraph that goes on about the town's history and the elections.
    Sources shorter than ``min_source_chars`` are not judged (a one-word
    source says too little about the length to expect).
    """
    code = "LR002"
    name = "length.too-long"
    category = Category.ADDITION

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        zr = self._z(seg)
        if zr is None or zr[0] <= self.opts["max_z"]:
            return
        z, expected = zr
        hyp = seg.hypothesis
        start = len(hyp) - len(hyp.lstrip())
        yield self.finding(seg, start, len(hyp.rstrip()),
                           f"translation has {len(hyp.strip())} characters where about {expected:.0f} are expected "
                           f"(z = {z:.1f}): it probably adds content", z=round(z, 2))
