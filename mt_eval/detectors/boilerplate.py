"""Web and CMS boilerplate scraped into a text (``BP…``).

A line is scored from independent signals, none of which decides alone
except an unambiguous interface phrase:

* **cues**: phrase tables of interface strings per language
  (``data/boilerplate/``: share buttons, "Read also", newsletters,
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
from typing import Callable, Iterable

from ._boilerplate_features import EVIDENCE, SENT_END, cue_langs, line_features, verb_first, weights
from ._cues import WORD, cue_table
from .base import Category, Detector, DocumentContext, Finding, Option, Segment, Severity, normalise_line
from .registry import register


@dataclass
class LineScore:
    score: float
    reasons: list[str]      # features that added to the score, strongest first
    kind: str | None        # kind of the strongest interface phrase
    start: int
    end: int
    evidence: bool = False  # has a feature of the page, not only a shape


def score_line(line: str, lang: str | None = None, *, edge: bool = False, edge_block: bool = False,
               recurrence: int | Callable[[], int] = 0, n_docs: int = 0) -> LineScore:
    """Score one line: the sum of the weights of its features (see
    ``_boilerplate_features``).  ``edge``: the line is in the head or tail
    block of its document; ``recurrence``: in how many documents of the
    corpus it occurs (or a function telling it, called only when it can
    matter).  The reasons are the features that added to the score, the
    strongest first."""
    stripped = line.strip()
    lo = len(line) - len(line.lstrip())
    hi = lo + len(stripped)
    if not stripped:
        return LineScore(0.0, [], None, lo, hi)
    kinds: list[str] = []
    feats = line_features(stripped, lang, edge=edge, edge_block=edge_block, recurrence=recurrence,
                          n_docs=n_docs, cue_kind=kinds)
    if not feats:
        return LineScore(0.0, [], None, lo, hi)
    w = weights()[0]
    parts = [(w.get(k, 0.0) * v, k) for k, v in feats.items()]
    score = w.get("bias", 0.0) + sum(c for c, _ in parts)
    reasons = [k for c, k in sorted(parts, reverse=True) if c > 0]
    return LineScore(score, reasons, kinds[0] if kinds else None, lo, hi,
                     evidence=not EVIDENCE.isdisjoint(feats))


def line_spans(text: str) -> Iterable[tuple[int, str]]:
    """``(offset, line)`` for every line of a segment."""
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


TRAILER = re.compile(r"(?<=[.!?…])[\"'’”»)]*\s+([^.!?…\n]{3,80})$")
# A sentence boundary: sentence punctuation, maybe closing quotes, space;
# the next sentence must start with a capital ("10 a.m. on" is no boundary).
BOUNDARY = re.compile(r"(?<=[.!?…])[\"'’”»)]*\s+(?=[\"“«‘„¿¡]?[^\W\d_])")
# What makes a glued last sentence a prompt of the site rather than part of
# the story: an interface phrase of these kinds...
PROMPT_KINDS = ("subscribe", "share", "related")     # the first found names it


def glued_prompt(line: str, lang: str | None) -> tuple[int, LineScore] | None:
    """The last sentence of a line of two or more sentences when it is a
    newsletter, sharing or "read also" prompt of the site glued to the
    article's paragraph ("... on the federation's website. Subscribe to our
    newsletter to receive the best of sports news every morning.").  Its
    sentence shape would keep the line score low, so the sentence is judged
    on its own: an interface phrase of a prompt kind (the phrase tables)
    *and* the shape of an instruction to the reader (an interface verb
    first, or a word addressing the reader), at most 25 words.  Returns
    ``(offset of the sentence in the line, its score)``."""
    at = None
    for m in BOUNDARY.finditer(line):
        at = m.end()
    if at is None:
        return None
    stripped = line[at:].strip()
    low = [w.lower() for w in WORD.findall(stripped)]
    if not low or len(low) > 25:
        return None
    feats = line_features(stripped, lang)
    # The sentence tells the reader to act on the page: an interface verb
    # opens it, or it addresses the reader.
    if not (verb_first(low, lang) or "reader_address" in feats):
        return None
    # And it is about the page: an interface phrase of a prompt kind in the
    # sentence's language or English, or an interface verb with a word
    # naming the site's parts and the site speaking to its reader
    # ("Abonnieren Sie unseren Newsletter, …").
    langs = cue_langs(lang)
    # A phrase, not a single word: one word ("ansehen") is as common in a
    # story as on a page.
    kinds = {m.cue.kind for m in cue_table("boilerplate").matches(stripped, low, langs, "AS")
             if len(WORD.findall(stripped[m.start:m.end])) >= 2}
    cue = next((k for k in PROMPT_KINDS if k in kinds), None)
    if cue is None and not ("call_to_action" in feats and "site_voice" in feats):
        return None
    s = score_line(line[at:], lang)
    s.kind = cue or s.kind
    return at, s


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
        # With the line order known, shape alone (short, capitalised,
        # unpunctuated) does not make a line boilerplate: headlines and
        # subheadings have that shape too.  A flagged line must also carry a
        # mark of the web page (EVIDENCE).  Unordered lines (one-line
        # documents, use_position off) are judged on their score alone.
        ordered = use_position and len(lines) >= 3
        edge, block = set(), set()
        if ordered:
            # Head and tail blocks: runs of unpunctuated short lines at
            # either end; the first and last lines are always edge lines.
            for seq in (lines, lines[::-1]):
                run = []
                for k, (i, off, line) in enumerate(seq):
                    if k >= 6 or SENT_END.search(line.strip()) or len(WORD.findall(line)) > 12:
                        break
                    run.append((i, off))
                edge.update(run)
                if len(run) >= 2:
                    block.update(run)
                edge.add((seq[0][0], seq[0][1]))
        self.hits: dict[int, list[LineScore]] = {}
        for i, off, line in lines:
            # A short interface phrase glued after the last sentence of a
            # line is reported alone, not with the sentences before it.
            m = TRAILER.search(line)
            if m:
                t = score_line(m.group(1), lang)
                if t.score >= threshold + 1.0 and t.kind is not None:
                    t.start += off + m.start(1)
                    t.end += off + m.start(1)
                    t.reasons.append("after the last sentence")
                    self.hits.setdefault(i, []).append(t)
                    continue
            g = glued_prompt(line, lang)
            if g is not None:
                at, t = g
                t.start += off + at
                t.end += off + at
                t.reasons = ["prompt glued after the last sentence"] + t.reasons
                self.hits.setdefault(i, []).append(t)
                continue
            s = score_line(line, lang, edge=(i, off) in edge, edge_block=(i, off) in block, n_docs=n_docs,
                           recurrence=lambda line=line: ldf.get(normalise_line(line), 0))
            if s.score >= threshold and (s.evidence or not ordered):
                s.start += off
                s.end += off
                self.hits.setdefault(i, []).append(s)


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
        "threshold": Option(weights()[1], "line score from which a line is boilerplate "
                                          "(the sum of feature weights, data/boilerplate_weights.tsv)"),
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
    alone never decides for running text.  A prompt glued as the last
    sentence of a paragraph ("... on the federation's website. Subscribe to
    our newsletter to receive the best of sports news every morning.") is
    reported alone when it both holds an interface phrase (newsletter,
    sharing, "read also") and tells the reader to act (an interface verb
    first, or a word addressing the reader).

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
