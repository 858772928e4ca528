"""GN003: a French il/elle/ils/elles that agrees with no plausible antecedent."""
from __future__ import annotations

import re
from dataclasses import replace

from ... import nlp
from ..base import Category, Detector, DocumentContext, Option, Severity
from ..registry import register
from . import french, lexicon
from .document import french_side

_QUICK = re.compile(r"\b(?:il|elle|ils|elles)\b", re.I)
_GENDER_WORD = {"m": "masculine", "f": "feminine"}


@register
class FrenchPronounAgreement(Detector):
    """French subject pronoun whose gender does not match its antecedent.

    Flags *il/elle/ils/elles* whose most plausible antecedent has the other
    gender, and *elle(s)* with no feminine noun or woman to refer to.

    Why: French *il/elle/ils/elles* take the grammatical gender (and number) of
    the noun they refer to; MT from English, where *it* and *they* carry no
    gender, often picks the wrong one: "Une seule route menait à la ferme, et
    **il** passait devant la grande maison".  The detector ranks the
    antecedents a pronoun could have (same and two previous sentences,
    matching number; subjects and recent mentions first, pronoun chains
    followed) without looking at gender, and flags the pronoun when the
    most plausible one has the other gender and no antecedent of the
    pronoun's gender comes close.  Impersonal *il* (*il faut*, *il y a*) is
    skipped.

    Example: "La route était étroite. [[Il]] passait devant la ferme."
    """
    code = "GN003"
    name = "gender.french-pronoun-agreement"
    groups = ("gender", "fluency")
    severity = Severity.MINOR
    category = Category.GRAMMAR
    languages = ("fr",)
    needs = frozenset({"hypothesis", "document"})
    requires_extra = "nlp"
    options = {
        "window": Option(2, "sentences to look back for an antecedent"),
        "margin": Option(0.0, "how far ahead of the best antecedent of the pronoun's gender the "
                              "best antecedent of the other gender must be"),
        "context": Option(True, "look for antecedents in earlier segments of the document"),
    }

    @classmethod
    def available(cls) -> str | None:
        return nlp.missing(("fr",))

    def check_document(self, doc: DocumentContext):
        segs = doc.segments
        hyps = [s.hypothesis or "" for s in segs]
        with_pron = [i for i, h in enumerate(hyps) if _QUICK.search(h)]
        if not with_pron:
            return
        window = int(self.opts["window"])
        if self.opts["context"]:
            positions = list(range(max(0, with_pron[0] - window), with_pron[-1] + 1))
        else:
            positions = with_pron
        side = french_side(hyps, positions)
        wanted = set(with_pron)
        for key, fr_doc in enumerate(side.docs):
            pos = positions[key]
            if pos not in wanted:
                continue
            for tok in fr_doc:
                verdict = judge(tok, side, key, window, float(self.opts["margin"]),
                                bool(self.opts["context"]))
                if verdict is None:
                    continue
                seg = segs[pos]
                yield self.finding(seg, verdict["start"], verdict["end"], verdict["message"],
                                   suggestion=verdict["suggestion"], confidence=verdict["confidence"],
                                   antecedent=verdict["antecedent"])


_SWAP = {"il": "elle", "elle": "il", "ils": "elles", "elles": "ils"}


_INVERTED = re.compile(r"^(.*?)-(?:t-)?(il|elle|ils|elles)$", re.I)
# parenthetical or impersonal verbs before an inverted "-il": "faut-il",
# "y a-t-il", "s'agit-il", "semble-t-il"
_IMPERSONAL_INVERTED = french.ALWAYS_IMPERSONAL | {"sembler", "paraître", "agir"}


def subject_pronoun(tok) -> tuple[str, int, bool] | None:
    """(pronoun, character offset, inverted) when ``tok`` is a subject
    il/elle/ils/elles, including the inverted subject of a question or an
    incise, which spaCy splits off as "-il", leaves glued ("Est-elle") or
    separates from its hyphen ("font - elles")."""
    low = tok.text.lower()
    if low in french.SUBJ_PRONOUNS:
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.text in ("-", "-t-", "-t") and tok.idx == prev.idx + len(prev.text):
            return low, tok.idx, True
        if tok.pos_ != "PRON" or tok.dep_ not in ("nsubj", "nsubj:pass", "expl:subj"):
            return None
        return low, tok.idx, False
    m = _INVERTED.match(low)
    if m and (m.group(1) or tok.i > 0) and not tok.is_space:
        pron = m.group(2)
        return pron, tok.idx + len(tok.text) - len(pron), True
    return None


# Verbs whose impersonal il takes a postposed indefinite subject: "il reste
# deux personnes", "il manque trois pages", "il existe des solutions".
_EXISTENTIAL = frozenset(("rester", "manquer", "exister", "subsister", "arriver", "venir", "passer"))


def _impersonal(tok) -> bool:
    if french.impersonal_il(tok):
        return True
    head = tok.head
    return tok.text.lower() == "il" and head.lemma_.lower() in _EXISTENTIAL and any(
        c.i > head.i and c.dep_ in ("obj", "nsubj") and any(d.dep_ in ("det", "nummod") and
                                                           d.text.lower() not in ("le", "la", "l'", "les")
                                                           for d in c.children)
        for c in head.children)


def _inverted_impersonal(tok, pron: str) -> bool:
    """An inverted *il* with no referent: the verb before it (or glued to
    it) is impersonal, or it is *y a-t-il*."""
    if pron != "il":
        return False
    verb = tok
    if "-" not in tok.text.strip("-"):
        k = tok.i - 1
        while k >= 0 and tok.doc[k].text in ("-", "-t", "-t-"):
            k -= 1
        if k < 0:
            return False
        verb = tok.doc[k]
    word = verb.text.lower().split("-")[0]
    lemma = verb.lemma_.lower().split("-")[0] if verb is not tok else word
    if lemma in _IMPERSONAL_INVERTED or word in ("faut", "fallait", "faudra", "faudrait", "agit", "semble"):
        return True
    before = tok.doc[verb.i - 1].text.lower() if verb.i > 0 else ""
    return word in ("a", "avait", "aura", "aurait", "eut") and before == "y"


def judge(tok, side, doc_key: int, window: int, margin: float, context: bool = True) -> dict | None:
    found = subject_pronoun(tok)
    if found is None:
        return None
    low, start, inverted = found
    if (_inverted_impersonal(tok, low) if inverted else _impersonal(tok)):
        return None
    span = {"start": start, "end": start + len(low)}
    gender, number = french.SUBJ_PRONOUNS[low]
    sent_index = next(g for g in side.seg_sents[_pos_of(side, doc_key)]
                      if side.sents[g].start <= tok.i < side.sents[g].end)
    mentions = side.mentions if context else [m for m in side.mentions if m.doc_key == doc_key]
    ranked = french.rank_antecedents(tok, mentions, sent_index, window, doc_key)
    rel_head = _relative_head(tok)
    ranked = [(s, _regendered(m, side)) for s, m in ranked
              if (m.number == number or (number == "p" and m.kind == "pronoun")) and _referential(m, side)
              and not (m.doc_key == doc_key and m.start == rel_head)]
    ranked = sorted(((s - _EMBEDDED_PENALTY * _embedded(m, side), m) for s, m in ranked), key=lambda x: -x[0])
    if gender == "f" and not any(m.gender == "f" or (m.gender is None and m.kind == "person") for _, m in ranked) \
            and not _feminine_clitic_before(tok, side, sent_index, window, number):
        # the feminine is marked: with no feminine noun (or person of unknown
        # sex) to refer to, "elle(s)" has no antecedent; the masculine is
        # French's default for things and groups of people
        want = "m"
        best = ranked[0][1] if ranked else None
        sug = "il" if number == "s" else "ils"
        if tok.text[-len(low):][0].isupper():
            sug = sug.capitalize()
        return {**span, "confidence": 0.6, "antecedent": best.text if best else None, "suggestion": sug,
                "message": f"'{tok.text}' is feminine but no feminine noun or woman precedes it"
                           + (f" (nearest antecedent '{best.text}' is {_GENDER_WORD[best.gender]})"
                              if best is not None and best.gender else "")}
    if not ranked:
        return None
    best_s, best = ranked[0]
    if best.gender is None or best.gender == gender:
        return None
    if number == "p" and gender == "m" and _mixed_group(best, [m for _, m in ranked[1:4] if m.gender == "m"], side):
        return None   # "ils" for a mixed group is correct French
    same = [s for s, m in ranked if m.gender in (gender, None)]
    if same and same[0] >= best_s - margin:
        return None
    gap = best_s - (same[0] if same else best_s - 3.0)
    conf = min(0.9, 0.5 + 0.1 * gap)
    want = best.gender
    sug = {("m", "s"): "il", ("f", "s"): "elle", ("m", "p"): "ils", ("f", "p"): "elles"}[(want, number)]
    if tok.text[-len(low):][0].isupper():
        sug = sug.capitalize()
    return {**span, "confidence": round(conf, 2), "antecedent": best.text, "suggestion": sug,
            "message": f"'{tok.text}' is {_GENDER_WORD[gender]} but its most likely antecedent "
                       f"'{best.text}' is {_GENDER_WORD[want]}"}


def _pos_of(side, doc_key: int) -> int:
    return list(side.seg_sents)[doc_key]


# Determiners that show the gender of the noun they introduce.  mon/ton/son
# only before a consonant: "mon amie" is feminine.
_DET_GENDER = {"le": "m", "la": "f", "un": "m", "une": "f", "ce": "m", "cet": "m", "cette": "f",
               "ma": "f", "ta": "f", "sa": "f", "du": "m", "au": "m", "ledit": "m", "ladite": "f",
               "aucun": "m", "aucune": "f", "quel": "m", "quelle": "f", "nul": "m", "nulle": "f"}
_POSS_M = ("mon", "ton", "son")
_ARTICLE_ADP = ("au", "aux", "du", "des")


def _head_token(m, side):
    if m.kind == "pronoun" or " " in m.text:
        return None
    doc = side.docs[m.doc_key]
    tok = doc[m.start]
    return tok if tok.pos_ == "NOUN" else None


def _referential(m, side) -> bool:
    """Whether mention ``m`` can be a pronoun's antecedent.  Not an
    impersonal *il* (*s'il restait deux personnes*), not a time adverbial
    (*ces derniers temps*, *trois heures plus tôt*), and a common noun only
    as a noun phrase with a determiner (article, demonstrative, possessive,
    number, or au/du): bare nouns are parts of fixed expressions (*de
    sorte que*, *pourvu que*), predicates, titles, or verbs mis-tagged as
    nouns (*Disons*)."""
    doc = side.docs[m.doc_key]
    if m.kind == "pronoun":
        t = doc[m.start]
        found = subject_pronoun(t)
        if found and found[0] == "il":
            return not (_inverted_impersonal(t, "il") if found[2] else _impersonal(t))
        return True
    tok = _head_token(m, side)
    if tok is None:
        return True
    if tok.lemma_.lower() in lexicon.fr_time_nouns() and tok.dep_ not in ("nsubj", "nsubj:pass", "obj"):
        return False
    if any(c.dep_ in ("det", "nummod", "nmod:poss") for c in tok.children):
        return True
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return prev is not None and prev.text.lower() in _ARTICLE_ADP


# A noun inside another noun phrase (*une lettre de l'hôpital*, *la chaleur
# du soleil*) is less salient than the phrase's head, which recency alone
# would put behind it.
_EMBEDDED_PENALTY = 0.6


def _embedded(m, side) -> bool:
    tok = _head_token(m, side)
    return tok is not None and tok.dep_ == "nmod" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i < tok.i


def _mixed_group(fem, masc: list, side) -> bool:
    """Whether the feminine mention ``fem`` is coordinated with one of the
    masculine ``masc`` (*le lion et la panthère … ils*) or is a group of
    persons beside masculine persons, which *ils* takes together.  A
    masculine noun merely nearby does not make a group (*les choses …
    comme elles sont*)."""
    if fem.kind == "person" and any(m.kind in ("person", "pronoun") for m in masc):
        return True
    a = _head_token(fem, side)
    if a is None:
        return False
    for m in masc:
        b = _head_token(m, side)
        if b is not None and b.doc is a.doc and ((b.dep_ == "conj" and b.head.i == a.i)
                                                   or (a.dep_ == "conj" and a.head.i == b.i)):
            return True
    return False


def _relative_head(tok) -> int | None:
    """The noun a relative clause modifies when ``tok`` is that clause's
    subject: it cannot be the pronoun's referent (*la reine qu'il mérite*:
    *il* is not the queen)."""
    clause = tok.head
    if clause.dep_.startswith("acl") and clause.head.pos_ in ("NOUN", "PROPN") and clause.head.i < tok.i:
        return clause.head.i
    return None


def _feminine_clitic_before(tok, side, sent_index: int, window: int, number: str) -> bool:
    """A feminine object clitic or participle agreement before ``tok`` in the
    window (*Frappez-la, écrasez-la, elle n'explosera pas*; *ils l'ont
    exposée*): a feminine referent is in play even when its noun is not in
    view."""
    from .entity import french_pronoun_gender
    for g in range(max(0, sent_index - window), sent_index + 1):
        for t in side.sents[g]:
            if t.doc is tok.doc and t.i >= tok.i:
                break
            low = t.text.lower().lstrip("-")
            if number == "s" and low in ("la", "l'") and french_pronoun_gender(t) == "f" and t.dep_ != "det":
                return True
            if number == "p" and low == "les" and t.pos_ == "PRON":
                part = t.head
                if part.morph.get("Gender") == ["Fem"] and part.morph.get("Number") == ["Plur"]:
                    return True
    return False


def _regendered(m, side):
    """``m`` with the grammatical gender of its noun taken, in order, from
    a determiner that shows it and the French noun-gender lexicon, before
    the tagger's guess (which often misses: *ces fantômes* Fem)."""
    tok = _head_token(m, side)
    if tok is None:
        return m
    g = _noun_gender(tok)
    if g is None or g == m.gender:
        return m
    return replace(m, gender=g)


def _noun_gender(tok) -> str | None:
    for c in tok.children:
        if c.dep_ != "det":
            continue
        low = c.text.lower()
        if low in _DET_GENDER:
            return _DET_GENDER[low]
        if low in _POSS_M and tok.text[:1].lower() not in "aeiouhéèêâîôûœ":
            return "m"
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    if prev is not None and prev.text.lower() in ("au", "du") and prev.i == tok.i - 1:
        return "m"
    nouns = lexicon.fr_noun_gender()
    for form in (tok.lemma_.lower(), tok.text.lower(), tok.text.lower().rstrip("sx")):
        g = nouns.get(form)
        if g:
            return g
    return None
