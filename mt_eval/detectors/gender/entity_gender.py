"""GN002: the French translation gives a person the other gender than the
English source does."""
from __future__ import annotations

from ... import nlp
from ..base import Category, Detector, Option, Segment, Severity
from ..registry import register
from . import english, lexicon
from .entity import EN_FEMALE, EN_MALE, french_entities, np_gender

_PRON_GENDER = {**{w: "f" for w in EN_FEMALE}, **{w: "m" for w in EN_MALE}}
_GENDER_WORD = {"m": "masculine", "f": "feminine"}
_FR_SUBJ = {"il": "m", "elle": "f"}


@register
class EntityGender(Detector):
    """A person's gender in the French translation differs from the English source.

    Flags the French noun phrase, pronoun or agreeing participle that gives
    a person the other gender than the English source.

    Why: English fixes a person's gender by a coreferent pronoun (*the nurse …
    his shift*) or a gendered noun (*actress*, *mother*, *Mr*); French marks
    it on the determiner, the noun form and agreeing adjectives and
    participles.  MT often falls back on the stereotypical gender: "The
    developer argued with the designer because **she** did not like the
    design" → "**Le** développeur…".  The detector finds each English
    person noun whose gender the source fixes, the French noun phrase that
    translates it (bilingual person-noun lexicon), and the gender that
    phrase shows (the WinoMT approach, with a lexicon instead of a word
    aligner); it also checks French *il/elle* against the English
    *he/she* they translate when these refer to a person.  When a pronoun
    could refer to two persons (Winograd-style sentences), it flags only
    when no reading is consistent.

    Example: source "The mechanic said she was late." → "[[Le mécanicien]]
    a dit qu'elle était en retard."
    """
    code = "GN002"
    name = "gender.entity-gender"
    groups = ("gender", "accuracy")
    severity = Severity.MAJOR
    category = Category.MISTRANSLATION
    languages = ("fr",)
    needs = frozenset({"hypothesis", "source"})
    requires_extra = "nlp"
    options = {"min_confidence": Option(0.5, "report findings at or above this confidence")}

    @classmethod
    def available(cls) -> str | None:
        return nlp.missing(("en", "fr"))

    def check_segment(self, seg: Segment):
        if seg.src_lang and not seg.src_lang.lower().startswith("en"):
            return
        if not seg.source.strip() or not seg.hypothesis.strip():
            return
        en, fr = nlp.parse("en", [seg.source])[0], nlp.parse("fr", [seg.hypothesis])[0]
        for f in analyse(en, fr):
            if f["confidence"] < float(self.opts["min_confidence"]):
                continue
            yield self.finding(seg, f["start"], f["end"], f["message"], confidence=f["confidence"],
                               expected=f["expected"], found=f["found"], evidence=f["evidence"])


def _person_tokens(en):
    """English person mentions: (token, gender fixed by the word itself or None)."""
    nouns = lexicon.en_person_nouns()
    known = lexicon.en_to_fr_person()
    out = []
    for t in en:
        if t.pos_ not in ("NOUN", "PROPN"):
            continue
        lemma = t.lemma_.lower()
        g = nouns.get(lemma) or nouns.get(t.text.lower())
        if g or lemma in known:
            out.append((t, g if g in ("m", "f") else None))
        elif t.ent_type_ == "PERSON" and t.dep_ != "compound":
            name_g = lexicon.first_names().get(t.text.lower())
            out.append((t, name_g if name_g in ("m", "f") else None))
    return out


def _antecedents(p, persons):
    """Person mentions an English pronoun may refer to: earlier in its
    sentence or in the sentence before (later ones for possessives)."""
    sent = p.sent
    out = []
    for t, g in persons:
        if t.i == p.i or t.tag_ in ("NNS", "NNPS"):
            continue
        same = t.sent == sent
        before = t.i < p.i
        prev_sent = t.sent.end == sent.start
        if (same and (before or english.pronoun_role(p) == "poss")) or (before and prev_sent):
            out.append((t, g))
    return out


def analyse(en, fr) -> list[dict]:
    """Findings (dicts with start/end in the French text) for one segment."""
    findings: list[dict] = []
    persons = _person_tokens(en)
    fixed: dict[int, str] = {t.i: g for t, g in persons if g}
    ambiguous: list[tuple] = []
    discourse: set[str] = set()
    for p in en:
        g = _PRON_GENDER.get(p.text.lower())
        if not g or p.pos_ != "PRON":
            continue
        cands = [(t, tg) for t, tg in _antecedents(p, persons) if tg in (None, g)]
        if len(cands) == 1:
            fixed.setdefault(cands[0][0].i, g)
        elif len(cands) > 1:
            ambiguous.append((p, g, cands))
        else:
            discourse.add(g)
    # 1. nouns whose English gender is fixed
    seen_fr: set[int] = set()
    occurrence: dict[str, int] = {}
    known = lexicon.en_to_fr_person()
    for t, _ in persons:
        lemma = t.lemma_.lower()
        if lemma not in known:
            continue
        k = occurrence.get(lemma, 0)
        occurrence[lemma] = k + 1
        ents = [e for e in french_entities(fr, lemma) if e.start not in seen_fr]
        if not ents:
            continue
        e = ents[0]
        seen_fr.add(e.start)
        g = fixed.get(t.i)
        fixed_nouns = lexicon.fixed_gender_nouns()
        if fr[e.start].morph.get("Number") == ["Plur"] or t.tag_ in ("NNS", "NNPS") \
                or fr[e.start].text.lower() in fixed_nouns or fr[e.start].lemma_.lower() in fixed_nouns:
            continue
        if g and e.gender and e.gender != g:
            findings.append(_finding(fr, e.start, e.end, g, e.gender, e.evidence, t.text, 0.9))
    # 2. Winograd-style pronouns: flag only when no reading is consistent
    for p, g, cands in ambiguous:
        genders = []
        for t, _ in cands:
            ents = french_entities(fr, t.lemma_.lower())
            genders.append(ents[0].gender if ents else None)
        if genders and all(x is not None and x != g for x in genders):
            ents = french_entities(fr, cands[0][0].lemma_.lower())
            if ents:
                e = ents[0]
                findings.append(_finding(fr, e.start, e.end, g, e.gender, e.evidence, cands[0][0].text, 0.6))
    # 3. subject pronouns for persons: English he/she -> French il/elle
    person_pron = [p for p in en if p.text.lower() in ("he", "she") and p.pos_ == "PRON"]
    for p, q in _pair_subject_pronouns(en, fr, person_pron):
        g, fg = _PRON_GENDER[p.text.lower()], _FR_SUBJ[q.text.lower()]
        if fg != g:
            findings.append(_finding(fr, q.idx, q.idx + len(q.text), g, fg, f"pronoun '{q.text}'", p.text, 0.8,
                                     char=True))
    # 4. one-person text ("She started her singing career" → "sa carrière de
    # chanteur"): French person nouns no English noun accounts for take the
    # gender of the only gender the English uses.
    genders_used = set(discourse) | {g for g in fixed.values()} | {a[1] for a in ambiguous}
    if len(genders_used) == 1 and not any(g for _, g in persons if g and g not in genders_used):
        g = next(iter(genders_used))
        forms = lexicon.fr_person_forms()
        accounted = seen_fr | {x for f in findings for x in range(f["tok_start"], f["tok_end"])}
        for tok in fr:
            if tok.i in accounted or tok.pos_ not in ("NOUN", "PROPN") or tok.morph.get("Number") == ["Plur"]:
                continue
            gs = forms.get(tok.text.lower()) or forms.get(tok.lemma_.lower())
            if not gs or gs == {"m"} or gs == {"f"}:
                pass
            if not gs:
                continue
            fg, why = np_gender(fr, tok.i, tok.i + 1)
            if len(gs) == 1 and tok.text.lower() not in lexicon.fixed_gender_nouns():
                fg, why = next(iter(gs)), f"noun form '{tok.text}'"
            if tok.text.lower() in lexicon.fixed_gender_nouns() or tok.lemma_.lower() in lexicon.fixed_gender_nouns():
                continue
            if fg and fg != g:
                findings.append(_finding(fr, tok.i, tok.i + 1, g, fg, why, "the person", 0.6))
        # a subject pronoun no English he/she accounts for, where the English
        # sentence has no "it" or "they" it could translate instead
        paired = {q.i for _, q in _pair_subject_pronouns(en, fr, person_pron)}
        if not any(t.text.lower() in ("it", "its", "they", "them", "their", "itself") for t in en):
            for tok in fr:
                fg = _FR_SUBJ.get(tok.text.lower())
                if fg and fg != g and tok.i not in paired and tok.dep_ in ("nsubj", "nsubj:pass", "expl:subj") \
                        and not impersonal(tok) and tok.i not in accounted:
                    findings.append(_finding(fr, tok.idx, tok.idx + len(tok.text), g, fg, f"pronoun '{tok.text}'",
                                             "the person", 0.55, char=True))
        # predicates of the person: "Akoray … fut récompensée", "elle est active"
        for tok in fr:
            if tok.pos_ not in ("ADJ", "VERB") or tok.i in accounted:
                continue
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubj:pass", "expl:subj")), None)
            if subj is None or not ((subj.pos_ == "PROPN" and subj.ent_type_ in ("PER", "")) or subj.text.lower() in ("il", "elle")):
                continue
            if subj.text.lower() == "il" and impersonal(subj):
                continue
            if not any(c.lemma_ == "être" for c in tok.children):
                continue
            if tok.pos_ == "VERB" and tok.morph.get("VerbForm") != ["Part"]:
                continue
            if tok.morph.get("Number") == ["Plur"]:
                continue
            fg = {"Masc": "m", "Fem": "f"}.get((tok.morph.get("Gender") or [""])[0])
            if fg and fg != g and not any(f["tok_start"] <= subj.i < f["tok_end"] for f in findings):
                findings.append(_finding(fr, tok.i, tok.i + 1, g, fg, f"agreement of '{tok.text}'",
                                         "the person", 0.55))
    return findings


def impersonal(tok) -> bool:
    from .french import impersonal_il
    return impersonal_il(tok)


def _finding(fr, a, b, expected, found, evidence, who, conf, char=False):
    if char:
        start, end = a, b
        ta = next(t.i for t in fr if t.idx >= a)
        tb = ta + 1
    else:
        start, end = fr[a].idx, fr[b - 1].idx + len(fr[b - 1].text)
        ta, tb = a, b
        det = next((c for c in fr[a].children if c.dep_ == "det" and c.i < a), None)
        if det is not None and det.i >= a - 2:
            start = det.idx
    return {"start": start, "end": end, "tok_start": ta, "tok_end": tb, "expected": expected,
            "found": found, "evidence": evidence, "confidence": conf,
            "message": f"the source makes {who!r} {_GENDER_WORD[expected]}, but the translation "
                       f"is {_GENDER_WORD[found]} ({evidence})"}


def _pair_subject_pronouns(en, fr, en_prons):
    """English he/she paired with French il/elle by relative position in
    the sentence pair, one to one (sentences aligned by order)."""
    from .french import impersonal_il
    fr_prons = [t for t in fr if t.text.lower() in _FR_SUBJ and t.dep_ in ("nsubj", "nsubj:pass", "expl:subj")
                and not impersonal_il(t)]
    if not en_prons or not fr_prons:
        return []
    en_sents, fr_sents = list(en.sents), list(fr.sents)

    def rel(tok, sents):
        for k, s in enumerate(sents):
            if s.start <= tok.i < s.end:
                return k, (tok.idx - s.start_char) / max(1, len(s.text))
        return 0, 0.0

    same_count = len(en_sents) == len(fr_sents)
    pairs = []
    for p in en_prons:
        kp, rp = rel(p, en_sents)
        for q in fr_prons:
            kq, rq = rel(q, fr_sents)
            if same_count and kp != kq:
                continue
            pairs.append((abs(rp - rq), p.i, q.i, p, q))
    pairs.sort(key=lambda x: x[0])
    used_p, used_q, out = set(), set(), []
    for d, pi, qi, p, q in pairs:
        if d > 0.25 or pi in used_p or qi in used_q:
            continue
        used_p.add(pi)
        used_q.add(qi)
        out.append((p, q))
    return out
