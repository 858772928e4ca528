"""GN001: an English he/she/his/her… for something that is not a person."""
from __future__ import annotations

import re

from ... import nlp
from ..base import Category, Detector, DocumentContext, Option, Severity
from ..registry import register
from . import english, french
from .document import english_side, french_side, promote_names, sentence_links

_QUICK = re.compile(r"\b(?:he|she|him|her|his|hers|himself|herself)\b", re.I)
_IT = {"he": "it", "she": "it", "him": "it", "her": "it", "his": "its", "hers": "its",
       "himself": "itself", "herself": "itself"}
# English pronoun role -> French pronoun classes it may translate, best first.
_FR_CLASSES = {"subj": ("subj",), "obj": ("obj", "subj"), "poss": ("poss",), "refl": ("refl", "obj")}


@register
class PronounForNonPerson(Detector):
    """Gendered English pronoun for a non-person (French gender leak).

    Flags an English *he/she/him/her/his/hers/himself/herself* whose
    antecedent is not a person (an institution, a country, an object, an
    idea) or that renders an impersonal French *il*.

    Why: French refers to every noun with *il* or *elle* according to its
    grammatical gender; English uses *he/she* only for persons (and pets),
    *it* for the rest.  MT often carries the French gender over: *L'armée a
    appelé au calme. Elle a assuré…* becomes "The army called for calm.
    **She** assured…", and *il est trop tôt* becomes "**he** is too early".

    How: without the source, the antecedent is looked for in the same and the
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
    (with or without the French source); "Colonel Goïta said he…" is fine.
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
        "min_confidence": Option(0.6, "report findings at or above this confidence"),
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
        promote_names(en, fr)
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
        # How much does the English side agree?  A person in the same
        # sentence usually means the French resolution went astray (a
        # possessive inside a noun phrase, a cataphor); one further back is
        # often a protagonist the leak did not refer to.
        if eng["verdict"] == "error":
            conf = 0.95
        elif eng.get("reason") in ("animate verb", "speaker"):
            conf = 0.3
        elif eng.get("reason") in ("person nearby", "person antecedent"):
            conf = 0.4 if eng.get("local") else (0.7 if eng["verdict"] == "unknown" else 0.5)
        else:
            conf = 0.8
        if src.get("fixed"):
            conf = min(conf, 0.5)
        src = dict(src, confidence=conf, referent_kind="nonperson" if conf >= 0.5 else eng.get("referent_kind"))
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
                poss = english.pronoun_role(en.docs[m.doc_key][m.start]) == "poss"
                if not (poss and c.kind != "pronoun" and (c.subject or c.kind == "person")):
                    continue
            yield c

    @staticmethod
    def _kind(c) -> str:
        if c.kind == "pronoun":
            return c.resolved or "person"
        return c.kind

    def _topic_person(self, m, en, context) -> bool:
        """A person already referred to by a pronoun or named twice as a
        subject earlier in the document: news articles keep coming back to
        their protagonist across sentences."""
        seen: dict[str, int] = {}
        for c in en.mentions:
            if c.sent > m.sent or (c.sent == m.sent and c.start >= m.start):
                break
            if not context and c.doc_key != m.doc_key:
                continue
            if c.kind == "pronoun" and c.resolved == "person" and c.gender == m.gender:
                return True
            if c.kind == "person" and c.subject and c.cls in ("PERSON", "name"):
                key = c.text.split()[-1].lower()
                seen[key] = seen.get(key, 0) + 1
                if seen[key] >= 2:
                    return True
        return False

    @staticmethod
    def _doc_key(side, tok) -> int:
        for k, d in enumerate(side.docs):
            if d is tok.doc:
                return k
        return -1

    @staticmethod
    def _counterpart(m, tok, en, fr, fr_sents):
        """The French pronoun the English one translates: pronouns of the
        aligned sentences are paired one to one, in order of closeness of
        their relative positions, within compatible classes."""
        en_sent = en.sents[m.sent]
        en_prons = [t for t in en_sent if t.pos_ == "PRON" and t.text.lower() in english.PRONOUN_GENDER]
        span_len = sum(len(fr.sents[x].text) + 1 for x in fr_sents)
        fr_prons = []
        offset = 0
        for si in fr_sents:
            s = fr.sents[si]
            for t in s:
                cls = french.pronoun_class(t)
                if cls and t.text.lower() not in ("se", "s'"):
                    fr_prons.append((t, si, cls, (offset + t.idx - s.start_char) / max(1, span_len)))
            offset += len(s.text) + 1
        pairs = []
        for e in en_prons:
            rel_e = (e.idx - en_sent.start_char) / max(1, len(en_sent.text))
            allowed = _FR_CLASSES[english.pronoun_role(e)]
            for j, (t, si, cls, rel_f) in enumerate(fr_prons):
                if cls in allowed:
                    pairs.append((abs(rel_e - rel_f) + 0.15 * allowed.index(cls), e.i, j))
        pairs.sort()
        used_e, used_f = set(), set()
        for d, ei, j in pairs:
            if d > 0.3:
                break
            if ei in used_e or j in used_f:
                continue
            used_e.add(ei)
            used_f.add(j)
            if ei == tok.i:
                return fr_prons[j][0], fr_prons[j][1]
        return None, None

    def _english(self, m, tok, en, window, context) -> dict:
        if english.impersonal_cleft(tok):
            return {"verdict": "error", "confidence": 0.7, "reason": "impersonal",
                    "message": f"'{tok.text}' has no person to refer to here: an impersonal construction "
                               f"(French 'il est … de/que', 'il y a') takes 'it' in English",
                    "referent_kind": "nonperson"}
        if english.animate_subject(tok):
            return {"verdict": "ok", "reason": "animate verb", "referent_kind": "person"}
        scored = []
        for c in self._candidates(m, en, window, context):
            kind = self._kind(c)
            if c.gender and c.gender != m.gender and kind != "person":
                continue
            s = -1.0 * (m.sent - c.sent) + (1.5 if c.subject else 0.0) + (0.8 if c.kind == "pronoun" else 0.0)
            s += 0.5 if c.strong else 0.0
            if c.sent == m.sent and c.start > m.start:
                s -= 1.0
            if kind == "person" and c.gender and c.gender != m.gender:
                # a person with the other gender: a gender error, not a leak
                s -= 0.5
            scored.append((s, c, kind))
        if english.is_speaker_pronoun(tok):
            # "…," she says: the quoted speaker is a person introduced earlier.
            for c in en.mentions:
                if (c.sent < m.sent or (c.sent == m.sent and c.start < m.start)) and (context or c.doc_key == m.doc_key) \
                        and self._kind(c) == "person":
                    return {"verdict": "ok", "reason": "speaker", "referent_kind": "person"}
        if not scored:
            return {"verdict": "unknown", "reason": "no antecedent", "referent_kind": None}
        scored.sort(key=lambda x: -x[0])
        best_s, best, kind = scored[0]
        best_text = best.antecedent or best.text if best.kind == "pronoun" else best.text
        if kind == "person":
            return {"verdict": "ok", "reason": "person antecedent", "referent_kind": "person",
                    "antecedent": best_text, "local": best.sent == m.sent}
        rival = [c for s, c, k in scored if k == "person" and s >= best_s - 1.5]
        if rival:
            return {"verdict": "unknown", "reason": "person nearby", "referent_kind": None,
                    "antecedent": best_text, "local": any(c.sent == m.sent for c in rival)}
        if best.sent != m.sent and self._topic_person(m, en, context):
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
        fr_tok, fr_si = self._counterpart(m, tok, en, fr, fr_sents)
        if fr_tok is None:
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
                              use_gender=french.pronoun_class(fr_tok) not in ("poss", "refl") and fr_tok.text.lower() not in ("lui", "l'"),
                              doc_key=self._doc_key(fr, fr_tok))
        if ante is None or ante.kind == "unknown":
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
