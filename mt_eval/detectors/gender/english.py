"""English side of the gender detectors: mentions, their animacy, and the
antecedent of a third-person pronoun.

A *mention* is something a pronoun may refer to: a named entity, the head
of a noun phrase, or an earlier pronoun.  Animacy comes from spaCy's entity
label, the person-noun lexicon, given names and titles, in that order of
trust for persons; for non-persons from the entity label (ORG, GPE…) and the
institution lexicon.  Mentions carry a global sentence index so that a
pronoun can look back into earlier sentences of the same document.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import lexicon

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                  "she": "f", "her": "f", "hers": "f", "herself": "f"}
PERSON_LABELS = {"PERSON"}
NONPERSON_LABELS = {"ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Words before a name that make it a person whatever NER says.
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "professor", "president", "minister", "colonel",
          "general", "captain", "lieutenant", "sergeant", "judge", "senator", "governor", "mayor",
          "king", "queen", "prince", "princess", "pope", "saint", "sir", "lady", "lord", "madam",
          "monsieur", "madame", "mme", "chancellor", "commissioner", "ambassador", "bishop",
          "rev", "chief", "director", "secretary", "spokesman", "spokeswoman", "coach", "m.",
          "mr.", "mrs.", "ms.", "dr.", "father", "sister", "brother", "uncle", "aunt", "cardinal",
          "sheikh", "emir", "ayatollah", "imam", "rabbi", "pastor", "deputy", "mp", "premier",
          "defendant", "lawyer", "attorney", "prosecutor", "chairman", "chairwoman", "ceo",
          "actor", "actress", "singer", "author", "striker", "goalkeeper", "player", "manager"}
# Honorifics give the gender outright; other titles through the person-noun lexicon.
_TITLE_GENDER = {**dict.fromkeys(("mr", "mr.", "monsieur", "m.", "sir", "lord"), "m"),
                 **dict.fromkeys(("mrs", "mrs.", "ms", "ms.", "miss", "madame", "mme", "madam", "lady"), "f")}
SPEECH_VERBS = {"say", "add", "explain", "tell", "declare", "state", "insist", "stress", "note",
                "continue", "conclude", "estimate", "warn", "indicate", "assure", "announce",
                "specify", "argue", "claim", "recall", "confide", "admit", "ask", "reply",
                "answer", "write", "emphasise", "emphasize", "point", "believe", "think",
                "acknowledge", "observe", "comment", "remark", "regret", "deplore", "judge",
                "consider", "confirm", "deny", "repeat", "promise", "hope", "fear", "recount",
                "tell", "summarise", "summarize", "joke", "laugh", "sigh", "suggest", "assert"}
# Adjectives of English clefts that render French impersonal "il est ADJ de/que".
# Verbs whose subject is a living being: "she sings" cannot be an institution.
ANIMATE_VERBS = {"sing", "dance", "die", "marry", "smile", "laugh", "cry", "weep", "sleep", "wake",
                 "eat", "drink", "smoke", "kiss", "hug", "pray", "breathe", "bleed", "faint", "blush",
                 "wink", "sob", "giggle", "grin", "frown", "shout", "scream", "whisper", "murmur",
                 "yell", "sigh", "shrug", "nod", "walk", "run", "swim", "jump", "sit", "kneel", "fall",
                 "recover", "suffer", "love", "hate", "fear", "feel", "hope", "wish", "dream", "believe",
                 "think", "remember", "forget", "realize", "realise", "wonder", "admit", "confess",
                 "graduate", "retire", "resign", "born", "grow", "divorce", "bury", "wear", "dress"}
# Indefinite pronouns that denote persons ("anyone ... himself").
PERSON_PRONOUNS = {"anyone", "anybody", "someone", "somebody", "everyone", "everybody", "nobody",
                   "one", "whoever", "who"}
IMPERSONAL_ADJ = {"possible", "impossible", "necessary", "important", "clear", "difficult", "easy",
                  "likely", "unlikely", "true", "false", "essential", "useful", "useless",
                  "normal", "obvious", "evident", "hard", "early", "late", "urgent", "vital",
                  "crucial", "probable", "forbidden", "advisable", "preferable", "better",
                  "certain", "sure", "question", "time", "enough", "sufficient", "unacceptable",
                  "legitimate", "logical", "fair", "interesting", "worth", "rare", "frequent"}


@dataclass
class Mention:
    sent: int            # global sentence index in the document
    start: int           # token index in its spaCy Doc (for ordering)
    doc_key: int         # which Doc (segment) it lives in
    text: str
    kind: str            # "person", "nonperson", "pronoun"
    gender: str | None   # "m", "f" or None (unknown / either)
    subject: bool
    strong: bool         # entity label or lexicon says so (not a guess)
    cls: str = ""        # entity label or lexicon class
    resolved: str | None = None   # for pronouns: kind of what they refer to
    antecedent: str | None = None  # for pronouns: text of what they refer to


def _name_gender(tokens) -> str | None:
    for t in tokens:
        g = lexicon.first_names().get(t.text.lower())
        if g in ("m", "f"):
            return g
    return None


def _title_before(span) -> str | None:
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].text in {",", "-"}:
        i -= 1
    if i >= 0:
        low = doc[i].text.lower()
        if low in TITLES or lexicon.en_person_nouns().get(low):
            return low
    return None


def is_person_name(span) -> tuple[bool, str | None]:
    """Whether a name span denotes a person, and its gender if known.  Names
    of persons that NER tags ORG/GPE are caught by given names and titles."""
    title = _title_before(span)
    first = span[0].text.lower()
    by_name = lexicon.first_names().get(first)
    if span.label_ in PERSON_LABELS or title or (by_name and len(span) > 1):
        g = (_TITLE_GENDER.get(title) or lexicon.en_person_nouns().get(title)) if title else None
        return True, (g if g in ("m", "f") else None) or _name_gender(span[:1])
    return False, None


def pronoun_role(tok) -> str:
    low = tok.text.lower()
    if low in ("his", "hers") or (low == "her" and tok.dep_ == "poss"):
        return "poss"
    if low in ("himself", "herself"):
        return "refl"
    if low in ("he", "she"):
        return "subj"
    return "obj"


def _subject_like(tok) -> bool:
    """A subject, or the source of "According to the agency, …" (news
    English for "the agency says"), which the next sentence continues."""
    if tok.dep_ in SUBJECT_DEPS:
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"


def sentence_mentions(sent, sent_index: int, doc_key: int) -> list[Mention]:
    """Mentions in one spaCy sentence span."""
    out: list[Mention] = []
    nouns = lexicon.en_person_nouns()
    institutions = lexicon.en_nonperson_nouns()
    seen_ent_tokens: set[int] = set()
    for ent in sent.ents:
        seen_ent_tokens.update(range(ent.start, ent.end))
        root = ent.root
        if ent.label_ == "NORP" or ent.label_ not in PERSON_LABELS | NONPERSON_LABELS:
            continue
        person, gender = is_person_name(ent)
        plural = root.tag_ in ("NNS", "NNPS") and ent.label_ != "PERSON"
        if plural:
            continue
        out.append(Mention(sent_index, ent.start, doc_key, ent.text,
                           "person" if person else "nonperson", gender,
                           _subject_like(root), True, ent.label_))
    for tok in sent:
        if tok.i in seen_ent_tokens:
            continue
        low = tok.text.lower()
        if low in PERSON_PRONOUNS and low != "who" and tok.pos_ in ("PRON", "NOUN", "NUM"):
            if low != "one" or tok.dep_ in SUBJECT_DEPS:
                out.append(Mention(sent_index, tok.i, doc_key, tok.text, "person", None,
                                   tok.dep_ in SUBJECT_DEPS, True, "indefinite"))
            continue
        if tok.pos_ == "PRON" and low in PRONOUN_GENDER:
            out.append(Mention(sent_index, tok.i, doc_key, tok.text, "pronoun",
                               PRONOUN_GENDER[low], tok.dep_ in SUBJECT_DEPS, True))
            continue
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ == "compound":
            continue
        if tok.tag_ in ("NNS", "NNPS") or "Plur" in tok.morph.get("Number"):
            continue
        lemma = tok.lemma_.lower() if tok.pos_ == "NOUN" else low
        g = nouns.get(lemma) or nouns.get(low)
        # "the police chief", "a Tuareg spokesman": the compound's head decides.
        if g:
            out.append(Mention(sent_index, tok.i, doc_key, tok.text, "person",
                               g if g in ("m", "f") else None, tok.dep_ in SUBJECT_DEPS, True,
                               "noun"))
        elif tok.pos_ == "PROPN":
            name_g = lexicon.first_names().get(low)
            if name_g or (tok.i > 0 and tok.doc[tok.i - 1].text.lower() in TITLES):
                out.append(Mention(sent_index, tok.i, doc_key, tok.text, "person",
                                   name_g if name_g in ("m", "f") else None,
                                   tok.dep_ in SUBJECT_DEPS, True, "name"))
            else:
                out.append(Mention(sent_index, tok.i, doc_key, tok.text, "nonperson", None,
                                   tok.dep_ in SUBJECT_DEPS, False, "propn"))
        else:
            cls = institutions.get(lemma, "")
            out.append(Mention(sent_index, tok.i, doc_key, tok.text, "nonperson", None,
                               _subject_like(tok), bool(cls), cls or "noun"))
    out.sort(key=lambda m: m.start)
    return out


def is_speaker_pronoun(tok) -> bool:
    """``…, she says.`` / ``"…" he added``: the subject of a verb of saying
    in a parenthetical or after a quotation refers to the quoted person."""
    head = tok.head
    if tok.dep_ not in SUBJECT_DEPS or head.lemma_.lower() not in SPEECH_VERBS:
        return False
    sent = tok.sent
    text = sent.text
    quoted = any(q in text for q in ('"', "“", "”", "«", "»", "'"))
    inverted = tok.i > head.i
    parenthetical = head.dep_ in ("parataxis",) or (tok.i > sent.start and tok.doc[tok.i - 1].text in {",", '"', "”", "»"})
    return inverted or parenthetical or (quoted and head.i >= sent.end - 3)


def animate_subject(tok) -> bool:
    """The pronoun is the subject of a verb only living beings do."""
    return tok.dep_ in SUBJECT_DEPS and tok.head.lemma_.lower() in ANIMATE_VERBS


def impersonal_cleft(tok) -> bool:
    """``he is too early to…``, ``she is necessary that…``, ``he there is``:
    English that only a French impersonal *il* explains."""
    if tok.text.lower() not in ("he", "she"):
        return False
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.text.lower() == "there":
        return True
    head = tok.head
    if head.lemma_ != "be":
        return False
    for child in head.children:
        if child.dep_ in ("acomp", "attr") and child.lemma_.lower() in IMPERSONAL_ADJ:
            rest = [c for c in child.subtree if c.i > child.i]
            rest += [c for c in head.children if c.i > child.i]
            if any(c.text.lower() in ("to", "that") for c in rest):
                return True
            if any(c.text.lower() == "too" for c in child.children):
                return True
    return False
