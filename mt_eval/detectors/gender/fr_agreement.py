"""GN003: a French il/elle/ils/elles that agrees with no plausible antecedent."""
from __future__ import annotations

import re

from ... import nlp
from ..base import Category, Detector, DocumentContext, Option, Severity
from ..registry import register
from . import french
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
                yield self.finding(seg, tok.idx, tok.idx + len(tok.text), verdict["message"],
                                   suggestion=verdict["suggestion"], confidence=verdict["confidence"],
                                   antecedent=verdict["antecedent"])


_SWAP = {"il": "elle", "elle": "il", "ils": "elles", "elles": "ils"}


def judge(tok, side, doc_key: int, window: int, margin: float, context: bool = True) -> dict | None:
    low = tok.text.lower()
    if low not in french.SUBJ_PRONOUNS or tok.pos_ != "PRON":
        return None
    if tok.dep_ not in ("nsubj", "nsubj:pass", "expl:subj"):
        return None
    if french.impersonal_il(tok):
        return None
    gender, number = french.SUBJ_PRONOUNS[low]
    sent_index = next(g for g in side.seg_sents[_pos_of(side, doc_key)]
                      if side.sents[g].start <= tok.i < side.sents[g].end)
    mentions = side.mentions if context else [m for m in side.mentions if m.doc_key == doc_key]
    ranked = french.rank_antecedents(tok, mentions, sent_index, window, doc_key)
    ranked = [(s, m) for s, m in ranked if m.number == number or (number == "p" and m.kind == "pronoun")]
    if gender == "f" and not any(m.gender == "f" or (m.gender is None and m.kind == "person") for _, m in ranked):
        # the feminine is marked: with no feminine noun (or person of unknown
        # sex) to refer to, "elle(s)" has no antecedent; the masculine is
        # French's default for things and groups of people
        want = "m"
        best = ranked[0][1] if ranked else None
        sug = "il" if number == "s" else "ils"
        if tok.text[0].isupper():
            sug = sug.capitalize()
        return {"confidence": 0.6, "antecedent": best.text if best else None, "suggestion": sug,
                "message": f"'{tok.text}' is feminine but no feminine noun or woman precedes it"
                           + (f" (nearest antecedent '{best.text}' is {_GENDER_WORD[best.gender]})"
                              if best is not None and best.gender else "")}
    if not ranked:
        return None
    best_s, best = ranked[0]
    if best.gender is None or best.gender == gender:
        return None
    if number == "p" and gender == "m" and any(m.gender == "f" for _, m in ranked[:1]) \
            and any(m.gender == "m" for _, m in ranked[1:3]):
        return None   # "ils" for a mixed group is correct French
    same = [s for s, m in ranked if m.gender in (gender, None)]
    if same and same[0] >= best_s - margin:
        return None
    gap = best_s - (same[0] if same else best_s - 3.0)
    conf = min(0.9, 0.5 + 0.1 * gap)
    want = best.gender
    sug = {("m", "s"): "il", ("f", "s"): "elle", ("m", "p"): "ils", ("f", "p"): "elles"}[(want, number)]
    if tok.text[0].isupper():
        sug = sug.capitalize()
    return {"confidence": round(conf, 2), "antecedent": best.text, "suggestion": sug,
            "message": f"'{tok.text}' is {_GENDER_WORD[gender]} but its most likely antecedent "
                       f"'{best.text}' is {_GENDER_WORD[want]}"}


def _pos_of(side, doc_key: int) -> int:
    return list(side.seg_sents)[doc_key]
