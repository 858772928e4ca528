"""Segmentation and punctuation artefacts (``SG…``).

Sentence splitting and re-joining around MT leaves tell-tale marks: a stop
doubled where two segments met (". ."), a stop in the middle of a sentence
("advantage of it. to strengthen"), a heading run into the first sentence of
the next paragraph, brackets and quotes that lost their partner, and the
other language's spacing rules.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ._data import data_rows
from ._langid import word_languages
from .base import Category, Detector, Finding, Segment, Severity
from .registry import register

STOP_RUN = re.compile(r"[.!?,;:](?:[ \t\u00a0\u202f]*[.!?,;:])+")
DOUBLED = re.compile(r"[.!?]\.|[,;:]\.|[,;:][,;:]")
LOWER_AFTER_STOP = re.compile(r"\.([ \t\u00a0]+)([^\W\d_][\w'’-]{0,60})")
HEADING_LOOKBACK = 400  # characters; a heading is at most 20 words


def _lang(seg: Segment, side: str = "hypothesis") -> str:
    lang = seg.tgt_lang if side == "hypothesis" else seg.src_lang
    return (lang or "").split("-")[0].lower()


@lru_cache(maxsize=None)
def _abbreviations(lang: str) -> frozenset[str]:
    out: set[str] = set()
    for l, words in data_rows("abbreviations.tsv", 2):
        if l in ("*", lang) or not lang:
            out.update(words.split())
    return frozenset(out)


@lru_cache(maxsize=None)
def _starters(lang: str) -> re.Pattern:
    words = [w for l, ws in data_rows("sentence_starters.tsv", 2) if l == lang for w in ws.split()]
    alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<=[^\W_])([ \t\u00a0]+)({alt})(?=[ \u00a0]+[a-zà-öø-ÿ])")


class _Punct(Detector):
    groups = ("punctuation", "segmentation", "fluency")
    severity = Severity.MINOR
    category = Category.PUNCTUATION


@register
class DoubledStop(_Punct):
    """Doubled or conflicting sentence punctuation: ". .", "..", "?.", ",.", ",,".

    Ellipses ("...", ". . .") and emphatic "?!" / "!!" are left alone.

    Why: when a pipeline splits text into sentences and joins translations
    back, the stop of one segment meets the stop the next one starts with;
    the result, "November 14. . The capture", is an unmistakable artefact.

    Example: "announced on Tuesday, November 14. . The capture" flags ". .".
    """
    code = "SG001"
    name = "punctuation.doubled-stop"

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        for m in STOP_RUN.finditer(text):
            s = re.sub(r"\s", "", m.group(0))
            if not DOUBLED.fullmatch(s):
                continue
            a, b = m.span()
            if (a and text[a - 1] in ".…") or (b < len(text) and text[b] in ".…"):
                continue  # part of an ellipsis
            keep = s[1] if s[0] in ",;:" and s[1] == "." else s[0]
            yield self.finding(seg, a, b, f"doubled punctuation {m.group(0)!r}", suggestion=keep)


@register
class LowercaseAfterStop(_Punct):
    """A full stop followed by a word in lower case: a sentence cut in two.

    Not after abbreviations (``data/abbreviations.tsv``: "etc.", "a.m.",
    "approx."), initials, ordinals ("3. Juni"), dotted acronyms and domain
    names, ellipses, abbreviations the source has ("Assn."), or before words
    that are lower case by design ("iPhone", "eBay").

    Why: a stop where the sentence goes on ("advantage of it. to strengthen
    their hold") is a segmentation artefact: the text was split mid-sentence
    and the halves translated apart.

    Example: "trying to take advantage of it. to strengthen their hold"
    flags ". to", suggesting "it to".
    """
    code = "SG002"
    name = "segmentation.lowercase-after-stop"

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        if ". " not in text and ".\u00a0" not in text and ".\t" not in text:
            return
        abbrev = _abbreviations(_lang(seg))
        for m in LOWER_AFTER_STOP.finditer(text):
            nxt = m.group(2)
            if not nxt[0].islower() or any(c.isupper() for c in nxt[1:]):
                continue
            dot = m.start()
            ws = max(text.rfind(c, max(0, dot - 100), dot) for c in " \t\n\u00a0")
            before = text[ws + 1:dot]
            word = before.strip("([{\"'“‘«„").rstrip(")]}\"'”’»")
            if not word or word.endswith((".", "…")) or "." in word:
                continue  # ellipsis, dotted acronym (U.S.), domain name
            if not any(c.isalpha() for c in word) or len(word) == 1:
                continue  # ordinals, numbers, initials
            low = word.lower()
            if low in abbrev or low.rstrip("s") in abbrev:
                continue
            bare = re.split("['’]", word)[-1]
            if seg.source and bare + "." in seg.source:
                continue  # an abbreviation the source has ("Assn.", "D-Mo.")
            yield self.finding(seg, dot, m.end(2), "full stop inside a sentence: the next word is in lower case",
                               suggestion=text[dot + 1:m.end(2)])


@register
class GluedHeading(_Punct):
    """A heading or caption run into the next sentence without a stop.

    Looks for a sentence opener ("The", "According", "Le", "Selon"…,
    ``data/sentence_starters.tsv``) capitalised right after a lower-case
    word and followed by a lower-case word, where the text before it since
    the last sentence boundary is a plausible heading (3–20 words, starting
    with a capital, not ending on a function word).  Headlines in title case
    are skipped, and with a source the source must show the same glue (a
    capital the source lacks is an MT slip, not segmentation).

    Why: extractors that drop the line break between a subheading and the
    following paragraph produce "…the safety of residents The army called
    on…", which reads as a broken sentence and confuses sentence-level MT.

    Example: "The army promises to ensure the safety of residents The army
    called for calm." flags "The army promises to ensure the safety of residents".
    """
    code = "SG003"
    name = "segmentation.glued-heading"
    languages = ("en", "fr")

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        lang = _lang(seg) or "en"
        if lang not in self.languages:
            return
        text = seg.hypothesis
        if _title_case(text):
            return  # a headline in title case capitalises every word
        if seg.source:
            # A glue the source does not have is an MT capitalisation slip,
            # not a segmentation artefact.
            src_lang = _lang(seg, "source")
            if src_lang not in self.languages or not any(True for _ in self._glued(seg.source, src_lang)):
                return
        for start, head_end, head in self._glued(text, lang):
            yield self.finding(seg, start, head_end,
                               "heading or sentence without a full stop glued to the next sentence",
                               suggestion=head + ".")

    @staticmethod
    def _glued(text: str, lang: str):
        for m in _starters(lang).finditer(text):
            head_end = m.start(1)
            floor = max(0, head_end - HEADING_LOOKBACK)
            cut = max(text.rfind(c, floor, head_end) for c in ".!?:;\n")
            if cut < 0 and floor > 0:
                continue  # no boundary within reach: not a heading
            start = cut + 1
            while start < head_end and not text[start].isalnum():
                start += 1
            head = text[start:head_end]
            words = head.split()
            if not 3 <= len(words) <= 20 or not head[:1].isupper():
                continue
            if word_languages(words[-1].lower()) or words[-1][:1].isupper() and len(words[-1]) <= 3:
                continue  # a heading does not end on "the", "of", "Mr"
            yield start, head_end, head


def _title_case(text: str) -> bool:
    """Most words after the first capitalised: a headline in title case."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)[1:] if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


_OPEN_CLOSE = {"(": ")", "[": "]", "{": "}", "“": "”", "«": "»", "„": "“"}
_CLOSERS = {v: k for k, v in _OPEN_CLOSE.items() if k != "„"}


def unbalanced(text: str) -> list[tuple[int, str]]:
    """Positions of brackets and quotes without a partner."""
    stack: list[tuple[int, str]] = []
    bad: list[tuple[int, str]] = []
    straight: list[int] = []
    for i, c in enumerate(text):
        if c == '"':
            straight.append(i)
        elif c in _OPEN_CLOSE and not (c == "“" and stack and stack[-1][1] == "„"):
            stack.append((i, c))
        elif c in _CLOSERS or (c == "“" and stack and stack[-1][1] == "„"):
            opener = "„" if c == "“" else _CLOSERS[c]
            if stack and stack[-1][1] == opener:
                stack.pop()
            elif any(o == opener for _, o in stack):
                while stack and stack[-1][1] != opener:
                    bad.append(stack.pop())
                stack.pop()
            else:
                bad.append((i, c))
    bad.extend(stack)
    if len(straight) % 2:
        bad.append((straight[-1], '"'))
    return sorted(bad)


@register
class UnbalancedPair(_Punct):
    """A bracket or quotation mark without its partner.

    With a source, only imbalances the source does not have are flagged (a
    quotation that spans several segments is open in the source too).

    Why: a lost closing quote or bracket changes what is quoted; MT and
    segmentation drop them at segment edges.

    Example: source "« Nous avons pris Kidal », a dit le colonel." with
    translation "“We have taken Kidal, said the colonel." flags "“".
    """
    code = "SG004"
    name = "punctuation.unbalanced"

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        if not any(c in text for c in '()[]{}"“”«»„'):
            return
        bad = unbalanced(text)
        if not bad:
            return
        if seg.source:
            src_bad = unbalanced(seg.source)
            if src_bad:
                return
        for i, c in bad:
            yield self.finding(seg, i, i + 1, f"{c!r} has no matching partner")


_SPACE_BEFORE = re.compile(r"(?<=[^\W_])([ \u00a0\u202f]+)([:;?!])(?=\s|$|[\"'’”»])")
_NO_SPACE_BEFORE = re.compile(r"(?<=[^\W\d_])([;:?!])(?=\s|$)")
_GUILLEMETS = re.compile(r"«[ \u00a0\u202f]?|[ \u00a0\u202f]?»")


@register
class FrenchSpacingInEnglish(_Punct):
    """French typography left in English: a space before ":", ";", "?" or "!", or « » quotes.

    Why: French puts a (thin) space before high punctuation and uses
    guillemets; MT copies them into English, where they look like errors.

    Example: "What did the army say ?" flags " ?", suggesting "?".
    """
    code = "SG005"
    name = "punctuation.french-spacing"
    languages = ("en",)
    category = Category.LOCALE

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        for m in _SPACE_BEFORE.finditer(text):
            yield self.finding(seg, m.start(1), m.end(2), f"space before {m.group(2)!r} (French spacing)",
                               suggestion=m.group(2))
        if "«" in text or "»" in text:
            for m in _GUILLEMETS.finditer(text):
                yield self.finding(seg, m.start(), m.end(), "French quotation marks in English",
                                   suggestion="“" if "«" in m.group(0) else "”")


@register
class EnglishSpacingInFrench(_Punct):
    """English typography in French: no space before ":", ";", "?" or "!".

    French typography puts a (narrow) no-break space before these marks.
    Times (12:30), ratios and URLs are not affected.

    Why: MT trained on web text often drops the space; publishers' style
    guides require it.

    Example: "Qu'a dit l'armée?" flags "?", suggesting " ?" (with U+202F).
    """
    code = "SG006"
    name = "punctuation.english-spacing"
    languages = ("fr",)
    severity = Severity.INFO
    category = Category.LOCALE

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        for m in _NO_SPACE_BEFORE.finditer(text):
            yield self.finding(seg, m.start(1), m.end(1), f"no space before {m.group(1)!r} (French typography)",
                               suggestion="\u202f" + m.group(1))
