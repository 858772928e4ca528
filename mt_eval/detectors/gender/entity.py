"""English→French entity gender: which person an English pronoun or
gendered noun fixes the gender of, and what gender the French translation
gives that person.

WinoMT (Stanovsky et al. 2019) aligns the English entity to French words
with fast_align and reads their gender from a morphological analyser.  We
find the French noun phrase from a bilingual person-noun lexicon (English
noun → French masculine/feminine forms) and read its gender, in order of
reliability, from an unambiguous determiner, the noun's own form when the
two genders differ (*chanteur/chanteuse*), agreeing adjectives, and
predicate adjectives or participles of which it is the subject.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import lexicon
from .french import gender_of

_UNMARKED_DETS = {"l'", "l", "les", "des", "leur", "leurs", "ses", "mes", "tes", "nos", "vos", "ces",
                  "quelques", "plusieurs", "aux"}
EN_FEMALE = {"she", "her", "hers", "herself"}
EN_MALE = {"he", "him", "his", "himself"}


@dataclass
class FrEntity:
    start: int          # token index of the noun
    end: int            # token index after the noun phrase head (multiword forms)
    text: str
    gender: str | None  # "m", "f" or None when the translation does not show it
    evidence: str


def _match_forms(doc, forms: set[str]) -> list[tuple[int, int, str]]:
    """Token spans of ``doc`` whose text (or lemma, for one word) is one of
    ``forms`` (lower case; multiword forms allowed)."""
    out = []
    words = [t.text.lower() for t in doc]
    lemmas = [t.lemma_.lower() for t in doc]
    by_len: dict[int, set[str]] = {}
    for f in forms:
        by_len.setdefault(len(f.split()), set()).add(f)
    for n, fs in sorted(by_len.items(), reverse=True):
        for i in range(len(doc) - n + 1):
            cand = " ".join(words[i:i + n])
            if cand in fs or (n == 1 and lemmas[i] in fs):
                if not any(a <= i < b for a, b, _ in out):
                    out.append((i, i + n, cand))
    return sorted(out)


def np_gender(doc, start: int, end: int) -> tuple[str | None, str]:
    """Gender shown by the French noun phrase whose head words are
    ``doc[start:end]``, with the evidence used."""
    head = doc[end - 1] if end - start > 1 and doc[start].dep_ in ("flat:name", "fixed") else doc[start]
    for c in head.children:
        if c.dep_ == "det" and c.text.lower() not in _UNMARKED_DETS:
            g = gender_of(c)
            if g:
                return g, f"determiner '{c.text}'"
    # "du", "au" are masculine contractions of de/à + le
    prev = doc[start - 1] if start > 0 else None
    if prev is not None and prev.text.lower() in ("au", "du"):
        return "m", f"determiner '{prev.text}'"
    forms = lexicon.fr_person_forms()
    text = " ".join(t.text.lower() for t in doc[start:end])
    gs = forms.get(text) or forms.get(doc[start].lemma_.lower())
    if gs and len(gs) == 1:
        return next(iter(gs)), f"noun form '{doc[start:end].text}'"
    for c in head.children:
        if c.dep_ == "amod" and c.pos_ in ("ADJ", "VERB"):
            g = gender_of(c)
            if g:
                return g, f"adjective '{c.text}'"
    if head.dep_ in ("nsubj", "nsubj:pass"):
        pred = head.head
        if pred.pos_ in ("ADJ", "VERB") and any(c.lemma_ == "être" for c in pred.children):
            g = gender_of(pred)
            if g:
                return g, f"agreeing '{pred.text}'"
    # An epicene noun (*analyste*, *secrétaire*) whose article is elided or
    # plural shows no gender at all: the tagger's Gender on it is a guess
    # from context, which a reader does not make.
    return None, "no gender marking"


def french_entities(doc, en_noun: str) -> list[FrEntity]:
    """French noun phrases of ``doc`` that can translate the English person
    noun ``en_noun`` (both genders' forms), with the gender they show."""
    masc, fem = lexicon.en_to_fr_person().get(en_noun.lower(), ((), ()))
    out = []
    for a, b, text in _match_forms(doc, set(masc) | set(fem)):
        g, why = np_gender(doc, a, b)
        out.append(FrEntity(a, b, doc[a:b].text, g, why))
    return out


def entity_gender(doc, en_noun: str, occurrence: int = 0) -> tuple[str | None, FrEntity | None]:
    """Gender the French translation ``doc`` gives to the ``occurrence``-th
    mention of English person noun ``en_noun``; ``(None, None)`` when it is
    not found or shows no gender."""
    ents = french_entities(doc, en_noun)
    if not ents:
        return None, None
    e = ents[min(occurrence, len(ents) - 1)]
    return e.gender, e


def person_nouns_en(doc) -> list:
    """English person-noun tokens of ``doc`` that the bilingual lexicon
    knows (the entities whose French gender we can check)."""
    known = lexicon.en_to_fr_person()
    return [t for t in doc if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in known]


_FR_PRON_GENDER = {"il": "m", "elle": "f", "le": "m", "la": "f", "lui-même": "m", "elle-même": "f"}


def clitic_tagged_det(tok) -> bool:
    """*le/la* the tagger took for an article although no noun follows:
    the object clitic of the verb right after it (*et la traitait mal*)."""
    if tok.pos_ != "DET" or tok.text.lower() not in ("le", "la"):
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.pos_ in ("VERB", "AUX") and tok.head.i == nxt.i


def french_pronoun_gender(tok) -> str | None:
    """Gender a French third-person pronoun shows: il/elle/le/la directly,
    strong *lui* after a preposition (masculine), elided *l'* through an
    agreeing participle (*l'a invitée*)."""
    low = tok.text.lower()
    if clitic_tagged_det(tok):
        return _FR_PRON_GENDER[low]
    if tok.pos_ != "PRON":
        return None
    if low in _FR_PRON_GENDER:
        return _FR_PRON_GENDER[low]
    if low == "lui" and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "ADP":
        return "m"
    if low == "l'":
        head = tok.head
        if head.morph.get("VerbForm") == ["Part"] and any(c.lemma_ == "avoir" for c in head.children):
            g = gender_of(head)
            if g == "f":
                return "f"    # masculine agreement is also the default: no evidence
    return None


def coreferent_pronoun(en, fr):
    """The French pronoun translating the English (non-possessive)
    he/she/him/her of ``en`` (closest relative position), or ``None``."""
    # possessive "her" (PRP$) translates a French possessive, which shows the
    # possessed noun's gender; "treated her bad" is parsed poss but tagged PRP
    en_prons = [t for t in en if t.text.lower() in ("he", "she", "him", "her", "himself", "herself")
                and not (t.text.lower() == "her" and (t.tag_ == "PRP$" or t.head.pos_ in ("NOUN", "PROPN")
                                                      and t.dep_ == "poss"))]
    fr_prons = [t for t in fr if french_pronoun_gender(t) is not None]
    if not en_prons or not fr_prons:
        return None
    best = None
    for p in en_prons:
        rp = p.idx / max(1, len(en.text))
        for q in fr_prons:
            d = abs(rp - q.idx / max(1, len(fr.text)))
            if best is None or d < best[0]:
                best = (d, q)
    return best[1] if best and best[0] <= 0.3 else None


def coreferent_pronoun_gender(en, fr) -> tuple[str | None, str]:
    """Gender of the French pronoun translating the English he/she/him/her
    of ``en``: in WinoMT-style sentences that pronoun refers to the entity,
    and a reader takes the person's gender from it."""
    q = coreferent_pronoun(en, fr)
    if q is None:
        return None, ""
    return french_pronoun_gender(q), f"pronoun '{q.text}'"


_SUBJ = ("nsubj", "nsubj:pass")


def clause_subjects(tok) -> set[int]:
    """Token indices of the subject of the clause ``tok`` (an object or
    oblique pronoun) belongs to, through coordinated and controlled verbs
    that share it (*L'enseignante a parlé au vendeur et l'a invitée*;
    *a été envoyée … par elle*).  A non-reflexive pronoun cannot refer to
    them (binding principle B)."""
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            break
        t = t.head
        subj = [c for c in t.children if c.dep_ in _SUBJ]
        if subj:
            return {s.i for s in subj}
        if t.dep_ in _CLAUSE_EDGES:
            break
    return set()


_CLAUSE_EDGES = ("ccomp", "advcl", "acl:relcl", "csubj", "parataxis", "ROOT")


def other_person_takes(fr, pron, entity_start: int | None, gender: str) -> bool:
    """Whether a French person noun other than the entity, before ``pron``,
    shows no gender and so can take the gender of ``pron`` (binding
    allowing): *L'analyste a consulté le bibliothécaire parce qu'elle…*
    makes the analyst a woman, not the librarian."""
    forms = lexicon.fr_person_forms()
    excluded = set() if pron.dep_ in _SUBJ else clause_subjects(pron)
    for t in fr:
        if t.i >= pron.i or t.pos_ not in ("NOUN", "PROPN") or t.i == entity_start:
            continue
        if not (t.text.lower() in forms or t.lemma_.lower() in forms):
            continue
        if t.i in excluded or t.morph.get("Number") == ["Plur"]:
            continue
        if np_gender(fr, t.i, t.i + 1)[0] is None:
            return True
    return False


def reader_gender(en, fr, en_noun: str, use_pronoun: bool = True) -> str | None:
    """The gender a reader of the French gives the entity translating
    ``en_noun``.  Without ``use_pronoun``: its noun phrase's gender
    (WinoMT's method).  With it, the French pronoun translating the
    English one also counts, as it did for WinoMT's human annotators
    ("le conseiller parce qu'elle": coreference says feminine), unless
    another person whose noun phrase shows no gender can take it (see
    ``other_person_takes``).  Persons whose gender is marked do not count:
    the annotators, who knew the English, gave the pronoun to the entity
    there ("Le médecin a discuté avec la réceptionniste comme il…" was
    labelled masculine), though not always (one item of that shape went to
    the noun)."""
    ents = french_entities(fr, en_noun)
    if ents:
        e = ents[0]
        n_gender, start = e.gender, e.start
    else:
        # not in the lexicon: the French person noun in the same order
        en_people = person_nouns_en(en)
        idx = next((k for k, t in enumerate(en_people) if t.text.lower() == en_noun), None)
        forms = lexicon.fr_person_forms()
        fr_people = [t for t in fr if t.pos_ == "NOUN" and (t.text.lower() in forms or t.lemma_.lower() in forms)]
        if idx is None or len(fr_people) != len(en_people) or idx >= len(fr_people):
            n_gender, start = None, None
        else:
            start = fr_people[idx].i
            n_gender = np_gender(fr, start, start + 1)[0]
    if not use_pronoun:
        return n_gender
    q = coreferent_pronoun(en, fr)
    p_gender = french_pronoun_gender(q) if q is not None else None
    if p_gender is None or n_gender is None or p_gender == n_gender:
        return p_gender if p_gender is not None else n_gender
    return n_gender if other_person_takes(fr, q, start, p_gender) else p_gender
