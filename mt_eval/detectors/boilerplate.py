"""Web and CMS boilerplate scraped into a text (``BP…``).

A line is scored from independent signals, none of which decides alone
except an unambiguous interface phrase:

* **cues**: phrase tables of interface strings per language
  (``data/boilerplate.tsv``: share buttons, "Read also", newsletters,
  consent notices, advertising labels, credits, navigation), weighted by how
  much of the line they cover;
* **shape**: interface strings are short, carry no sentence punctuation, are
  often labels ("Tags:"), capitals, link-like (URLs, e-mail addresses,
  breadcrumbs), dates or short imperatives ("Download the app"); running text
  is long, punctuated and full of function words;
* **position**: boilerplate clusters in the head and tail blocks of a
  document;
* **recurrence**: template lines recur across the documents of a corpus or
  feed (:meth:`CorpusContext.line_document_frequency`).

The scorer is shared by BP001 (boilerplate in the translation only: an
addition) and BP002 (boilerplate already in the source: a source problem).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from ._cues import WORD, CueMatch, cue_table
from ._data import data_rows
from ._langid import word_languages
from .base import Category, Detector, DocumentContext, Finding, Option, Segment, Severity, normalise_line
from .registry import register

LANGS = frozenset({"en", "fr", "de", "es"})
SENT_END = re.compile(r"[.!?…]['\"’”»)\]]*\s*$")
# Bounded repetitions: an unbounded "[\w-]+\." backtracks quadratically on a
# 100 kB word without a dot.
URLISH = re.compile(r"https?://|www\.|\b[\w-]{1,63}\.(?:com|org|net|fr|de|es|uk|info|io|co)\b(?:/\S{0,200})?", re.I)
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}")
PHONE = re.compile(r"^\W*(?:tel\.?|phone|tél\.?|fax)?[:\s]*\+?[\d()][\d\s()./-]{6,}\d\W*$", re.I)
# A telephone or fax number inside a short line (contact blocks, footers).
CONTACT = re.compile(r"\b(?:tel|tél|phone|fon|fax|mobil|hotline)\b\.?:?\s*\+?\d|\+\d{1,3}[\s./-]?\(?\d{2,5}\)?[\s./-]?\d{3,}", re.I)
# Menu and breadcrumb separators ("Home › World › Africa"); not "»", which
# closes French quotations.
SEPARATORS = re.compile(r"\s[|›>/·•]\s|\s[-–—]\s\S+\s[-–—]\s")
MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
          "august|september|october|november|december|janv|févr|mars|avr|mai|juin|juil|août|sept|déc|"
          "janvier|février|avril|juillet|septembre|octobre|novembre|décembre|januar|februar|märz|juni|"
          "juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
          "noviembre|diciembre")
DATE_LINE = re.compile(
    rf"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim)\w*\.?,?\s*)?"
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{1,2}}\.?\s+(?:{MONTHS})\.?(?:\s+\d{{4}})?|"
    rf"(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"(?:\s*(?:,|à|at|um|-|–)?\s*\d{{1,2}}[:h.]\d{{2}}(?:\s*[ap]\.?m\.?)?)?\W*$"
    # archive entries ("January 2020") and bare times ("2:54pm")
    rf"|^\W*(?:{MONTHS})\.?\s+\d{{4}}\W*$|^\W*\d{{1,2}}[:h.]\d{{2}}\s*(?:[ap]\.?m\.?)?\W*$", re.I)

# Score weights.  Set by hand from what each signal means, then the
# threshold checked on the development half of the trafilatura pages
# (bench/eval_detectors.py); see the module docstring of the bench.
W_CUE = {"A": (4.0, 4.0, 4.0), "S": (4.0, 2.0, 0.0), "W": (3.0, 1.0, 0.0)}  # whole, short line, long line
THRESHOLD = 3.0


@lru_cache(maxsize=1)
def _ui_verbs() -> dict[str, frozenset[str]]:
    return {lang: frozenset(words.split()) for lang, words in data_rows("ui_verbs.tsv", 2)}


def _base(lang: str | None) -> str | None:
    base = lang.split("-")[0].lower() if lang else None
    return base if base in LANGS else None


@lru_cache(maxsize=None)
def _ui_words(lang: str | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole words, long stems) of the site-furniture vocabulary for a language."""
    rows = data_rows("ui_words.tsv", 2)
    stems = {w for l, ws in rows if l == "*" or lang is None or l == lang for w in ws.split()}
    return frozenset(stems), tuple(sorted(w for w in stems if len(w) >= 5))


def ui_word_count(low_words: list[str], lang: str | None) -> int:
    """How many distinct site-furniture words a line has."""
    whole, long_stems = _ui_words(lang)
    hits = set()
    for w in low_words:
        if w in whole or (w.endswith("s") and w[:-1] in whole):
            hits.add(w.rstrip("s"))
        elif len(w) > 5 and w.startswith(long_stems):
            hits.add(next(s for s in long_stems if w.startswith(s)))
    return len(hits)


@dataclass
class LineScore:
    score: float
    reasons: list[str]
    kind: str | None
    start: int
    end: int


def _langs(lang: str | None) -> frozenset[str] | None:
    """Cue languages for a text in ``lang``: its own and English, whose
    interface words ("Share", "Newsletter", "Login") sites in every language
    leave untranslated; every table when the language is unknown."""
    if not lang:
        return None
    base = lang.split("-")[0].lower()
    return frozenset({base, "en"}) if base in LANGS else None


def score_line(line: str, lang: str | None = None, *, edge: bool = False,
               recurrence: int | Callable[[], int] = 0, n_docs: int = 0) -> LineScore:
    """Score one line (see the module docstring).  ``edge``: the line is in
    the head or tail block of its document; ``recurrence``: in how many
    documents of the corpus it occurs (or a function telling it, called
    only when it can matter)."""
    stripped = line.strip()
    lo = len(line) - len(line.lstrip())
    hi = lo + len(stripped)
    if not stripped:
        return LineScore(0.0, [], None, lo, hi)
    words = WORD.findall(stripped)
    n = len(words)
    if n == 0:
        return LineScore(0.0, [], None, lo, hi)
    short = n <= 8
    long_line = n > 14
    reasons: list[str] = []
    score = 0.0
    kind = None
    langs = _langs(lang)
    best = 0.0
    table = cue_table("boilerplate.tsv")
    if long_line:
        # Only strength-A cues count in long lines, and without one (or two
        # words naming the site) a long line cannot reach the threshold
        # (length penalty 2 or 4, at most 1 + 3 for edge and recurrence).
        matches = table.anywhere(stripped, langs)
        low_words = [w.lower() for w in words]
        if not matches and (n > 25 or ui_word_count(low_words, _base(lang)) < 2):
            return LineScore(-2.0, ["-long"], None, lo, hi)
    else:
        low_words = [w.lower() for w in words]
        matches = table.matches(stripped, low_words, langs, "ASW")
    letters = sum(c.isalnum() for c in stripped) if matches else 0
    anywhere = False    # a strength-A cue: boilerplate even as a full sentence
    mostly = False      # a cue covers most of the line
    for m in matches:
        covered = sum(c.isalnum() for c in stripped[m.start:m.end])
        whole, in_short, in_long = W_CUE[m.cue.strength]
        # A phrase that opens a short line and is followed by a separator is
        # a label ("Read also: ...", "Photo: ..."), as good as the whole line.
        label = m.start <= 1 and re.match(r"\s*[:|–—-]", stripped[m.end:]) is not None
        if covered >= 0.6 * letters or (label and m.cue.strength != "W"):
            w = whole
            mostly = True
        elif short:
            w = in_short
        elif not long_line:
            w = (in_short + in_long) / 2
        else:
            w = in_long
        if w > best:
            best, kind = w, m.cue.kind
        if m.cue.strength == "A":
            anywhere = True
    if best:
        score += best
        reasons.append(f"{kind} phrase")
    # -- shape -----------------------------------------------------------
    ends_sentence = SENT_END.search(stripped) is not None
    first_alpha = next((c for c in stripped if c.isalpha()), "")
    ui = ui_word_count(low_words, _base(lang)) if n <= 25 else 0
    if n > 20:
        score -= (4.0 if ui < 2 else 2.0) if best < 4 else 0.0
    elif n > 12:
        score -= 2.0 if best < 4 else 0.0
    # A full stop makes even a short line a sentence ("No comment.").
    if ends_sentence and not anywhere:
        score -= 1.5
        reasons.append("-sentence")
    if first_alpha.islower() and best < 3:
        score -= 1.5
        reasons.append("-fragment")
    # A call to action: an interface verb first and a word naming the site
    # ("Send me email every new post.", "Download our app for …").
    cta = False
    if n <= 20 and ui >= 1:
        verbs = _ui_verbs()
        vset = set().union(*(verbs.get(l, ()) for l in (langs or verbs)))
        first = low_words[0]
        own = _base(lang)
        # French "comment" is "how", not a button: a function word of the
        # line's own language is never the verb of a call to action.
        if first in vset and not (own and own in word_languages(first)):
            cta = True
            score += 2.0 + (1.5 if ends_sentence and not anywhere else 0.0)
            reasons.append("call to action")
    if not anywhere and not mostly and not cta:
        func = sum(1 for w in low_words if word_languages(w))
        if n >= 6 and func / n >= 0.4:
            score -= 1.0
            reasons.append("-prose")
    if not ends_sentence:
        if stripped.endswith(":") and n <= 5:
            score += 1.5
            reasons.append("label")
        caps = [w for w in words if any(c.isalpha() for c in w)]
        if caps and sum(len(w) for w in caps) >= 4 and all(w.isupper() for w in caps) and n <= 8:
            score += 1.0
            reasons.append("capitals")
        if n <= 6:
            verbs = _ui_verbs()
            vset = set().union(*(verbs.get(l, ()) for l in (langs or verbs)))
            # German interface strings put the infinitive last
            # ("Newsletter abonnieren", "Artikel teilen").
            last = low_words[-1] if (langs is None or "de" in langs) and n >= 2 else None
            own = _base(lang)
            first_ok = low_words[0] in vset and not (own and own in word_languages(low_words[0]))
            if first_ok or (last is not None and last in verbs.get("de", ()) and last.endswith("en")):
                score += 1.5
                reasons.append("imperative")
    if not ends_sentence and n <= 3 and not any(c.isdigit() for c in stripped) and \
            all(w[:1].isupper() for w in words) and not any(word_languages(w) for w in low_words) and \
            not re.search(r"[,;:()]", stripped):
        # One to three capitalised words, no function word, no punctuation:
        # a menu entry, section name, label or byline, not running text.
        score += 3.0 if n == 1 else 2.5
        reasons.append("label shape")
    if n <= 25:
        if ui >= 2:
            # Two words naming the site's parts: the line talks about the site.
            score += 1.5 + (1.5 if ends_sentence and not anywhere else 0.0)
            reasons.append("site vocabulary")
        elif ui == 1 and n <= 6 and not ends_sentence:
            score += 0.5
            reasons.append("site word")
    if (URLISH.search(stripped) or EMAIL.search(stripped)) and n <= 8:
        score += 1.5
        reasons.append("link")
    if SEPARATORS.search(stripped) and not ends_sentence and n <= 14:
        score += 1.5
        reasons.append("separators")
    if DATE_LINE.match(stripped) or PHONE.match(stripped):
        score += 3.0
        reasons.append("date/number line")
    elif n <= 12 and CONTACT.search(stripped):
        score += 2.5
        reasons.append("contact details")
    # -- context ---------------------------------------------------------
    if edge and not ends_sentence:
        score += 1.0
        reasons.append("document edge")
    if callable(recurrence) and n_docs >= 3:
        recurrence = recurrence()
    if n_docs >= 3 and recurrence >= 2:
        bonus = 2.0 if recurrence == 2 else 3.0
        if ends_sentence:
            bonus -= 1.0
        score += bonus
        reasons.append(f"in {recurrence} documents")
    return LineScore(score, reasons, kind, lo, hi)


def line_spans(text: str) -> Iterable[tuple[int, str]]:
    """``(offset, line)`` for every line of a segment."""
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


TRAILER = re.compile(r"(?<=[.!?…])[\"'’”»)]*\s+([^.!?…\n]{3,80})$")


class _Scorer:
    """Scores every line of one document and side, once per run (shared by
    BP001 and BP002 through the corpus memo)."""

    def __init__(self, doc: DocumentContext, side: str, *, use_position: bool,
                 use_recurrence: bool, threshold: float):
        texts = [s.hypothesis if side == "hypothesis" else s.source for s in doc.segments]
        lang = (doc.tgt_lang if side == "hypothesis" else doc.src_lang)
        ldf = doc.corpus.line_document_frequency(side, doc.system) if use_recurrence else {}
        n_docs = doc.corpus.n_documents if use_recurrence else 0
        lines = [(i, off, line) for i, t in enumerate(texts) for off, line in line_spans(t) if line.strip()]
        edge = set()
        if use_position and len(lines) >= 3:
            # Head and tail blocks: runs of unpunctuated short lines at either end.
            for seq in (lines, lines[::-1]):
                for k, (i, off, line) in enumerate(seq):
                    if k >= 6 or SENT_END.search(line.strip()) or len(WORD.findall(line)) > 12:
                        break
                    edge.add((i, off))
                edge.add((seq[0][0], seq[0][1]))
        self.hits: dict[int, list[LineScore]] = {}
        for i, off, line in lines:
            s = score_line(line, lang, edge=(i, off) in edge, n_docs=n_docs,
                           recurrence=lambda line=line: ldf.get(normalise_line(line), 0))
            if s.score >= threshold:
                s.start += off
                s.end += off
                self.hits.setdefault(i, []).append(s)
                continue
            # A short interface phrase glued after the last sentence of a line.
            m = TRAILER.search(line)
            if m:
                tail = m.group(1)
                t = score_line(tail, lang)
                if t.score >= 4.0 and t.kind is not None:
                    t.start += off + m.start(1)
                    t.end += off + m.start(1)
                    t.reasons.append("after the last sentence")
                    self.hits.setdefault(i, []).append(t)


def _scores(det: "_BoilerplateBase", doc: DocumentContext, side: str) -> _Scorer:
    key = ("boilerplate", side, doc.system, doc.doc_id, det.opts["use_position"],
           det.opts["use_recurrence"], det.opts["threshold"])
    return doc.corpus.memo(key, lambda: _Scorer(doc, side, use_position=det.opts["use_position"],
                                                use_recurrence=det.opts["use_recurrence"],
                                                threshold=det.opts["threshold"]))


class _BoilerplateBase(Detector):
    groups = ("boilerplate", "web")
    languages = None
    options = {
        "threshold": Option(THRESHOLD, "line score from which a line is boilerplate"),
        "use_position": Option(True, "count the head/tail block of a document as a signal"),
        "use_recurrence": Option(True, "count lines recurring across documents as a signal"),
    }

    def _message(self, s: LineScore) -> str:
        what = {"mobile": "mobile-theme link", "share": "share/like buttons",
                "related": "related-content link", "subscribe": "subscription prompt",
                "consent": "consent or legal notice", "ad": "advertising label",
                "credit": "credit or byline", "nav": "navigation"}.get(s.kind or "", "interface text")
        return f"web boilerplate ({what}; {', '.join(r for r in s.reasons if not r.startswith('-'))})"


@register
class BoilerplateAddition(_BoilerplateBase):
    """Web or CMS boilerplate in the translation: scraped interface text.

    Flags lines such as mobile-theme links ("Exit mobile version"), share and
    like buttons, "Read also" and related-post blocks, newsletter and
    subscription prompts, cookie and consent notices, advertising labels,
    bylines and photo credits, and navigation crumbs, in English, French,
    German and Spanish and their machine translations.  A line is judged
    from interface phrases, its shape (short, unpunctuated, label, link,
    imperative), its position in the document (head and tail blocks) and
    its recurrence across the documents of the corpus, so a phrase list
    alone never decides for running text.

    Why: scrapers keep page furniture, and translating it ships "Exit mobile
    version" inside a news article.  When the source is given and holds the
    same boilerplate, BP002 reports it as a source problem instead.

    Example: an article ending with the line "Exit mobile version" gets a
    finding on that line (Accuracy/Addition).
    """
    code = "BP001"
    name = "boilerplate.addition"
    severity = Severity.MAJOR
    category = Category.ADDITION
    needs = frozenset({"hypothesis", "document"})

    def check_document(self, doc: DocumentContext) -> Iterable[Finding]:
        hyp = _scores(self, doc, "hypothesis")
        if not hyp.hits:
            return
        src = _scores(self, doc, "source") if any(s.source.strip() for s in doc.segments) else None
        for i, hits in hyp.hits.items():
            seg = doc.segments[i]
            if src is not None and src.hits.get(i):
                continue  # already in the source: BP002's business
            for s in hits:
                yield self.finding(seg, s.start, s.end, self._message(s),
                                   suggestion="", confidence=min(1.0, s.score / 5), kind=s.kind,
                                   score=round(s.score, 2))


@register
class BoilerplateInSource(_BoilerplateBase):
    """Web or CMS boilerplate already in the source text.

    The same signals as BP001, applied to the source lines, reported once
    (not per system) on the source side.

    Why: the translation of a scraped "Lire aussi" line is faithful; the
    problem is upstream, in the extraction of the source article, so it is
    a source error rather than an addition by the translator.

    Example: source line "Quitter la version mobile" translated as "Exit
    mobile version" gives a BP002 finding on the source line.
    """
    code = "BP002"
    name = "boilerplate.in-source"
    severity = Severity.MINOR
    category = Category.SOURCE_ERROR
    needs = frozenset({"source", "document"})
    per_system = False

    def check_document(self, doc: DocumentContext) -> Iterable[Finding]:
        if not any(s.source.strip() for s in doc.segments):
            return
        src = _scores(self, doc, "source")
        for i, hits in src.hits.items():
            seg = doc.segments[i]
            for s in hits:
                yield self.finding(seg, s.start, s.end, "source " + self._message(s), side="source",
                                   confidence=min(1.0, s.score / 5), kind=s.kind, score=round(s.score, 2))
