"""Numbers, dates and times (``NM…``): lost or changed in translation, or
written with the other language's conventions."""
from __future__ import annotations

import re
from typing import Iterable

from ._numbers import atoms, match, spelled_values
from .base import Category, Detector, Finding, Segment, Severity
from .registry import register

SUPPORTED = ("en", "fr", "de", "es")
DIGIT = re.compile(r"\d")


def _lang(code: str | None, default: str) -> str:
    base = (code or "").split("-")[0].lower()
    return base if base in SUPPORTED else default


@register
class NumberMismatch(Detector):
    """A number, date or time of the source is missing or changed in the translation.

    Numbers are read by each language's conventions (French "1 234,5" is
    English "1,234.5"; "2,5 milliards" is "2.5 billion"; "14 novembre" is
    "November 14"; "12 h 30" is "12:30" or "12.30 pm"; "XXe siècle" is "20th
    century"), and a digit may be spelled out ("3" → "three").  When a number
    of the translation is left unmatched too, the finding sits on it
    ("changed"); otherwise it sits on the source number ("missing").

    Why: a wrong figure in a news story or a contract is a factual error,
    and keeping the source's convention changes the value for the reader
    ("3,000" in French reads as three).

    Example: source "3 000 manifestants" translated "3.000 protesters" flags
    "3.000" (3 for an English reader).
    """
    code = "NM001"
    name = "numbers.mismatch"
    groups = ("numbers", "accuracy")
    severity = Severity.MAJOR
    category = Category.MISTRANSLATION
    needs = frozenset({"hypothesis", "source"})

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        src, hyp = seg.source, seg.hypothesis
        if not DIGIT.search(src):
            return
        sl, tl = _lang(seg.src_lang, "en"), _lang(seg.tgt_lang, "en")
        missing, extra = match(atoms(src, sl), atoms(hyp, tl, any_month=True), spelled_values(hyp, tl))
        if not missing:
            return
        extra = [e for e in extra if e.kind != "month" or any(m.kind == "month" for m in missing)]
        if len(missing) == 1 and len(extra) == 1:
            a, b = missing[0], extra[0]
            yield self.finding(seg, b.start, b.end, f"the source has {a.text!r} but the translation has {b.text!r}",
                               source_span=[a.start, a.end])
            return
        for a in missing:
            what = {"time": "time", "month": "month"}.get(a.kind, "number")
            yield self.finding(seg, a.start, a.end, f"{what} {a.text!r} of the source is missing from the translation",
                               side="source")


# -- locale conventions of the target ---------------------------------------
_EN_COMMA_DECIMAL = re.compile(r"(?<![\d,.])\d+,\d{1,2}(?![\d,])|(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d+")
_EN_DOT_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![\d.,]\d)|(?<![\d.,])\d{1,3}\.000(?![\d.,]\d)")
_EN_FRENCH_TIME = re.compile(r"(?<![\w:])(?:[01]?\d|2[0-3]) ?h ?[0-5]\d(?!\d)")
_FR_COMMA_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")
_FR_DOT_DECIMAL = re.compile(
    r"(?<![\d.,\w])\d+\.\d{1,2}(?![\d.])(?=\s?(?:%|€|\$|£|millions?|milliards?|euros?|dollars?|km|kg|points?|degrés|°))")
_FR_MONTH_FIRST = re.compile(
    r"\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{1,2}\b(?! ?(?:h|heures|:))")


@register
class NumberFormat(Detector):
    """A number or date written with the source language's conventions.

    English targets: a decimal comma ("2,5 million"), French grouping with a
    decimal comma ("1 234,5"), dots grouping thousands ("836.000"), French
    times ("12 h 30").  French targets:
    English thousands commas ("3,000", which reads as 3), a decimal point
    before a unit or amount ("2.5 millions"), month-first dates
    ("novembre 14").

    Why: even when a reader can guess, a wrong convention looks
    untranslated, and a grouping comma in French changes the value.

    Example: "growth of 2,5 %" in English flags "2,5", suggesting "2.5".
    """
    code = "NM002"
    name = "numbers.locale-format"
    groups = ("numbers", "locale")
    severity = Severity.MINOR
    category = Category.LOCALE
    languages = ("en", "fr")

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        if not DIGIT.search(text):
            return
        lang = _lang(seg.tgt_lang, "")
        if lang == "en":
            for m in _EN_COMMA_DECIMAL.finditer(text):
                if re.search(r"\d,\d+,\d", text[max(0, m.start() - 3):m.end() + 3]):
                    continue  # a list "1,2,3", not a number
                fixed = m.group(0).replace("\u00a0", ",").replace("\u202f", ",").replace(" ", ",")
                fixed = fixed[::-1].replace(",", ".", 1)[::-1]
                yield self.finding(seg, m.start(), m.end(), f"decimal comma in English: {m.group(0)!r}",
                                   suggestion=fixed)
            for m in _EN_DOT_THOUSANDS.finditer(text):
                yield self.finding(seg, m.start(), m.end(), f"dots as thousands separators in English: {m.group(0)!r}",
                                   suggestion=m.group(0).replace(".", ","))
            for m in _EN_FRENCH_TIME.finditer(text):
                h, mins = re.findall(r"\d+", m.group(0))
                yield self.finding(seg, m.start(), m.end(), f"French time format in English: {m.group(0)!r}",
                                   suggestion=f"{int(h)}:{mins}")
        elif lang == "fr":
            for m in _FR_COMMA_THOUSANDS.finditer(text):
                fixed = m.group(0).replace(",", "\u202f").replace(".", ",")
                yield self.finding(seg, m.start(), m.end(),
                                   f"English thousands separator in French: {m.group(0)!r} reads as a decimal",
                                   suggestion=fixed)
            for m in _FR_DOT_DECIMAL.finditer(text):
                yield self.finding(seg, m.start(), m.end(), f"decimal point in French: {m.group(0)!r}",
                                   suggestion=m.group(0).replace(".", ","))
            for m in _FR_MONTH_FIRST.finditer(text):
                month, day = m.group(0).split()
                yield self.finding(seg, m.start(), m.end(), f"English date order in French: {m.group(0)!r}",
                                   suggestion=f"{day} {month}")
