"""A light language identifier for the languages detectors care about.

Profiles are data (``data/langid.tsv``): the frequent function words of each
language, its characteristic word endings and letters.  Function words carry
most of the signal; a word shared by several languages counts for each of
them in proportion.  This is enough to tell en/fr/de/es/it/pt/nl apart on a
sentence of five or more words, which is what the untranslated-text checks
and the language inference of the runner need.  It is not meant for single
words, names, or closely related languages outside the profile set.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

from ._data import data_rows

# Elided French/Italian articles ("l'armée") are tokens of their own, with the
# apostrophe, because they are the strongest cue there is.
TOKEN = re.compile(r"[^\W\d_]+['’](?=[^\W\d_])|[^\W\d_]+")


class Profiles:
    def __init__(self):
        words: dict[str, dict[str, float]] = defaultdict(dict)
        self.suffixes: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.chars: dict[str, dict[str, float]] = defaultdict(dict)
        langs = set()
        for lang, kind, items, weight in data_rows("langid.tsv", 4):
            w = float(weight)
            langs.add(lang)
            for item in items.split():
                if kind == "word":
                    words[item.replace("’", "'")][lang] = w
                elif kind == "suffix":
                    self.suffixes[lang].append((item, w))
                elif kind == "char":
                    self.chars[item][lang] = w
                else:
                    raise ValueError(f"langid.tsv: unknown kind {kind!r}")
        self.languages = tuple(sorted(langs))
        # A word shared by k languages is weak evidence for each of them.
        self.words = {t: {l: w / len(ls) for l, w in ls.items()} for t, ls in words.items()}
        # suffix -> {lang: weight}; a word counts once per language, for its
        # longest matching suffix.
        self.suffix: dict[str, dict[str, float]] = defaultdict(dict)
        for l, sf in self.suffixes.items():
            for suf, w in sf:
                self.suffix[suf][l] = w
        self.suffix_lengths = sorted({len(k) for k in self.suffix}, reverse=True)


@lru_cache(maxsize=1)
def profiles() -> Profiles:
    return Profiles()


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """Lower-cased word tokens (cached: several checks read each segment)."""
    low = text.lower()
    if "’" in low:
        low = low.replace("’", "'")
    return tuple(TOKEN.findall(low))


@lru_cache(maxsize=None)
def function_words(lang: str) -> frozenset[str]:
    """The function words of one language's profile."""
    return frozenset(t for t, ls in profiles().words.items() if lang in ls)


def scores(text: str, candidates: tuple[str, ...] | None = None,
           toks: tuple[str, ...] | None = None) -> dict[str, float]:
    """Evidence per language, normalised by the number of word tokens."""
    p = profiles()
    langs = candidates or p.languages
    if toks is None:
        toks = tokens(text)
    if not toks:
        return {l: 0.0 for l in langs}
    s = dict.fromkeys(langs, 0.0)
    words, suffix, lengths = p.words, p.suffix, p.suffix_lengths
    for t, count in Counter(toks).items():
        hit = words.get(t)
        if hit is None and len(t) >= 5:
            seen: dict[str, float] = {}
            for k in lengths:
                h = suffix.get(t[-k:])
                if h:
                    for l, w in h.items():
                        seen.setdefault(l, w)
            hit = seen
        if hit:
            for l, w in hit.items():
                if l in s:
                    s[l] += w * count
    for ch, ls in p.chars.items():
        if ch in text:
            n = min(text.count(ch), 5)
            for l, w in ls.items():
                if l in s:
                    s[l] += w * math.sqrt(n)
    n = len(toks)
    return {l: v / n for l, v in s.items()}


def identify(text: str, candidates: tuple[str, ...] | None = None,
             min_words: int = 4) -> tuple[str | None, float]:
    """``(language, margin)``: the best language and how far ahead of the
    runner-up it is (per word); ``(None, 0.0)`` when the text is too short or
    carries no evidence."""
    toks = tokens(text)
    if len(toks) < min_words:
        return None, 0.0
    s = scores(text, candidates, toks)
    ranked = sorted(s.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] <= 0:
        return None, 0.0
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], ranked[0][1] - second


def word_languages(token: str) -> dict[str, float]:
    """The languages whose function words include ``token`` (lower-cased)."""
    return profiles().words.get(token.lower().replace("’", "'"), {})


def guess_language(texts, sample: int = 200) -> str | None:
    """The dominant language of a list of texts (for unlabelled corpora)."""
    votes: dict[str, int] = defaultdict(int)
    step = max(1, len(texts) // sample)
    for t in texts[::step]:
        lang, margin = identify(t)
        if lang and margin > 0.05:
            votes[lang] += 1
    if not votes:
        return None
    best = max(votes, key=votes.get)
    return best if votes[best] >= max(2, 0.5 * sum(votes.values())) else None
