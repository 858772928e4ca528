"""Repeated words and n-gram loops (``RP…``), typical of neural MT hallucination."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ._data import data_rows
from .base import Category, Detector, Finding, Segment, Severity
from .registry import register

TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[^\w\s]")
DOUBLED_WORD = re.compile(r"(?<![\w'’-])([^\W\d_]+)\s+\1(?![\w'’-])", re.I)
MAX_PERIOD = 20


@lru_cache(maxsize=1)
def _allowed() -> dict[str, frozenset[str]]:
    return {lang: frozenset(words.split()) for lang, words in data_rows("repetition.tsv", 2)}


def tokenize(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    toks, spans = [], []
    for m in TOKEN.finditer(text):
        toks.append(m.group(0).lower())
        spans.append(m.span())
    return toks, spans


@lru_cache(maxsize=4096)
def text_loops(text: str) -> tuple[tuple[int, int, int], ...]:
    """:func:`loops` of a text, cached: RP001 and RP002 read the same segments."""
    return tuple(loops(TOKEN.findall(text.lower())))


def loops(toks: list[str]) -> list[tuple[int, int, int]]:
    """``(first, period, copies)`` of every run where a token sequence of
    ``period`` tokens repeats back to back, smallest period first, runs not
    overlapping a run already found."""
    L = len(toks)
    if L < 2:
        return []
    # Only periods at which a token pair recurs (or, for period 1, a token
    # follows itself) can hold a loop; "the … the" alone cannot.
    periods = {1} if any(a == b for a, b in zip(toks, toks[1:])) else set()
    last: dict[tuple[str, str], int] = {}
    for i, bg in enumerate(zip(toks, toks[1:])):
        j = last.get(bg)
        if j is not None and i - j <= MAX_PERIOD:
            periods.add(i - j)
        last[bg] = i
    found: list[tuple[int, int, int]] = []
    covered = [False] * L
    for n in sorted(periods):
        i = 0
        while i < L - n:
            if toks[i] != toks[i + n]:
                i += 1
                continue
            j = i
            while j < L - n and toks[j] == toks[j + n]:
                j += 1
            run = j - i               # positions k with toks[k] == toks[k+n]
            copies = 1 + run // n
            if copies >= 2 and not any(covered[i:i + copies * n]):
                found.append((i, n, copies))
                for k in range(i, i + copies * n):
                    covered[k] = True
            i = j + 1
    return found


def _wordy(toks: list[str]) -> int:
    return sum(1 for t in toks if t[0].isalpha())


class _Repetition(Detector):
    groups = ("repetition", "fluency")

    def _source_loops(self, seg: Segment) -> int:
        if not seg.source:
            return 0
        found = text_loops(seg.source)
        if not found:
            return 0
        toks = TOKEN.findall(seg.source.lower())
        return max((c for i, n, c in found if _wordy(toks[i:i + n])), default=0)


@register
class RepeatedWord(_Repetition):
    """The same word twice in a row ("the the").

    Skips words whose doubling is grammatical in the target language
    (English "had had", French "nous nous", German "die die"; see
    ``data/repetition.tsv``), numbers, proper-name reduplications ("Bora
    Bora") and doublings the source has too.

    Why: a doubled word is the commonest slip of MT decoders and of
    post-editing; it is always visible to readers.

    Example: "The army said that the the rebels left" flags "the the".
    """
    code = "RP001"
    name = "repetition.word"
    severity = Severity.MINOR
    category = Category.GRAMMAR

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        if DOUBLED_WORD.search(text) is None:
            return
        found = text_loops(text)
        if not any(n == 1 and c == 2 for _, n, c in found):
            return
        toks, spans = tokenize(text)
        allowed = _allowed().get((seg.tgt_lang or "").split("-")[0].lower(), frozenset())
        src = None
        for i, n, copies in found:
            if n != 1 or copies != 2:
                continue
            word = toks[i]
            if not word[0].isalpha() or word in allowed:
                continue
            second = text[spans[i + 1][0]:spans[i + 1][1]]
            if second[:1].isupper():
                continue
            if src is None:
                src = seg.source.lower()
            if f"{word} {word}" in src:
                continue
            yield self.finding(seg, spans[i][0], spans[i + 1][1], f"repeated word {word!r}",
                               suggestion=text[spans[i][0]:spans[i][1]])


@register
class NgramLoop(_Repetition):
    """A word or phrase repeated in a loop: three or more copies back to back,
    or a phrase of four or more tokens twice.

    Ignores loops of punctuation or digits alone, and loops the source has
    as well ("No! No! No!").

    Why: neural MT hallucinates by looping ("the army, the army, the army,
    the army"); the loop replaces content, so it is an accuracy problem as
    much as a fluency one.

    Example: "they took the city the city the city the city" flags the loop.
    """
    code = "RP002"
    name = "repetition.loop"
    severity = Severity.MAJOR
    category = Category.GRAMMAR

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        found = text_loops(text)
        if not any(c >= 3 or n >= 4 for _, n, c in found):
            return
        toks, spans = tokenize(text)
        src_copies = None
        for i, n, copies in found:
            unit = toks[i:i + n]
            words = _wordy(unit)
            if words == 0:
                continue
            if not (copies >= 3 or (n >= 4 and words >= 3)):
                continue
            if src_copies is None:
                src_copies = self._source_loops(seg)
            if src_copies >= copies:
                continue
            start, end = spans[i][0], spans[i + copies * n - 1][1]
            phrase = text[spans[i][0]:spans[i + n - 1][1]]
            yield self.finding(seg, start, end, f"{phrase!r} repeated {copies} times",
                               suggestion=text[start:spans[i + n - 1][1]], copies=copies)
