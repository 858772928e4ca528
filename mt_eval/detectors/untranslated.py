"""Untranslated text (``UT…``): copies of the source, output in the source
language, and source-language passages left inside the translation."""
from __future__ import annotations

import re
from typing import Iterable

from ._langid import TOKEN, function_words, identify, profiles, tokens, word_languages
from .base import Category, Detector, Finding, Option, Segment, Severity
from .registry import register

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _base(lang: str | None) -> str | None:
    return lang.split("-")[0].lower() if lang else None


_PUNCT = re.compile(r"[^\w\s]")


def _fold(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.casefold()).split())


def _same(a: str, b: str) -> bool:
    """``a`` and ``b`` are the same text up to case, spacing and punctuation."""
    if abs(len(a) - len(b)) > 0.2 * max(len(a), len(b)) + 5:
        return False  # most segments differ in length: no folding needed
    return _fold(a) == _fold(b)


@register
class CopiedSource(Detector):
    """The translation is the source, unchanged.

    Ignores segments a translation would legitimately copy: without at least
    ``min_words`` words of letters, or without evidence (function words,
    spelling) that the text is in the source language rather than a name,
    a title or a code.

    Why: MT systems and pipelines fall back to copying the input on errors,
    time-outs or unsupported languages; a copied segment is an omission of
    its whole meaning.

    Example: source "L'armée a pris Kidal mardi." with translation
    "L'armée a pris Kidal mardi.".
    """
    code = "UT001"
    name = "untranslated.copy"
    groups = ("untranslated", "accuracy")
    severity = Severity.CRITICAL
    category = Category.UNTRANSLATED
    needs = frozenset({"hypothesis", "source"})
    options = {"min_words": Option(3, "segments shorter than this are not judged")}

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        src, hyp = seg.source, seg.hypothesis
        if not hyp.strip() or not _same(src, hyp):
            return
        words = WORD.findall(hyp)
        if len(words) < self.opts["min_words"]:
            return
        sl, tl = _base(seg.src_lang), _base(seg.tgt_lang)
        if sl and tl and sl == tl:
            return
        lang, margin = identify(hyp, min_words=self.opts["min_words"])
        if tl and lang == tl:
            return  # text already in the target language (a quotation, a title)
        if lang is None or margin <= 0.05:
            return  # names, codes: nothing says this is language at all
        start = len(hyp) - len(hyp.lstrip())
        yield self.finding(seg, start, len(hyp.rstrip()), f"the translation is a copy of the source ({lang})")


@register
class WrongLanguage(Detector):
    """The translation is in the source language (or in neither language of the pair).

    Uses the built-in language identifier (function words and spelling for
    en, fr, de, es, it, pt, nl) on segments of ``min_words`` words or more,
    and flags only clear decisions (margin over the runner-up).

    Why: a system that "translates" into the wrong language, or echoes a
    paraphrase of the source, produces fluent-looking text nobody can read.

    Example: French source "L'armée malienne a pris Kidal mardi, selon la
    junte." with the English "translation" "L'armée malienne est entrée dans
    Kidal mardi matin, selon la junte au pouvoir." (a French paraphrase, not
    a copy, so UT001 does not catch it).

    Where it stays silent: segments under ``min_words`` words, and text in
    which a tenth of the words are target-language function words (mixed
    text is UT003's); French with a few *a* ("has", an English word too)
    can fall there.
    """
    code = "UT002"
    name = "untranslated.wrong-language"
    groups = ("untranslated", "accuracy")
    severity = Severity.CRITICAL
    category = Category.UNTRANSLATED
    options = {"min_words": Option(6, "segments shorter than this are not judged"),
               "margin": Option(0.15, "how far ahead of the target language the detected one must be")}

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        tl = _base(seg.tgt_lang)
        if tl is None or tl not in profiles().languages:
            return
        hyp = seg.hypothesis
        toks = tokens(hyp)
        if len(toks) < self.opts["min_words"]:
            return
        # Running text has a third or more function words.  With a tenth of
        # them from the target language the segment is at least partly in
        # it: mixed text is UT003's business, so skip the full scoring.
        own = function_words(tl)
        if sum(1 for t in toks if t in own) >= 0.1 * len(toks):
            return
        lang, margin = identify(hyp, min_words=self.opts["min_words"])
        if lang is None or lang == tl or margin < self.opts["margin"]:
            return
        if seg.source.strip() and _same(hyp, seg.source):
            return  # UT001 reports copies
        from ._langid import scores
        s = scores(hyp)
        if s[lang] - s.get(tl, 0.0) < self.opts["margin"]:
            return
        start = len(hyp) - len(hyp.lstrip())
        yield self.finding(seg, start, len(hyp.rstrip()), f"the translation is in {lang}, not {tl}",
                           detected=lang)


@register
class SourceSpan(Detector):
    """A passage of the source language left inside the translation.

    Finds runs of at least ``min_words`` words that contain at least
    ``min_function_words`` function words of the source language that are
    not function words of the target language ("de", "la", "est" in
    English; "the", "of" in French), and no target-language function word.
    With a source, the run must also occur in the source (a copy); without
    one, the source language is the detected language of the run.  Runs
    whose content words are all capitalised are names of institutions or
    works, which keep their language ("Centers for Disease Control and
    Prevention"), and are not flagged.

    Why: MT leaves clauses untranslated when it meets rare words or
    markup; the result is half translated.  Quoted titles of works keep
    their language and usually have too few function words to be flagged.

    Example: "The minister said that la situation est très grave in the
    north" flags "la situation est très grave".
    """
    code = "UT003"
    name = "untranslated.source-span"
    groups = ("untranslated", "accuracy")
    severity = Severity.MAJOR
    category = Category.UNTRANSLATED
    options = {"min_words": Option(4, "shortest run of words flagged"),
               "min_function_words": Option(2, "source-language function words the run needs")}

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        tl = _base(seg.tgt_lang)
        p = profiles()
        if tl is None or tl not in p.languages:
            return
        hyp = seg.hypothesis
        sl = _base(seg.src_lang)
        # Quick exit: a run needs that many foreign-only function words.
        own = function_words(tl)
        foreign = sum(1 for t in tokens(hyp) if t not in own and word_languages(t)
                      and (sl is None or sl in word_languages(t)))
        if foreign < self.opts["min_function_words"]:
            return
        if seg.source.strip() and _same(hyp, seg.source):
            return  # a whole copy is UT001's business
        src_fold = _fold(seg.source) if seg.source.strip() else None
        toks = [(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in TOKEN.finditer(hyp)]
        if len(toks) < self.opts["min_words"]:
            return
        # Label each word: +1 a function word of a foreign language only,
        # -1 a target-language function word, 0 anything else.
        labels = []
        for t, _, _ in toks:
            langs = word_languages(t)
            if tl in langs:
                labels.append((-1, None))
            elif langs and (sl is None or sl in langs):
                labels.append((1, sl or max(langs, key=langs.get)))
            else:
                labels.append((0, None))
        i, n = 0, len(toks)
        while i < n:
            if labels[i][0] != 1:
                i += 1
                continue
            j = i
            last_fw = i
            while j < n and labels[j][0] != -1:
                if labels[j][0] == 1:
                    last_fw = j
                j += 1
            fws = sum(1 for k in range(i, last_fw + 1) if labels[k][0] == 1)
            # With a source, extend over trailing content words as long as the
            # passage is still a copy of it ("est très grave").
            end = last_fw
            if src_fold is not None:
                while end + 1 < min(j, last_fw + 10) and labels[end + 1][0] == 0 and \
                        _fold(hyp[toks[i][1]:toks[end + 1][2]]) in src_fold:
                    end += 1
            run = toks[i:end + 1]
            content = [hyp[a:b] for (k, (t, a, b)) in zip(range(i, end + 1), run) if labels[k][0] == 0]
            start, stop = (run[0][1], run[-1][2]) if run else (0, 0)
            text = hyp[start:stop]
            proper = content and all(w[:1].isupper() for w in content)
            if len(run) >= self.opts["min_words"] and fws >= self.opts["min_function_words"] \
                    and not proper and " " in text.strip():
                # Names of institutions and works keep their language
                # ("Centers for Disease Control and Prevention"); one
                # hyphenated place name is not a passage.
                lang = sl
                if lang is None:
                    lang, _ = identify(text, min_words=1)
                ok = lang is not None and lang != tl
                if ok and src_fold is not None:
                    ok = _fold(text) in src_fold
                if ok:
                    yield self.finding(seg, start, stop, f"untranslated {lang} passage", detected=lang)
            i = j
