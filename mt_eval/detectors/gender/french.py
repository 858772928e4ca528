"""French side of the gender detectors: pronouns, impersonal *il*, noun
phrases with their grammatical gender and animacy, and the antecedent of
*il/elle/ils/elles*.

spaCy's French morphologizer gives ``Gender`` and ``Number`` on nouns,
determiners, adjectives and participles; the dependency parser marks many
impersonal subjects ``expl:subj``.  Persons come from the ``PER`` entity
label, the person-noun lexicon (with its fixed-gender nouns: *la victime*),
given names and titles (*M.*, *Mme*).
"""
from __future__ import annotations

from dataclasses import dataclass

from . import lexicon

SUBJ_PRONOUNS = {"il": ("m", "s"), "elle": ("f", "s"), "ils": ("m", "p"), "elles": ("f", "p")}
DEMONSTRATIVES = {"celui-ci": "m", "celle-ci": "f", "celui-là": "m", "celle-là": "f"}
TITLES = {"m.", "mme", "mlle", "monsieur", "madame", "mademoiselle", "me", "dr", "dr.", "pr", "pr.", "docteur",
          "président", "présidente", "ministre", "colonel", "général", "capitaine", "juge",
          "sénateur", "sénatrice", "maire", "roi", "reine", "prince", "princesse", "pape",
          "saint", "sainte", "père", "sœur", "frère", "lieutenant", "sergent", "commandant",
          "professeur", "chancelière", "chancelier", "député", "députée", "cheikh", "imam"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass"}
# il + these lemmas is impersonal whatever the parser says.
ALWAYS_IMPERSONAL = {"falloir", "pleuvoir", "neiger", "venter", "grêler", "bruiner"}
IMPERSONAL_NOUNS = {"temps", "heure", "question", "nuit", "jour", "midi", "minuit"}


@dataclass
class FrMention:
    sent: int
    start: int
    doc_key: int
    text: str
    kind: str            # "person", "nonperson", "pronoun"
    gender: str | None   # grammatical gender: "m", "f", None unknown
    number: str          # "s" or "p"
    subject: bool
    fixed: bool = False  # a fixed-gender noun that can denote either sex
    resolved: "FrMention | None" = None
    main: bool = False   # subject of the sentence's main verb
    name: str = ""       # lower-cased last word of a proper name, if it is one


def gender_of(tok) -> str | None:
    g = tok.morph.get("Gender")
    if g == ["Masc"]:
        return "m"
    if g == ["Fem"]:
        return "f"
    return None


def np_gender(head) -> str | None:
    """Grammatical gender of the noun phrase headed by ``head``: an
    unambiguous determiner first (*la*, *une*, *cette*; not *l'*, *les*),
    then agreeing adjectives, then the noun's own morphology."""
    for child in head.children:
        if child.dep_ == "det" and child.text.lower() not in ("l'", "l", "les", "des", "leur", "leurs", "ses", "mes", "tes", "nos", "vos", "ces", "son", "quelques"):
            g = gender_of(child)
            if g:
                return g
    forms = lexicon.fr_person_forms().get(head.text.lower()) or lexicon.fr_person_forms().get(head.lemma_.lower())
    if forms and len(forms) == 1:
        return next(iter(forms))
    for child in head.children:
        if child.dep_ == "amod" and child.pos_ == "ADJ":
            g = gender_of(child)
            if g:
                return g
    return gender_of(head)


def number_of(tok) -> str:
    return "p" if tok.morph.get("Number") == ["Plur"] else "s"


def is_person_noun(tok) -> tuple[bool, bool]:
    """(denotes a person, is a fixed-gender noun like *victime*)."""
    forms = lexicon.fr_person_forms()
    low, lemma = tok.text.lower(), tok.lemma_.lower()
    fixed = lexicon.fixed_gender_nouns()
    if low in fixed or lemma in fixed:
        return True, True
    return (low in forms or lemma in forms), False


# Verbs whose "il" is impersonal when a que-clause or a de-infinitive follows:
# "il semble que", "il suffit de", "il reste à", "il arrive que".
_IMPERSONAL_WITH_CLAUSE = {"sembler", "paraître", "suffire", "convenir", "importer", "arriver",
                           "rester", "manquer", "exister", "résulter", "ressortir", "découler",
                           "advenir", "avérer", "apparaître", "demeurer", "valoir", "agir"}


def _clause_marker(head, markers=("que", "qu'", "de", "d'", "à"),
                   deps=("ccomp", "csubj", "xcomp", "advcl", "obl:arg")) -> bool:
    """A que-clause or de/à-infinitive complement after ``head`` (only
    ``markers`` count: *il est difficile de* is impersonal, *il est
    difficile à* is not)."""
    for c in head.children:
        if c.i > head.i and c.dep_ in deps:
            marks = {m.text.lower() for m in c.children if m.i < c.i}
            if marks & {"que", "qu'"} & set(markers):
                return True
            if marks & {"de", "d'", "à"} & set(markers) and c.morph.get("VerbForm") == ["Inf"]:
                return True
    nxt = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
    return nxt is not None and nxt.text.lower() in ("que", "qu'") and "que" in markers


_DE_QUE = ("que", "qu'", "de", "d'")
_DEGREE = frozenset(("si", "tellement", "tant", "aussi", "assez", "trop"))
_COMPLEMENTS = ("ccomp", "csubj", "xcomp", "obl:arg")


def existential_il(tok) -> bool:
    """The *il* of *il y a* / *il n'y a*, English "there is"."""
    if tok.text.lower() != "il":
        return False
    nxt = tok.doc[tok.i + 1: tok.i + 3]
    low = [t.text.lower() for t in nxt]
    if low[:1] == ["y"] and len(nxt) > 1 and nxt[1].lemma_ == "avoir":
        return True
    return low[:2] in (["n'", "y"], ["ne", "y"])


def impersonal_il(tok) -> bool:
    """*Il faut*, *il y a*, *il est trop tôt pour*, *il s'agit de*, *il
    semble que*: an *il* with no referent.  Only constructions that are
    impersonal by form count; the parser's ``expl`` label alone is not
    trusted (it also marks ordinary subjects)."""
    if tok.text.lower() != "il":
        return False
    if existential_il(tok):
        return True
    head = tok.head
    lemma = head.lemma_.lower()
    if lemma in ALWAYS_IMPERSONAL:
        return True
    reflexive = any(c.text.lower() in ("s'", "se") for c in head.children)
    if lemma == "agir" and reflexive:
        return True
    if lemma == "pouvoir" and reflexive:          # il se peut que
        return True
    if lemma == "empêcher" and any(c.text.lower() in ("n'", "ne") for c in head.children) \
            and not any(c.text.lower() in ("pas", "plus", "jamais", "guère") for c in head.children):
        return True       # "il n'empêche (que)": nonetheless ("il n'empêche pas" is a person or thing)
    if lemma == "valoir" and any(c.text.lower() == "mieux" for c in head.children):
        return True
    if lemma in _IMPERSONAL_WITH_CLAUSE and _clause_marker(head):
        return True
    # il est + ADJ + de/que ; il est temps ; il est trop tôt ; il est 8 heures
    if head.pos_ in ("ADJ", "NOUN", "ADV", "NUM") and any(c.lemma_ == "être" and c.dep_ == "cop" for c in head.children):
        if head.pos_ == "NOUN" and head.lemma_.lower() in IMPERSONAL_NOUNS:
            return True
        if head.pos_ == "ADV" and head.text.lower() in ("tôt", "tard"):
            return True
        if head.pos_ == "ADJ" and _clause_marker(head, _DE_QUE, _COMPLEMENTS) \
                and not any(c.text.lower() in _DEGREE for c in head.children):
            # (not "il était si phénoménal que…": a degree adverb makes the
            # que-clause consecutive, and the il referential)
            return True
    if head.pos_ == "VERB" and any(c.lemma_ == "être" and c.dep_ in ("cop", "aux:pass", "aux:tense") for c in head.children) \
            and _clause_marker(head, _DE_QUE, _COMPLEMENTS) and not any(c.dep_.startswith("obl:agent") for c in head.children):
        # il est interdit / prévu / recommandé de ...
        return True
    if head.lemma_ == "faire" and any(c.dep_ in ("obj", "xcomp") and c.lemma_.lower() in ("beau", "froid", "chaud", "nuit", "jour", "doux", "mauvais", "gris", "soleil", "frais") for c in head.children):
        return True
    return False


def pronoun_class(tok) -> str | None:
    """subj / obj / poss / refl for the French words an English gendered
    pronoun may translate; ``None`` for anything else."""
    low = tok.text.lower()
    if low in ("il", "elle") and (tok.dep_ in SUBJECT_DEPS or tok.dep_.startswith("expl")):
        return "subj"
    if low in DEMONSTRATIVES:
        return "subj"
    if low in ("lui-même", "elle-même"):
        return "refl"
    if tok.pos_ == "DET" and low in ("son", "sa", "ses"):
        return "poss"
    if tok.pos_ == "PRON" and low in ("le", "la", "l'", "lui", "elle", "il"):
        return "obj"
    if low in ("se", "s'"):
        return "refl"
    return None


def _is_main_subject(tok) -> bool:
    return (tok.dep_ in SUBJECT_DEPS or passive_agent(tok)) and tok.head.dep_ == "ROOT"


def passive_agent(tok) -> bool:
    """The agent of a passive verb (*lancée par le Dr Money*): the logical
    subject of its clause, as salient as a subject, not a noun in a
    prepositional phrase.  A later *il* refers to it more readily than to
    the grammatical subject of a clause below (*… qui considérait que le
    genre est malléable. Il a consacré…*)."""
    return tok.dep_ == "obl:agent" and tok.head.pos_ in ("VERB", "AUX")


def possessor_subject(det):
    """For *son/sa/ses*, the subject of the nearest clause above it (the
    usual possessor: "Google a augmenté son offre"); through a relative
    *qui* to the noun it modifies.  ``None`` when no clause has a subject
    (a headline, a generic infinitive: "pour accéder à son smartphone")."""
    own = set(t.i for t in det.head.subtree)
    above = _ancestors(det)
    t = det.head
    for _ in range(12):
        subj = next((c for c in t.children if c.dep_ in SUBJECT_DEPS and c.i not in own
                     and c.i not in above), None)
        if subj is not None:
            if (subj.morph.get("PronType") == ["Rel"] or subj.text.lower() in ("qui", "lequel", "laquelle")) \
                    and t.dep_.startswith("acl"):
                return t.head
            return subj
        if t.morph.get("VerbForm") == ["Inf"] and t.dep_ in ("xcomp", "ccomp", "obl:arg", "advcl"):
            # "empêche le fumeur d'avoir sa dose": the object of the
            # governing verb controls the infinitive
            ctrl = next((c for c in t.head.children if c.dep_ in ("obj", "iobj") and c.i < t.i
                         and c.pos_ in ("NOUN", "PROPN", "PRON")), None)
            if ctrl is not None:
                return ctrl
        if t.head.i == t.i:
            return None
        t = t.head
    return None


_REPORT_PREPS = ("selon", "d'après")


def reporting_subject(tok) -> bool:
    """A noun that is the speaker of its sentence without being parsed as
    its subject: the source of *Selon l'agence, …* / *D'après le ministère,
    …* (news French for "the agency says"), and the subject inverted after a
    quotation, which the parser takes for an object (*« … », a résumé la
    capitaine*: the verb of saying has no subject of its own)."""
    if any(c.dep_ == "case" and c.text.lower() in _REPORT_PREPS for c in tok.children):
        return True
    head = tok.head
    quotes = ("»", "\"", "”")

    def own_subject(c):
        # a subject parsed before a closing quote belongs to the quotation
        return (c.dep_ in SUBJECT_DEPS or c.dep_.startswith("expl")) and \
            not any(t.text in quotes for t in tok.doc[c.i + 1:head.i])

    if tok.dep_ == "obj" and head.pos_ == "VERB" and tok.i > head.i \
            and head.morph.get("VerbForm") != ["Inf"] \
            and not any(own_subject(c) for c in head.children):
        # the verb group (aux + verb) right after a closing quote and comma
        k = head.i - 1
        while k >= 0 and tok.doc[k].pos_ == "AUX":
            k -= 1
        prev = [t.text for t in tok.doc[max(0, k - 1):k + 1]]
        return prev[-1:] == [","] and any(q in prev for q in quotes) or prev[-1:] in (["»"], ["”"])
    return False


def _titled_entity(ent) -> bool:
    """An entity span headed by a person noun: NER tags *ministre de la
    Santé*, *président de la République*, *directeur général d'Airbus* as
    ORG because of the institution inside; the head before the first
    preposition says who it is.  A person named in apposition (*la
    ministre, Claire Dumontel,*) settles it too."""
    for t in ent:
        if t.pos_ == "ADP":
            break
        if t.pos_ in ("NOUN", "PROPN") and (t.text.lower() in TITLES or is_person_noun(t)[0]):
            return True
    root = ent.root
    return any(c.dep_ == "appos" and c.ent_type_ == "PER" for c in root.children)


# Articles before a noun (not l', which is also the object clitic: "l'accuse").
_ARTICLES = frozenset("un une le la les des du ce cet cette".split())


def _one_of(tok, sent_index: int, doc_key: int) -> FrMention | None:
    """*L'un des riverains*, *l'une des victimes*: a noun phrase headed by the
    pronoun *un/une*, whose kind is its noun's and whose gender shows on
    *un/une* (the possessor of *son fusil* in *L'un des riverains a ouvert
    en tenant son fusil*)."""
    if not any(c.dep_ == "det" and c.text.lower() in ("l'", "l") for c in tok.children):
        return None
    noun = next((c for c in tok.children if c.dep_ == "nmod" and c.pos_ == "NOUN" and c.i > tok.i), None)
    if noun is None:
        # the parser may attach the noun elsewhere (riverains/nsubj): read
        # the words "des/d'" + noun that follow
        after = tok.doc[tok.i + 1:tok.i + 4]
        if len(after) and after[0].text.lower() in ("des", "d'", "de"):
            noun = next((t for t in after[1:] if t.pos_ == "NOUN"), None)
    if noun is None:
        return None
    person, fixed = is_person_noun(noun)
    return FrMention(sent_index, tok.i, doc_key, tok.doc[tok.i:noun.i + 1].text,
                     "person" if person else "nonperson", "f" if tok.text.lower() == "une" else "m", "s",
                     tok.dep_ in SUBJECT_DEPS, fixed, main=_is_main_subject(tok))


def sentence_mentions(sent, sent_index: int, doc_key: int) -> list[FrMention]:
    out: list[FrMention] = []
    in_ent: set[int] = set()
    for ent in sent.ents:
        in_ent.update(range(ent.start, ent.end))
        root = ent.root
        det_g = np_gender(root)
        first = ent[0].text.lower()
        before = sent.doc[ent.start - 1].text.lower() if ent.start > 0 else ""
        titled = ent.label_ != "PER" and _titled_entity(ent)
        person = ent.label_ == "PER" or before in TITLES or lexicon.first_names().get(first) is not None \
            or titled
        kind = "person" if person else ("nonperson" if ent.label_ in ("ORG", "LOC") else "unknown")
        if person and det_g is None:
            name_g = lexicon.first_names().get(first)
            det_g = name_g if name_g in ("m", "f") else None
        out.append(FrMention(sent_index, ent.start, doc_key, ent.text, kind,
                             det_g, number_of(root) if not person else "s",
                             root.dep_ in SUBJECT_DEPS or reporting_subject(root) or passive_agent(root),
                             main=_is_main_subject(root) or reporting_subject(root),
                             # a name identifies an entity across mentions; the last word
                             # of "ministre de la Santé" does not
                             name="" if titled else ent[-1].text.lower()))
    for tok in sent:
        if tok.i in in_ent:
            continue
        low = tok.text.lower()
        if low[:1] == "-" and low[1:] in SUBJ_PRONOUNS:
            # inverted subject ("dit-il", "a-t-elle ajouté"), split off by spaCy
            g, n = SUBJ_PRONOUNS[low[1:]]
            out.append(FrMention(sent_index, tok.i, doc_key, tok.text, "pronoun", g, n, True))
            continue
        if tok.pos_ == "PRON" and low in SUBJ_PRONOUNS and tok.dep_ in SUBJECT_DEPS | {"obj", "obl", "obl:arg", "obl:mod", "nmod"}:
            g, n = SUBJ_PRONOUNS[low]
            out.append(FrMention(sent_index, tok.i, doc_key, tok.text, "pronoun", g, n,
                                 tok.dep_ in SUBJECT_DEPS, main=_is_main_subject(tok)))
            continue
        if tok.pos_ == "PRON" and low in ("un", "une"):
            m = _one_of(tok, sent_index, doc_key)
            if m is not None:
                out.append(m)
            continue
        if tok.pos_ == "VERB" and tok.i > 0 and sent.doc[tok.i - 1].text.lower() in _ARTICLES \
                and not tok.morph.get("Person") and low in lexicon.fr_person_forms():
            # a borrowed person noun the tagger took for a verb: "un
            # trader/VERB", "le manager"; the determiner shows its gender
            det = sent.doc[tok.i - 1]
            out.append(FrMention(sent_index, tok.i, doc_key, tok.text, "person", gender_of(det), number_of(det),
                                 tok.dep_ in SUBJECT_DEPS, main=_is_main_subject(tok)))
            continue
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if tok.dep_ in ("flat:name", "fixed", "flat:foreign"):
            continue
        if low in TITLES and low in ("m.", "mme", "mlle", "monsieur", "madame", "mademoiselle", "me", "dr", "dr.", "pr", "pr."):
            # "M. Hare": the title heads the name in spaCy's French parse
            g = "m" if low in ("m.", "monsieur") else ("f" if low in ("mme", "mlle", "madame", "mademoiselle") else None)
            names = [c for c in tok.children if c.dep_.startswith("flat")]
            out.append(FrMention(sent_index, tok.i, doc_key, " ".join([tok.text] + [c.text for c in names]),
                                 "person", g, "s", tok.dep_ in SUBJECT_DEPS, main=_is_main_subject(tok),
                                 name=names[-1].text.lower() if names else ""))
            continue
        person, fixed = is_person_noun(tok)
        kind = "person" if person else "nonperson"
        if tok.pos_ == "PROPN" and not person:
            # a bare capitalised name: a person only with a given name or a
            # title; otherwise we cannot tell (NER left it untagged)
            named = lexicon.first_names().get(low) is not None or (tok.i > 0 and sent.doc[tok.i - 1].text.lower() in TITLES)
            kind = "person" if named else "unknown"
        # a noun the parser made the root of a sentence that has a verb is
        # usually a subject whose verb got attached to it ("Le chef, qui…,
        # prévoit")
        rootish = tok.dep_ == "ROOT" and any(t.pos_ == "VERB" for t in sent)
        subj_like = rootish or reporting_subject(tok)
        out.append(FrMention(sent_index, tok.i, doc_key, tok.text, kind,
                             np_gender(tok), number_of(tok),
                             tok.dep_ in SUBJECT_DEPS or subj_like or passive_agent(tok), fixed,
                             main=_is_main_subject(tok) or subj_like, name=low if tok.pos_ == "PROPN" else ""))
    wrong, inverted = _relative_inversion(sent)
    for m in out:
        if m.start in wrong:
            m.subject = m.main = False
        elif m.start in inverted:
            m.subject, m.main = True, False
    out.sort(key=lambda m: m.start)
    return out


# Relative words after which French puts the subject after the verb.
_RELATIVES = frozenset("auquel auxquels auxquelles duquel desquels desquelles dont où "
                       "lequel laquelle lesquels lesquelles".split())


def _relative_inversion(sent) -> tuple[set[int], set[int]]:
    """A relative clause not opened by *qui* often puts its subject after
    the verb (*le jeu auquel jouait l'acteur Alec Baldwin*); the parser
    then takes the antecedent (*jeu*) for the verb's subject and the real
    subject (*l'acteur*) for its object.  Returns the words wrongly parsed
    as subjects and the inverted subjects (with their appositions)."""
    wrong: set[int] = set()
    inverted: set[int] = set()
    doc = sent.doc
    for v in sent:
        if v.pos_ != "VERB":
            continue
        subj = next((c for c in v.children if c.dep_ in SUBJECT_DEPS and c.i < v.i), None)
        obj = next((c for c in v.children if c.dep_ == "obj" and c.i > v.i and c.pos_ in ("NOUN", "PROPN")), None)
        if subj is None or obj is None:
            continue
        # the relative word right before the verb group
        k = v.i - 1
        while k > subj.i and (doc[k].pos_ in ("AUX", "ADV") or doc[k].text.lower() in ("ne", "n'")):
            k -= 1
        if k <= subj.i or doc[k].text.lower() not in _RELATIVES:
            continue
        wrong.add(subj.i)
        inverted.add(obj.i)
        inverted.update(c.i for c in obj.children if c.dep_ in ("appos", "flat:name"))
    return wrong, inverted


def reporter(tok):
    """For a subject pronoun in a que-clause (*X a rappelé qu'elle…*), the
    subject of the verb that governs the clause: the reported speaker, whom
    the pronoun most often denotes.  Through a relative *qui* to the noun it
    modifies (*la maire, qui a rappelé qu'elle…*).  ``None`` otherwise."""
    clause = tok.head
    if clause.dep_ != "ccomp" or not any(c.dep_ == "mark" and c.text.lower() in ("que", "qu'") for c in clause.children):
        return None
    verb = clause.head
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None:
        return None
    if subj.text.lower() == "qui" and verb.dep_.startswith("acl"):
        return verb.head
    return subj


def _ancestors(tok) -> set[int]:
    """Noun phrases that contain ``tok`` (a pronoun cannot refer to them):
    its nominal heads up to the first clause.  "La longévité de son
    gouvernement" excludes longévité; "le chef, qui a dit qu'il…" does not
    exclude chef, the relative clause being a clause."""
    out = set()
    while tok.head.i != tok.i and tok.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM") \
            and not tok.dep_.startswith(("acl", "ccomp", "csubj", "advcl", "parataxis")):
        tok = tok.head
        out.add(tok.i)
    return out


def resolve(pron_tok, mentions: list[FrMention], sent_index: int, window: int,
            use_gender: bool = True, doc_key: int | None = None, _depth: int = 0) -> FrMention | None:
    """The most salient earlier mention agreeing with a French pronoun.

    Salience: same sentence > previous sentences, subjects first, then
    recency; a pronoun inherits the referent of the pronoun it chains to.
    """
    low = pron_tok.text.lower()
    gender, number = SUBJ_PRONOUNS.get(low, (None, "s"))
    if low in ("elle-même", "celle-ci", "celle-là", "la"):
        gender = "f"
    elif low in ("lui-même", "celui-ci", "celui-là", "le"):
        gender = "m"
    if low in ("ses",):
        number = "s"
    if low == "lui" and pron_tok.i > 0 and pron_tok.doc[pron_tok.i - 1].pos_ == "ADP":
        gender = "m"   # "derrière lui": the strong form after a preposition is masculine
    recency_only = low in DEMONSTRATIVES
    if pron_tok.pos_ == "DET" and low in ("son", "sa", "ses"):
        subj = possessor_subject(pron_tok)
        if subj is not None:
            hit = next((m for m in mentions if m.sent == sent_index and m.start <= subj.i
                        and (doc_key is None or m.doc_key == doc_key)
                        and (m.start == subj.i or subj.i in range(m.start, m.start + len(m.text.split())))), None)
            if hit is not None and hit.kind == "pronoun":
                if _depth < 4:
                    return resolve(pron_tok.doc[hit.start], mentions, sent_index, window, True, doc_key, _depth + 1)
                return None
            if hit is not None:
                return hit
    best, best_score = None, float("-inf")
    # a pronoun cannot refer to a phrase it is part of ("la longévité de son
    # gouvernement": son is not la longévité)
    above = _ancestors(pron_tok)
    poss = pron_tok.pos_ == "DET"
    for m in mentions:
        if m.sent > sent_index or m.sent < sent_index - window:
            continue
        if m.sent == sent_index and m.start >= pron_tok.i:
            continue
        if m.sent == sent_index and (doc_key is None or m.doc_key == doc_key) and m.start in above:
            continue
        if poss and m.sent == sent_index:
            # no clause subject owns it: the possessor is an earlier topic
            continue
        if m.number != number:
            continue
        if use_gender and gender and m.gender and m.gender != gender:
            continue
        if m.kind == "pronoun" and m.start == pron_tok.i:
            continue
        # parts of the pronoun's own clause that are its objects can't bind it
        score = -1.2 * (sent_index - m.sent)
        if recency_only:
            score = -(sent_index - m.sent) * 1000 + m.start
        elif m.subject:
            score += 2.5 if poss else 1.5
            if m.main:
                score += 0.5
        if m.kind == "pronoun":
            score += 0.8
        if m.sent == sent_index:
            score += 0.002 * m.start
        else:
            score += 0.0005 * m.start
        if m.gender is None and use_gender and gender:
            score -= 0.5
        if score > best_score:
            best, best_score = m, score
    if best is not None and best.kind == "pronoun":
        # follow the chain: the earlier pronoun's own antecedent
        if best.resolved is None and _depth < 4 and best.doc_key == doc_key:
            tok = pron_tok.doc[best.start]
            best.resolved = resolve(tok, mentions, best.sent, window, use_gender, doc_key, _depth + 1) or False
        return best.resolved or None
    return best


def rank_antecedents(pron_tok, mentions: list[FrMention], sent_index: int, window: int,
                     doc_key: int | None = None) -> list[tuple[float, FrMention]]:
    """Candidate antecedents of a French subject pronoun with their salience,
    best first, gender ignored: subjects and main-clause subjects first,
    then recency; an earlier pronoun stands for what it refers to."""
    above = _ancestors(pron_tok)
    out = []
    for m in mentions:
        if m.sent > sent_index or m.sent < sent_index - window:
            continue
        if m.sent == sent_index and (doc_key is None or m.doc_key == doc_key):
            if m.start >= pron_tok.i or m.start in above:
                continue
        if m.kind == "unknown":
            continue
        score = -1.2 * (sent_index - m.sent)
        if m.subject:
            score += 1.5 + (0.5 if m.main else 0.0)
        if m.kind == "pronoun":
            score += 0.8
        score += (0.002 if m.sent == sent_index else 0.0005) * m.start
        out.append((score, m))
    out.sort(key=lambda x: -x[0])
    return out
