"""GN001: an English he/she/his/her… for something that is not a person."""
from __future__ import annotations

import re

from ... import nlp
from ..base import Category, Detector, DocumentContext, Option, Severity
from ..registry import register
from . import english, french
from .document import english_side, french_side, sentence_links

_QUICK = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.I)
_IT = {"he": "it", "she": "it", "him": "it", "her": "it", "his": "its", "hers": "its",
       "himself": "itself", "herself": "itself"}
# English pronoun role -> French pronoun classes it may translate, best first.
_FR_CLASSES = {"subj": ("subj",), "obj": ("obj", "subj"), "poss": ("poss",), "refl": ("refl", "obj")}


@register
class PronounForNonPerson(Detector):
    """Gendered English pronoun for a non-person (French gender leak).

    French refers to every noun with *il* or *elle* according to its
    grammatical gender; English uses *he/she* only for persons (and some
    animals), *it* for an institution, a country, an object or an idea.  MT
    often carries the French gender over: *L'armée a appelé au calme. Elle a
    assuré…* becomes "The army called for calm. **She** assured…".  It also
    renders impersonal *il* as "he": *il est trop tôt* → "**he** is too early".

    Without the source, the antecedent is looked for in the same and the
    preceding sentences of the document (spaCy parse; animacy from entity
    labels, a person-noun lexicon, given names and titles); the pronoun is
    flagged when the most salient agreeing antecedent is not a person and no
    person competes with it.  With a French source, the French pronoun that
    the English one translates is found in the aligned sentence: an
    impersonal *il*, or an *il/elle* whose antecedent is not a person,
    confirms the finding; a person antecedent clears it.  Nouns of fixed
    gender that may denote anyone (*la victime*, *la sentinelle*) give a
    lower confidence.

    Example: "The army called on the population for calm. [[She]] assured…"
    """
    code = "GN001"
    name = "gender.pronoun-non-person"
    groups = ("gender", "accuracy")
    severity = Severity.MAJOR
    category = Category.MISTRANSLATION
    languages = ("en",)
    needs = frozenset({"hypothesis", "document"})
    requires_extra = "nlp"
    options = {
        "context": Option(True, "look for antecedents in earlier segments of the document"),
        "use_source": Option(True, "use a French source when there is one"),
        "window": Option(2, "sentences to look back for an antecedent"),
        "min_confidence": Option(0.5, "report findings at or above this confidence"),
    }

    @classmethod
    def available(cls) -> str | None:
        return nlp.missing(("en", "fr"))

    def check_document(self, doc: DocumentContext):
        segs = doc.segments
        hyps = [s.hypothesis or "" for s in segs]
        with_pron = [i for i, h in enumerate(hyps) if _QUICK.search(h)]
        if not with_pron:
            return
        window = int(self.opts["window"])
        context = bool(self.opts["context"])
        if context:
            first = max(0, with_pron[0] - window - 1)
            positions = list(range(first, with_pron[-1] + 1))
        else:
            positions = with_pron
        en = english_side(hyps, positions)
        src_lang = (doc.src_lang or "").split("-")[0].lower()
        fr = links = None
        if self.opts["use_source"] and src_lang in ("fr", "") and any(segs[p].source.strip() for p in positions):
            fr = french_side([s.source or "" for s in segs], positions)
            links = sentence_links(en, fr)
        wanted = set(with_pron)
        for m in en.mentions:
            if m.kind != "pronoun":
                continue
            seg_pos = positions[m.doc_key]
            tok = en.docs[m.doc_key][m.start]
            verdict = self._judge(m, tok, en, fr, links, window, context)
            m.resolved = verdict.get("referent_kind")
            m.antecedent = verdict.get("antecedent")
            if seg_pos not in wanted or verdict["verdict"] != "error":
                continue
            if verdict["confidence"] < float(self.opts["min_confidence"]):
                continue
            seg = segs[seg_pos]
            low = tok.text.lower()
            repl = _IT[low]
            if tok.text[0].isupper():
                repl = repl.capitalize()
            yield self.finding(seg, tok.idx, tok.idx + len(tok.text), verdict["message"],
                               suggestion=repl, confidence=round(verdict["confidence"], 2),
                               reason=verdict["reason"], antecedent=verdict.get("antecedent"),
                               source_pronoun=verdict.get("source_pronoun"))

    # -- judgement ---------------------------------------------------------
    def _judge(self, m, tok, en, fr, links, window, context) -> dict:
        eng = self._english(m, tok, en, window, context)
        if fr is None:
            return eng
        src = self._french(m, tok, en, fr, links, window, context)
        if src is None:
            return eng
        if src["verdict"] == "ok":
            return src
        if src["reason"] == "impersonal":
            return src
        # The French antecedent is not a person: how much does English agree?
        conf = {"error": 0.95, "unknown": 0.8, "ok": 0.45}[eng["verdict"]]
        if src.get("fixed"):
            conf = min(conf, 0.5)
        src = dict(src, confidence=conf, referent_kind="nonperson")
        return src

    def _candidates(self, m, en, window, context):
        for c in en.mentions:
            if c is m:
                continue
            if not context and c.doc_key != m.doc_key:
                continue
            if c.sent > m.sent or c.sent < m.sent - window:
                continue
            if c.sent == m.sent and c.start >= m.start:
                # "After his speech, the minister left": a later subject of
                # the same sentence can be a possessive's antecedent.
                if not (c.subject and c.kind != "pronoun" and english.pronoun_role(en.docs[m.doc_key][m.start]) == "poss"):
                    continue
            yield c

    @staticmethod
    def _kind(c) -> str:
        if c.kind == "pronoun":
            return c.resolved or "person"
        return c.kind

    def _english(self, m, tok, en, window, context) -> dict:
        if english.impersonal_cleft(tok):
            return {"verdict": "error", "confidence": 0.7, "reason": "impersonal",
                    "message": f"'{tok.text}' has no person to refer to here: an impersonal construction "
                               f"(French 'il est … de/que', 'il y a') takes 'it' in English",
                    "referent_kind": "nonperson"}
        scored = []
        for c in self._candidates(m, en, window, context):
            if c.gender and c.gender != m.gender:
                continue
            kind = self._kind(c)
            s = -1.0 * (m.sent - c.sent) + (1.5 if c.subject else 0.0) + (0.8 if c.kind == "pronoun" else 0.0)
            s += 0.5 if c.strong else 0.0
            if c.sent == m.sent and c.start > m.start:
                s -= 1.0
            scored.append((s, c, kind))
        if english.is_speaker_pronoun(tok):
            # "…," she says: the quoted speaker is a person introduced earlier.
            for c in en.mentions:
                if (c.sent < m.sent or (c.sent == m.sent and c.start < m.start)) and (context or c.doc_key == m.doc_key) \
                        and self._kind(c) == "person" and c.gender in (None, m.gender):
                    return {"verdict": "ok", "reason": "speaker", "referent_kind": "person"}
        if not scored:
            return {"verdict": "unknown", "reason": "no antecedent", "referent_kind": None}
        scored.sort(key=lambda x: -x[0])
        best_s, best, kind = scored[0]
        best_text = best.antecedent or best.text if best.kind == "pronoun" else best.text
        if kind == "person":
            return {"verdict": "ok", "reason": "person antecedent", "referent_kind": "person",
                    "antecedent": best_text}
        rival = [s for s, c, k in scored if k == "person" and s >= best_s - 1.5]
        if rival:
            return {"verdict": "unknown", "reason": "person nearby", "referent_kind": None,
                    "antecedent": best_text}
        conf = 0.55 + (0.15 if best.strong else 0.0) + (0.1 if best.subject else 0.0)
        return {"verdict": "error", "confidence": conf, "reason": "non-person antecedent",
                "antecedent": best_text, "referent_kind": "nonperson",
                "message": f"'{tok.text}' refers to '{best_text}', which is not a person: English uses "
                           f"'{_IT[tok.text.lower()]}'"}

    def _french(self, m, tok, en, fr, links, window, context) -> dict | None:
        fr_sents = links.get(m.sent, ())
        if not fr_sents:
            return None
        role = english.pronoun_role(tok)
        en_sent = en.sents[m.sent]
        rel_en = (tok.idx - en_sent.start_char) / max(1, len(en_sent.text))
        # English pronouns of this sentence, in order, to pair them one to one.
        fr_tok, best = None, None
        for cls_rank, cls in enumerate(_FR_CLASSES[role]):
            for si in fr_sents:
                s = fr.sents[si]
                span_len = sum(len(fr.sents[x].text) + 1 for x in fr_sents)
                offset = sum(len(fr.sents[x].text) + 1 for x in fr_sents if x < si)
                for t in s:
                    if french.pronoun_class(t) != cls:
                        continue
                    if role != "refl" and t.text.lower() in ("se", "s'"):
                        continue
                    rel_fr = (offset + t.idx - s.start_char) / max(1, span_len)
                    d = abs(rel_fr - rel_en) + 0.3 * cls_rank
                    if best is None or d < best:
                        fr_tok, best, fr_si = t, d, si
            if fr_tok is not None:
                break
        if fr_tok is None or best > 0.45:
            return None
        if fr_tok.text.lower() in ("se", "s'"):
            return None
        if french.pronoun_class(fr_tok) == "subj" and french.impersonal_il(fr_tok):
            return {"verdict": "error", "confidence": 0.9, "reason": "impersonal",
                    "source_pronoun": fr_tok.text, "referent_kind": "nonperson",
                    "message": f"'{tok.text}' translates the impersonal 'il' of "
                               f"'{fr_tok.sent.text[:60]}…'; English uses 'it' (or rephrases)"}
        mentions = fr.mentions if context else [x for x in fr.mentions if fr.sent_seg[x.sent] == fr.sent_seg[fr_si]]
        ante = french.resolve(fr_tok, mentions, fr_si, window,
                              use_gender=french.pronoun_class(fr_tok) not in ("poss", "refl") and fr_tok.text.lower() not in ("lui", "l'"))
        if ante is None:
            return None
        if ante.kind == "person":
            if ante.fixed and ante.gender == m.gender:
                return {"verdict": "error", "confidence": 0.5, "fixed": True, "reason": "fixed-gender noun",
                        "source_pronoun": fr_tok.text, "antecedent": ante.text,
                        "message": f"'{tok.text}' follows the grammatical gender of French '{ante.text}', "
                                   f"which may denote a person of either sex; check the person's sex"}
            return {"verdict": "ok", "reason": "French antecedent is a person", "referent_kind": "person",
                    "source_pronoun": fr_tok.text, "antecedent": ante.text}
        return {"verdict": "error", "confidence": 0.8, "reason": "French antecedent not a person",
                "source_pronoun": fr_tok.text, "antecedent": ante.text,
                "message": f"'{tok.text}' renders French '{fr_tok.text}', which refers to '{ante.text}' "
                           f"(grammatical gender, not a person): English uses '{_IT[tok.text.lower()]}'"}
