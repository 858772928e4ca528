"""Parsed view of one document for the gender detectors: both sides split
into sentences with global indices, their mentions, and the sentence
alignment between them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ... import nlp
from ...align import align, target_to_source
from . import english, french


@dataclass
class Side:
    docs: list                     # spaCy Doc per segment (None when not parsed)
    sents: list = field(default_factory=list)          # global index -> Span
    sent_seg: list[int] = field(default_factory=list)  # global index -> segment position
    seg_sents: dict[int, list[int]] = field(default_factory=dict)
    mentions: list = field(default_factory=list)


# Mentions of a parsed sentence, by (Doc, sentence start, extractor): the
# eight systems of a corpus share each source sentence's parse, so its
# mentions are extracted once and copied (callers change their copies).
_MENTIONS: dict = {}
_MENTIONS_MAX = 20_000


def _sentence_mentions(mentions_of, sent, g: int, key: int) -> list:
    # the key holds the Doc itself: its id cannot be reused while cached
    ck = (sent.doc, sent.start, mentions_of)
    found = _MENTIONS.get(ck)
    if found is None:
        if len(_MENTIONS) >= _MENTIONS_MAX:
            _MENTIONS.clear()
        found = _MENTIONS[ck] = mentions_of(sent, 0, 0)
    out = []
    for m in found:
        c = object.__new__(type(m))      # a shallow copy: every field is a scalar
        c.__dict__.update(m.__dict__)
        c.sent, c.doc_key = g, key
        out.append(c)
    return out


def build_side(lang: str, texts: list[str], positions: list[int], mentions_of) -> Side:
    docs = nlp.parse(lang, [texts[p] for p in positions])
    side = Side(docs=docs)
    for key, (pos, doc) in enumerate(zip(positions, docs)):
        side.seg_sents[pos] = []
        for sent in doc.sents:
            g = len(side.sents)
            side.sents.append(sent)
            side.sent_seg.append(pos)
            side.seg_sents[pos].append(g)
            side.mentions.extend(_sentence_mentions(mentions_of, sent, g, key))
    return side


def english_side(texts: list[str], positions: list[int]) -> Side:
    return build_side("en", texts, positions, english.sentence_mentions)


def french_side(texts: list[str], positions: list[int]) -> Side:
    return build_side("fr", texts, positions, french.sentence_mentions)


def sentence_links(tgt: Side, src: Side) -> dict[int, tuple[int, ...]]:
    """Target global sentence index -> aligned source global sentence indices,
    aligning sentence by sentence inside each segment."""
    out: dict[int, tuple[int, ...]] = {}
    for pos, tsents in tgt.seg_sents.items():
        ssents = src.seg_sents.get(pos, [])
        if not ssents:
            continue
        if len(tsents) == 1 or len(ssents) == 1:
            for t in tsents:
                out[t] = tuple(ssents)
            continue
        beads = align([src.sents[s].text for s in ssents], [tgt.sents[t].text for t in tsents])
        for j, ss in target_to_source(beads).items():
            out[tsents[j]] = tuple(ssents[i] for i in ss)
    return out


def promote_names(*sides: Side) -> None:
    """Names that are persons somewhere in the document are persons
    everywhere in it: NER tags the same surname PER in one sentence and ORG
    or nothing in the next ("M. Ditta ... Ditta a été arrêté").  Evidence: a
    person entity, a title before the name, or a given name before it."""
    names: set[str] = set()
    for side in sides:
        if side is None:
            continue
        for m in side.mentions:
            if m.kind == "person" and getattr(m, "cls", "") in ("PERSON", "name", "") :
                last = m.text.split()[-1].lower().strip(".,")
                if last and m.text[:1].isupper():
                    names.add(last)
    for side in sides:
        if side is None:
            continue
        for m in side.mentions:
            if m.kind in ("nonperson", "unknown") and m.text[:1].isupper():
                last = m.text.split()[-1].lower().strip(".,")
                if last in names:
                    m.kind = "person"


def demote_company_names(*sides: Side) -> None:
    """A one-word name tagged as a person where the document also names an
    organisation starting with that word is the organisation's short form:
    *Frontier Airlines … Frontier a déclaré qu'elle* (NER took the bare
    *Frontier* for a surname).  A given name or a title keeps it a person."""
    from . import lexicon
    orgs: set[str] = set()
    for side in sides:
        if side is None:
            continue
        for doc in side.docs:
            for ent in doc.ents:
                if ent.label_ == "ORG" and len(ent) > 1:
                    orgs.add(ent[0].text.lower())
    if not orgs:
        return
    for side in sides:
        if side is None:
            continue
        for m in side.mentions:
            low = m.text.lower()
            if m.kind != "person" or " " in m.text or low not in orgs or lexicon.first_names().get(low):
                continue
            tok = side.docs[m.doc_key][m.start]
            prev = tok.doc[tok.i - 1].text.lower() if tok.i > 0 else ""
            if prev in english.TITLES or prev in french.TITLES:
                continue
            m.kind = "nonperson"
            if hasattr(m, "cls"):
                m.cls = "ORG"
