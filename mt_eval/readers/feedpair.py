"""Pairing a source feed with its translated feed(s) into corpora.

Every translated item is matched to a source item by one of:

* ``id``    — the same ``guid`` / ``id`` on both sides;
* ``link``  — the same link, or a link to the other language
  (Atom ``<link rel="alternate" hreflang=...>``, JSON Feed ``external_url``);
* ``field:NAME`` — an explicit mapping field of the translated item (a child
  element ``<NAME>`` in RSS/Atom, a key or dotted path in JSON Feed) holding
  the source item's id or link;
* ``auto`` (default) — ``id``, then ``link``.

Each pair becomes one document (``doc_id`` = the source item's id): the
title, summary and body paragraphs are rows, aligned role by role.  When the
two bodies have different paragraph counts the paragraphs are aligned by
length (Gale & Church's idea: 1-1, 1-0, 0-1, 2-1 and 1-2 beads), so one
dropped paragraph does not shift every later pair; the mismatch is reported.

Nothing is dropped: a translated item without a source (when source feeds
are given) is still checked, by the detectors that need no source, and
reported as unpaired; a source item that no translation claims is reported
as unpaired; duplicate ids are reported.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pandas as pd

from ..corpus import Corpus, hyp_column
from ..errors import InputError, UsageError
from .feeds import Feed, FeedItem, Part, read_feed

PAIR_BY = ("auto", "id", "link")


@dataclass
class Note:
    """A remark about one item that every output shows."""
    kind: str          # duplicate-id, no-body, empty, paragraphs, no-source, no-reference
    message: str


@dataclass
class ItemInfo:
    """One document of a feed set and where its sides come from."""
    doc_id: str
    title: str
    translation: FeedItem | None
    source: FeedItem | None = None
    references: list[FeedItem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def location(self) -> tuple[str, int | None]:
        it = self.translation or self.source
        return it.feed, it.line


@dataclass
class FeedSet:
    """One translated feed with the source items it pairs with: one unit of
    the gate.  ``items`` lists every translated item (as documents of
    ``corpus``, in feed order); ``unpaired_sources`` the source items that
    no translated feed claimed (filled on the first set only)."""
    name: str
    corpus: Corpus
    items: list[ItemInfo]
    src_lang: str | None
    tgt_lang: str | None
    unpaired_sources: list[ItemInfo] = field(default_factory=list)
    unpaired_references: list[ItemInfo] = field(default_factory=list)


# -- roles ------------------------------------------------------------------------
def _lang(code: str | None) -> str | None:
    return code.strip().lower().replace("_", "-").split("-")[0] if code and code.strip() else None


def langpair_problem(langpair: str) -> str | None:
    parts = langpair.split("-")
    return None if len(parts) == 2 and all(parts) else f"langpair must look like fr-en, got {langpair!r}"


def pair_by_problem(pair_by: str) -> str | None:
    if pair_by in PAIR_BY or (pair_by.startswith("field:") and len(pair_by) > 6):
        return None
    return f"pair-by must be one of {', '.join(PAIR_BY)} or field:NAME, got {pair_by!r}"


def assign_roles(feeds: Sequence[Feed], langpair: str | None) -> tuple[list[Feed], list[Feed]]:
    """``(sources, translations)`` from the feeds' declared languages."""
    if langpair:
        problem = langpair_problem(langpair)
        if problem:
            raise UsageError(problem)
        src, tgt = (_lang(p) for p in langpair.split("-"))
        sources, translations = [], []
        for f in feeds:
            lang = _lang(f.lang)
            if lang is None and len(feeds) == 1:
                translations.append(f)
            elif lang is None:
                raise InputError("the feed declares no language (<language>, xml:lang or \"language\"), "
                                 f"so it cannot be told apart as {src} or {tgt}", f.path, 1)
            elif lang == src:
                sources.append(f)
            elif lang == tgt:
                translations.append(f)
            else:
                raise InputError(f"feed language {f.lang!r} is neither {src} nor {tgt} (--langpair {langpair})",
                                 f.path, 1)
        return sources, translations
    langs = {_lang(f.lang) for f in feeds}
    if len(langs) == 1:
        return [], list(feeds)
    if None in langs:
        bad = next(f for f in feeds if _lang(f.lang) is None)
        raise InputError("the feed declares no language, so source and translation feeds cannot be told "
                         "apart; declare it or pass --langpair SRC-TGT", bad.path, 1)
    if len(langs) == 2:
        a, b = sorted(langs)
        fa = [f for f in feeds if _lang(f.lang) == a]
        fb = [f for f in feeds if _lang(f.lang) == b]
        # A translated item links back to its original (hreflang alternates);
        # the original seldom links forward, so that tells the direction.
        ab, ba = _points_to(fa, fb), _points_to(fb, fa)
        if ab > ba:
            return fb, fa
        if ba > ab:
            return fa, fb
    raise UsageError(f"feeds in {', '.join(sorted(map(str, langs)))}: cannot tell which are sources and which "
                     "translations; pass --langpair SRC-TGT (e.g. fr-en)")


def _points_to(from_feeds: Sequence[Feed], to_feeds: Sequence[Feed]) -> int:
    targets = {i.link for f in to_feeds for i in f.items if i.link}
    return sum(1 for f in from_feeds for i in f.items if targets.intersection(i.alternates))


# -- pairing ----------------------------------------------------------------------
class _Index:
    def __init__(self, items: Sequence[FeedItem]):
        self.by_id: dict[str, list[FeedItem]] = defaultdict(list)
        self.by_link: dict[str, list[FeedItem]] = defaultdict(list)
        for it in items:
            if it.id:
                self.by_id[it.id].append(it)
            for link in filter(None, (it.link, *it.alternates)):
                self.by_link[link].append(it)
        self.used: set[int] = set()

    def take(self, candidates: list[FeedItem]) -> FeedItem | None:
        for c in candidates:
            if id(c) not in self.used:
                self.used.add(id(c))
                return c
        return None

    def match(self, item: FeedItem, pair_by: str) -> FeedItem | None:
        if pair_by.startswith("field:"):
            value = item.fields.get(pair_by[6:])
            if not value:
                return None
            return self.take(self.by_id.get(value.strip(), []) + self.by_link.get(value.strip(), []))
        if pair_by in ("auto", "id") and item.id:
            hit = self.take(self.by_id.get(item.id, []))
            if hit or pair_by == "id":
                return hit
        if pair_by in ("auto", "link"):
            for link in filter(None, (item.link, *item.alternates)):
                hit = self.take(self.by_link.get(link, []))
                if hit:
                    return hit
        return None


def _check_pair_by(pair_by: str) -> None:
    problem = pair_by_problem(pair_by)
    if problem:
        raise UsageError(problem)


def _duplicates(feeds: Sequence[Feed]) -> dict[int, Note]:
    notes = {}
    for f in feeds:
        seen: dict[str, FeedItem] = {}
        for it in f.items:
            if it.id and it.id in seen:
                first = seen[it.id]
                notes[id(it)] = Note("duplicate-id", f"id {it.id!r} already used by the item on line "
                                                     f"{first.line} of the same feed")
            elif it.id:
                seen[it.id] = it
    return notes


def build_feed_sets(paths: Sequence[str], *, langpair: str | None = None, references: Sequence[str] = (),
                    pair_by: str = "auto", system: str = "mt") -> list[FeedSet]:
    """Read feed files and pair them: one :class:`FeedSet` per translated feed."""
    _check_pair_by(pair_by)
    feeds = [read_feed(p) for p in paths]
    ref_feeds = [read_feed(p) for p in references]
    if not feeds:
        raise UsageError("no feed to check")
    sources, translations = assign_roles(feeds, langpair)
    if not translations:
        raise UsageError("no translated feed among the inputs (only "
                         f"{', '.join(sorted({f.lang or '?' for f in feeds}))} feeds)")
    src_index = _Index([i for f in sources for i in f.items])
    dup = _duplicates(sources + translations + ref_feeds)
    sets = []
    for tf in translations:
        infos = []
        for it in tf.items:
            src = src_index.match(it, pair_by) if sources else None
            infos.append(ItemInfo("", it.title or (src.title if src else ""), it, src))
        sets.append((tf, infos))
    # References pair with the source item (or, with no source feed, the
    # translated item) by the same rule.
    ref_unpaired: list[ItemInfo] = []
    if ref_feeds:
        by_anchor = {}
        anchors = []
        for _, infos in sets:
            for info in infos:
                anchor = info.source if sources else info.translation
                if anchor is not None:
                    anchors.append(anchor)
                    by_anchor[id(anchor)] = info
        idx = _Index(anchors)
        for rf in ref_feeds:
            for it in rf.items:
                hit = idx.match(it, pair_by)
                if hit is None:
                    ref_unpaired.append(ItemInfo(it.key(), it.title, None, None, [it],
                                                 [Note("no-source", "reference item matches no item")]))
                else:
                    by_anchor[id(hit)].references.append(it)
    out = []
    taken: set[str] = set()
    for tf, infos in sets:
        rows = []
        for info in infos:
            info.doc_id = _unique(info.source.key() if info.source else info.translation.key(), taken)
            rows += _rows(info, system, dup, bool(sources))
        frame = pd.DataFrame(rows)
        if frame.empty:
            corpus = Corpus(pd.DataFrame({"doc_id": [], "seg_id": [], hyp_column(system): []}),
                            name=Path(tf.path).name, files={hyp_column(system): tf.path})
        else:
            corpus = Corpus(frame, name=Path(tf.path).name, files={hyp_column(system): tf.path})
        src_lang = next((_lang(f.lang) for f in sources if f.lang), None)
        out.append(FeedSet(tf.path, corpus, infos, src_lang, _lang(tf.lang)))
    unpaired = [ItemInfo(_unique(it.key(), taken), it.title, None, it, [], [Note("no-translation",
                         "no translated item pairs with this source item")])
                for f in sources for it in f.items if id(it) not in src_index.used]
    out[0].unpaired_sources = unpaired
    out[0].unpaired_references = ref_unpaired
    return out


def _unique(key: str, taken: set[str]) -> str:
    doc_id, n = key, 2
    while doc_id in taken:
        doc_id, n = f"{key}#{n}", n + 1
    taken.add(doc_id)
    return doc_id


def _by_role(item: FeedItem | None) -> dict[str, list[Part]]:
    roles: dict[str, list[Part]] = {"title": [], "summary": [], "body": []}
    for p in item.parts if item else ():
        roles[p.role].append(p)
    return roles


def _rows(info: ItemInfo, system: str, dup: dict[int, Note], has_sources: bool) -> list[dict]:
    t, s = info.translation, info.source
    for it in (t, s, *info.references):
        if it is not None and id(it) in dup:
            info.notes.append(dup[id(it)])
    if s is None and has_sources:
        info.notes.append(Note("no-source", "no source item pairs with this translated item: checked "
                                            "without the source"))
    tr, sr = _by_role(t), _by_role(s)
    refs = [_by_role(r) for r in info.references]
    if not t.parts:
        info.notes.append(Note("empty", "the translated item has no title and no text"))
    elif not tr["body"]:
        info.notes.append(Note("no-body", "the translated item has no body; its title and summary are checked"))
    if s is not None and tr["body"] and sr["body"] and len(tr["body"]) != len(sr["body"]):
        info.notes.append(Note("paragraphs", f"the source has {len(sr['body'])} body paragraphs, the translation "
                                             f"{len(tr['body'])}; aligned by length"))
    rows = []
    for role in ("title", "summary", "body"):
        beads = _align(sr[role], tr[role]) if s is not None else [([], [p]) for p in tr[role]]
        ref_beads = [_align(sr[role] if s is not None else tr[role], r[role]) for r in refs]
        for bead_i, (src_parts, tgt_parts) in enumerate(beads):
            row = {"doc_id": info.doc_id, "source": _join(src_parts), hyp_column(system): _join(tgt_parts),
                   "src_lang": _lang(s.lang) if s else None, "tgt_lang": _lang(t.lang),
                   "part": role, "item": t.key(), "feed": t.feed}
            origin = {}
            if tgt_parts:
                row["line"] = tgt_parts[0].line
                origin[hyp_column(system)] = f"{t.feed}:{tgt_parts[0].line or ''}"
            else:
                row["line"] = t.line
            if src_parts:
                origin["source"] = f"{s.feed}:{src_parts[0].line or ''}"
            refs_text = []
            for k, rb in enumerate(ref_beads):
                text = _ref_for(rb, src_parts, tgt_parts, bead_i, s is not None)
                if text:
                    refs_text.append(text)
            row["references"] = tuple(refs_text)
            row["origin"] = origin
            rows.append(row)
    if not rows:
        # An item with no text at all still gets a row, so it is accounted for.
        rows.append({"doc_id": info.doc_id, "source": "", hyp_column(system): "", "src_lang": None,
                     "tgt_lang": _lang(t.lang), "part": "title", "item": t.key(), "feed": t.feed,
                     "line": t.line, "references": (), "origin": {hyp_column(system): f"{t.feed}:{t.line}"}})
    for i, r in enumerate(rows, 1):
        r["seg_id"] = i
    return rows


def _ref_for(ref_beads, src_parts, tgt_parts, bead_i, has_source) -> str:
    """The reference text aligned with the same anchor parts as this row."""
    anchor = src_parts if has_source else tgt_parts
    if not anchor:
        return ""
    for a, r in ref_beads:
        if a and a[0] is anchor[0]:
            return _join(r)
    return ""


def _join(parts: list[Part]) -> str:
    return "\n".join(p.text for p in parts)


# -- paragraph alignment ------------------------------------------------------------
# Costs in log length-ratio units.  A merge costs a little more than a skip, so
# two paragraphs are joined only when that improves the length fit by ~20 %;
# a short extra line (scraped boilerplate) stays a row of its own.
_SKIP, _MERGE = 3.0, 3.2


def _align(src: list[Part], tgt: list[Part]) -> list[tuple[list[Part], list[Part]]]:
    """Beads of source and target paragraphs.  Equal counts pair in order;
    otherwise a dynamic programme on character-length ratios decides."""
    if len(src) == len(tgt) or not src or not tgt:
        n = max(len(src), len(tgt))
        return [(src[i:i + 1], tgt[i:i + 1]) for i in range(n)]
    ps, pt = [0], [0]   # prefix sums of paragraph lengths
    for p in src:
        ps.append(ps[-1] + len(p.text))
    for p in tgt:
        pt.append(pt[-1] + len(p.text))
    ratio = (pt[-1] + 1) / (ps[-1] + 1)

    def cost(a: int, b: int) -> float:
        return abs(math.log((b + 1) / (a * ratio + 1)))

    inf = float("inf")
    n, m = len(src), len(tgt)
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    moves = ((1, 1, 0.0), (1, 0, _SKIP), (0, 1, _SKIP), (2, 1, _MERGE), (1, 2, _MERGE))
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == inf:
                continue
            for di, dj, extra in moves:
                a, b = i + di, j + dj
                if a > n or b > m:
                    continue
                c = best[i][j] + extra + (cost(ps[a] - ps[i], pt[b] - pt[j]) if di and dj else 0.0)
                if c < best[a][b]:
                    best[a][b] = c
                    back[a][b] = (i, j)
    beads = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = back[i][j]
        beads.append((src[pi:i], tgt[pj:j]))
        i, j = pi, pj
    return beads[::-1]
