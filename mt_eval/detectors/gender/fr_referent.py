"""What a French third-person pronoun refers to: a person, or not.

A reader of *Elle a assuré qu'elle avait pris des mesures* after *L'armée a
appelé au calme* resolves *elle* to *l'armée* by salience and sense.  This
module ranks the candidate antecedents of a French pronoun (*il/elle*, object
*le/la/lui*, strong *lui/elle* after a preposition, possessive *son/sa/ses*,
*lui-même*…) with a salience score in the manner of Lappin & Leass (1994):

* recency: the same sentence first, then each sentence back costs;
* grammatical role: subjects, above all main-clause subjects, then the rest;
* chains: an earlier pronoun stands for what it refers to, and entities
  mentioned again and again (the protagonist) gain;
* agreement: gender and number for *il/elle/le/la*; possessives agree with
  the possessed noun, not the possessor, so they only need a singular one;
* selectional preferences: the subject of a verb of saying or deciding is a
  person or an organisation (``fr_verb_animacy.tsv``: *déclarer*, *estimer*),
  of a verb of living or feeling a person (*mourir*, *pleurer*); the owner of
  *sa mort*, *ses cheveux*, *son avocat* is a person
  (``fr_person_possessions.txt``); a strong *lui* after a preposition is
  nearly always a person;
* binding: a possessive inside a clause belongs first to that clause's
  subject (*Google a augmenté son offre*);
* person chains: persons named anywhere earlier in the document stay
  candidates beyond the window (news keeps returning to its protagonist:
  *He added*, six sentences after the name), at a capped distance cost;
* document-level weight of persons: a person named in the document's first
  segment (headline or lead) and the earlier pronouns that refer to them
  gain, and so does an earlier pronoun whose chain of person pronouns goes
  on (*il… il… Le New York Times l'avait consacré… Il*);
* person heads: *le cas de Jim Bruce*, *l'histoire de X* stand for the
  person; *la pop star* has its person noun second.

The result is the kind of the best candidate (person, organisation, place,
thing, unknown) with its margin over the best candidate of the other side
(person vs. not), which the detectors turn into a confidence.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import lexicon
from .french import SUBJ_PRONOUNS, impersonal_il, is_person_noun, possessor_subject, reporter, _ancestors

PERSON, ORG, PLACE, THING, UNKNOWN = "person", "org", "place", "thing", "unknown"
NONPERSON = (ORG, PLACE, THING)
_PRON_GENDER = {"il": "m", "elle": "f", "le": "m", "la": "f", "lui-même": "m", "elle-même": "f",
                "celui-ci": "m", "celle-ci": "f", "celui-là": "m", "celle-là": "f"}
# Predicates of a person: "il est mort / né / marié / âgé de 40 ans / enceinte".
HUMAN_PREDICATES = frozenset(
    "mort né marié âgé blessé enceinte décédé heureux malheureux fier malade convaincu persuadé "
    "conscient inquiet ravi content déçu surpris furieux amoureux célibataire veuf retraité "
    "disposé désireux soucieux soulagé triste fatigué ému choqué innocent coupable hospitalisé "
    "incarcéré emprisonné inculpé soigné opéré enceinte veuve âgée".split())
# Nouns that stand for the person named after them: "Tel est le cas de Jim
# Bruce… il", "l'histoire de Mme X… elle".  The pronoun takes up the person.
PERSON_FRAMES = frozenset("cas histoire exemple parcours destin sort témoignage portrait".split())
# Verbs whose object is a person: "il a été arrêté / condamné / élu".
HUMAN_OBJECT_VERBS = frozenset(
    "arrêter condamner élire tuer blesser nommer hospitaliser inculper interpeller accuser libérer "
    "enlever kidnapper licencier embaucher soigner opérer interroger épouser assassiner incarcérer "
    "emprisonner juger acquitter extrader expulser réélire récompenser décorer sacrer".split())
# Nouns of states only people are in, as "être en/à ___" predicates.
HUMAN_STATES = frozenset("vacances prison retraite congé deuil détention cavale fuite grève exil "
                         "convalescence".split())
_PERSON_SUFFIX = ("ien", "ienne", "ain", "aine", "ais", "aise", "ois", "oise")
_DEMONSTRATIVES = frozenset(("celui-ci", "celle-ci", "celui-là", "celle-là"))
_GENERIC_SUBJECTS = {"on", "quiconque", "chacun", "chacune", "personne"}
_NON_THIRD = {"je", "j'", "tu", "nous", "vous", "me", "m'", "te", "t'"}
_DIST_CAP_PERSON = 2.5
# Document-level weight of persons (see FrenchResolver._topic); set on the
# even-numbered WMT14 fr-en documents.
_LEAD_BONUS = 0.75
_CHAIN_BONUS = 0.4
_CHAIN_SPAN = 4


@dataclass
class Referent:
    kind: str                 # person / org / place / thing / unknown
    text: str | None          # the antecedent's text
    margin: float             # best of its side minus best of the other side
    why: str = ""
    fixed: bool = False       # a fixed-gender person noun (la victime)


def is_demonym(tok) -> bool:
    """*Une Australienne*, *l'Américain moyen*: a capitalised noun of
    nationality (listed, or with a gentilé ending after a determiner)."""
    if not tok.text[:1].isupper() or tok.pos_ not in ("NOUN", "PROPN"):
        return False
    low = tok.text.lower()
    if low in lexicon.fr_demonyms():
        return True
    has_det = any(c.dep_ == "det" for c in tok.children)
    return has_det and tok.ent_type_ not in ("LOC", "ORG") and low.endswith(_PERSON_SUFFIX)


def _person_compound(tok) -> bool:
    """*La pop star*, *la rock star*: a borrowed English compound whose
    person noun comes second, which the parser attaches to the first word
    (no preposition between them, unlike *la voiture du chanteur*)."""
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.head.i == tok.i and nxt.pos_ in ("NOUN", "PROPN") \
        and not any(c.dep_ == "case" for c in nxt.children) and is_person_noun(nxt)[0]


def _bare_name(tok) -> bool:
    """A capitalised name used without a determiner (*Frontier*, *Bombardier*,
    *Google*), unlike *la France* or *le Monde*, whose article shows a gender."""
    # (the article may hang off a mis-parsed first word: "la National
    # Association", so the words just before count too)
    before = tok.doc[max(0, tok.i - 2):tok.i]
    return tok.text[:1].isupper() and (tok.pos_ == "PROPN" or bool(tok.ent_type_)) \
        and not any(c.dep_ == "det" for c in tok.children) and not any(t.pos_ == "DET" for t in before)


_AGED = frozenset(("âgé", "âgée", "âgés", "âgées"))
_NATAL = frozenset(("natal", "natale", "natals", "natales"))
# Adjectives that come before the noun; the tagger sometimes makes one the
# head noun and the real noun its adjective (vieil/NOUN homme/ADJ).
_PRENOMINAL = frozenset("vieux vieil vieille jeune petit petite grand grande bon bonne beau bel belle "
                        "nouveau nouvel nouvelle ancien ancienne pauvre".split())


def _person_modifier(tok) -> bool:
    """A noun whose modifiers say it is a person whatever the noun: a
    person's name in apposition (*le caporal Glen Kirkland*), an age
    (*un homme, âgé de 86 ans*), or a person noun the tagger took for an
    adjective right after it (*le vieil homme* tagged vieil/NOUN
    homme/ADJ)."""
    nonperson = lexicon.fr_nonperson_nouns()
    for c in tok.children:
        # (not "l'administration Obama": an institution named after a person)
        if c.dep_ == "appos" and c.ent_type_ == "PER" and tok.lemma_.lower() not in nonperson \
                and tok.text.lower() not in nonperson:
            return True
        if c.dep_ == "amod" and c.text.lower() in _AGED and any(n.lemma_.lower() == "an" for n in c.children):
            return True
        if c.dep_ == "amod" and c.i == tok.i + 1 and tok.text.lower() in _PRENOMINAL \
                and c.text.lower() in lexicon.fr_person_forms():
            return True
    return False


def mention_class(m, tok) -> str:
    """Person / org / place / thing / unknown for a non-pronoun mention."""
    if m.kind == "person" or is_demonym(tok) or _person_modifier(tok):
        return PERSON
    lemma = tok.lemma_.lower()
    if _person_compound(tok):
        return PERSON
    if lemma in PERSON_FRAMES and any(c.dep_ == "nmod" and (c.ent_type_ == "PER" or is_person_noun(c)[0])
                                      for c in tok.children):
        return PERSON
    cls = lexicon.fr_nonperson_nouns().get(lemma) or lexicon.fr_nonperson_nouns().get(tok.text.lower())
    ent = tok.ent_type_
    if ent == "ORG" or cls in ("org", "group") or (ent == "PER" and m.kind == "nonperson"):
        # (a PER-tagged name that document.demote_company_names found to be
        # a company's short form)
        return ORG
    if ent == "LOC" or cls == "place":
        return PLACE
    if tok.pos_ == "PROPN" or ent in ("MISC", "PER"):
        if tok.text.isupper() and len(tok.text) >= 2 and m.kind != "person":
            return ORG      # acronyms: NSA, YMCA, DCNS
        return UNKNOWN
    if m.kind == "unknown":
        return UNKNOWN
    return THING


def _predicate(tok):
    """The word that says what the pronoun's clause says of it."""
    return tok.head


def _aged(verb) -> bool:
    """*À seulement 10 ans, il a conquis…*: an age adjunct (*à N ans*) on the
    pronoun's clause, or on the clause it is coordinated with, says its
    subject is a person."""
    for v in (verb, verb.head if verb.dep_ == "conj" else None):
        if v is None:
            continue
        for c in v.children:
            if c.lemma_.lower() == "an" and c.dep_.startswith("obl") \
                    and any(n.dep_ == "nummod" for n in c.children) \
                    and any(n.lemma_.lower() == "à" for n in c.children):
                return True
    return False


def preference(tok) -> str | None:
    """``human``, ``agent`` or ``None``: what the pronoun's context demands
    of its referent (selectional preferences)."""
    low = tok.text.lower()
    head = tok.head
    if low in ("lui", "elle") and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "ADP":
        return "human"
    if tok.pos_ == "DET" and low in ("son", "sa", "ses"):
        noun = tok.head
        if noun.lemma_.lower() in lexicon.fr_person_possessions() or noun.text.lower() in lexicon.fr_person_possessions():
            return "human"
        if any(c.dep_ == "amod" and c.text.lower() in _NATAL for c in noun.children):
            return "human"      # "sa ville natale", "son pays natal": a person was born there
        return None
    verbs = lexicon.fr_verb_animacy()
    if tok.dep_ in ("nsubj", "expl:subj") and _aged(head):
        return "human"
    if tok.dep_ in ("nsubj", "expl:subj"):
        lemma = head.lemma_.lower()
        form = head.text.lower()
        # a person noun as the predicate: "elle était chef d'orchestre"
        if head.pos_ == "NOUN" and any(c.dep_ == "cop" for c in head.children) and is_person_noun(head)[0]:
            return "human"
        # a state only people are in: "elle était en vacances / en prison"
        if head.pos_ == "NOUN" and (lemma in HUMAN_STATES or form in HUMAN_STATES) \
                and any(c.dep_ == "cop" for c in head.children) \
                and any(c.dep_ == "case" and c.text.lower() in ("en", "à") for c in head.children):
            return "human"
        # feminine and plural forms agree with the subject: "elle est morte"
        if head.pos_ in ("ADJ", "VERB") and (form in HUMAN_PREDICATES or form.rstrip("s")[:-1] in HUMAN_PREDICATES
                                              or form.rstrip("s") in HUMAN_PREDICATES) and \
                any(c.lemma_ == "être" for c in head.children):
            return "human"
        if lemma in verbs:
            return verbs[lemma]
        if lemma == "avoir" and any(c.lemma_ == "an" for c in head.children):
            return "human"
        return None
    if tok.dep_ == "nsubj:pass":
        lemma = head.lemma_.lower()
        if lemma == "détenir" and not any(c.dep_.startswith("obl:agent") for c in head.children):
            # "elle a été détenue" (in custody); "détenue par l'État" is owned
            return "human"
        return "human" if lemma in HUMAN_OBJECT_VERBS else None
    if tok.pos_ == "PRON" and low in ("le", "la", "l'") and head.lemma_.lower() in HUMAN_OBJECT_VERBS:
        return "human"
    if low == "lui" and tok.pos_ == "PRON":
        return "agent"   # dative clitic: a recipient, addressee or beneficiary
    return None


_SELECT = {"human": {PERSON: 2.5, ORG: -1.0, PLACE: -2.0, THING: -3.0, UNKNOWN: 0.0},
           "agent": {PERSON: 1.2, ORG: 1.0, PLACE: 0.3, THING: -2.5, UNKNOWN: 0.0}}


def _speech_tag(tok) -> bool:
    """An inverted subject clitic in a statement next to a verb whose
    subject acts (the ``agent`` verbs of ``fr_verb_animacy.tsv``, verbs of
    saying first: *…, a-t-elle ajouté.*, *dit-il*): a speaker tag or an
    agent's inversion, not a question."""
    if tok.sent.text.rstrip().endswith("?"):
        return False
    # the verb is next to the clitic (dit-il, a-t-elle ajouté) whatever the
    # parser attached it to: it often misparses these tags
    doc, verbs = tok.doc, lexicon.fr_verb_animacy()
    near = [doc[k] for k in (tok.i - 1, tok.i + 1) if 0 <= k < len(doc)]
    return any(t.pos_ in ("VERB", "AUX") and verbs.get(t.lemma_.lower()) == "agent" for t in near + [tok.head])


def _bare_infinitive(tok) -> bool:
    """The clause of ``tok`` is an infinitive with no subject of its own."""
    t = tok.head
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t.morph.get("VerbForm") == ["Inf"] and not any(c.dep_ in ("nsubj", "nsubj:pass") for c in t.children)


def _root(tok, m):
    """The token of a (possibly multi-word) mention whose head is outside it."""
    n = max(1, len(m.text.split()))
    span = range(m.start, m.start + n)
    t = tok
    for _ in range(n):
        if t.head.i in span and t.head.i != t.i:
            t = t.head
        else:
            break
    return t


@dataclass
class _Facts:
    """What the salience ranking needs of one candidate mention."""
    tok: object
    cls: str | None        # mention_class of a noun phrase (None: pronoun)
    gender: str | None     # its gender as an antecedent (bare names: none)
    in_pp: bool            # a noun inside a prepositional phrase
    entity_key: str
    il_elle: bool          # a pronoun il/elle (inverted ones included)
    impersonal: bool       # an impersonal il
    n_words: int


class FrenchResolver:
    """Resolves French pronouns of one parsed document side (see
    :mod:`.document`), remembering what earlier pronouns referred to."""

    def __init__(self, side, window: int = 2, context: bool = True):
        self.side = side
        self.window = window
        self.context = context
        self._memo: dict[tuple[int, int], Referent] = {}
        self.trace: list | None = None    # debugging: candidate lists, when a list
        self._tok = {}
        self._doc_index = {id(d): k for k, d in enumerate(side.docs)}
        # how often each entity (a person's last name, a noun's lemma) was
        # mentioned: protagonists come back
        self._first_name_count: dict[str, list[int]] = {}
        for m in side.mentions:
            if m.kind == "pronoun":
                continue
            self._first_name_count.setdefault(self._entity_key(m), []).append(m.sent)
        # persons named in the document's first segment (its headline or
        # lead, when parsed): the article is about them
        lead = set(side.seg_sents.get(0, ()))
        self._lead_names = {self._entity_key(m) for m in side.mentions
                            if m.sent in lead and m.kind == "person" and m.name}
        self._chains: dict[tuple[int, str | None], int] = {}
        # what _resolve asks of each candidate mention depends on the
        # mention alone: worked out once per mention, not once per pronoun
        self._facts: list[_Facts | None] = [None] * len(side.mentions)
        self._seg_order = list(side.seg_sents)

    def _facts_of(self, k: int) -> "_Facts":
        f = self._facts[k]
        if f is None:
            m = self.side.mentions[k]
            mtok = self.token(m)
            if m.kind == "pronoun":
                low = mtok.text.lower()
                f = _Facts(mtok, None, m.gender, False, self._entity_key(m), low.lstrip("-") in ("il", "elle"),
                           low == "il" and impersonal_il(mtok), max(1, len(m.text.split())))
            else:
                cls = mention_class(m, mtok)
                root = _root(mtok, m)
                # a company or place name has no gender of its own: the
                # parser's Masc is a default, and French says "elle" of
                # Frontier (la compagnie) as readily as "il" of Google
                gender = None if cls != PERSON and _bare_name(root) else m.gender
                # inside a prepositional phrase: less salient
                in_pp = not m.subject and root.dep_.startswith(("obl", "nmod"))
                f = _Facts(mtok, cls, gender, in_pp, self._entity_key(m), False, False,
                           max(1, len(m.text.split())))
            self._facts[k] = f
        return f

    def _topic(self, sent_index: int, gender: str | None, depth: int) -> int:
        """How many subject pronouns of the same gender in the previous
        ``_CHAIN_SPAN`` sentences refer to a person: a story that keeps
        saying *il* of its protagonist goes on doing so, and a noun that
        happens to be nearer (*le New York Times l'avait consacré… Il*) does
        not interrupt the chain."""
        key = (sent_index, gender)
        if key in self._chains:
            return self._chains[key]
        n = 0
        for m in self.side.mentions:
            if m.kind != "pronoun" or not m.subject or not (sent_index - _CHAIN_SPAN <= m.sent < sent_index):
                continue
            if gender and m.gender != gender:
                continue
            mtok = self.token(m)
            if mtok.text.lower() == "il" and impersonal_il(mtok):
                continue
            if depth < 3 and self.referent(mtok, depth + 1).kind == PERSON:
                n += 1
        self._chains[key] = n
        return n

    def doc_key(self, tok) -> int:
        return self._doc_index.get(id(tok.doc), -1)

    def token(self, m):
        return self.side.docs[m.doc_key][m.start]

    def _entity_key(self, m) -> str:
        if m.name:
            return m.name
        tok = self.token(m)
        return tok.lemma_.lower() if tok.pos_ == "NOUN" else m.text.lower()

    def sentence_of(self, tok) -> int:
        key = self.doc_key(tok)
        pos = self._seg_order[key]
        for g in self.side.seg_sents[pos]:
            s = self.side.sents[g]
            if s.start <= tok.i < s.end:
                return g
        return -1

    # -- resolution --------------------------------------------------------
    def referent(self, tok, _depth: int = 0) -> Referent:
        key = (self.doc_key(tok), tok.i)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._resolve(tok, _depth)
            self._memo[key] = hit
        return hit

    def _resolve(self, tok, depth: int) -> Referent:
        low = tok.text.lower().lstrip("-")     # inverted "a-t-elle", "dit-il"
        if low == "il" and impersonal_il(tok):
            return Referent("impersonal", None, 9.0, "impersonal il")
        sent_index = self.sentence_of(tok)
        doc_key = self.doc_key(tok)
        gender = _PRON_GENDER.get(low)
        if low == "lui" and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "ADP":
            gender = "m"
        if low == "elle" and tok.dep_ not in ("nsubj", "nsubj:pass", "expl:subj"):
            gender = "f"
        possessive = tok.pos_ == "DET" or low in ("son", "sa", "ses")
        # celui-ci / celle-là point to the entity mentioned last ("ce
        # dernier"), not to the most salient one
        latest = low in _DEMONSTRATIVES
        pref = preference(tok)
        # "…, a-t-il ajouté" / "dit-elle": the inverted subject of a speaker
        # tag refers to the speaker, named before the quotation (often
        # without quotation marks) and never inside it
        speaker_tag = tok.text.startswith("-")
        if speaker_tag:
            pref = "agent"
        bound = None
        if possessive:
            subj = possessor_subject(tok)
            if subj is not None:
                if subj.text.lower() in _GENERIC_SUBJECTS:
                    return Referent(PERSON, subj.text, 3.0, "generic 'on'")
                if subj.text.lower() not in _NON_THIRD:
                    bound = subj.i
        if not possessive and low in ("il", "elle"):
            # "X a dit qu'elle…": the speaker binds the pronoun like a clause
            # subject binds a possessive
            spk = reporter(tok)
            if spk is not None and spk.text.lower() not in _NON_THIRD | _GENERIC_SUBJECTS:
                bound = spk.i
        above = _ancestors(tok)
        scored = []
        for k, m in enumerate(self.side.mentions):
            if m.kind == "pronoun" and m.doc_key == doc_key and m.start == tok.i:
                continue
            same = m.sent == sent_index and m.doc_key == doc_key
            dist = sent_index - m.sent
            if dist < 0 or (not self.context and m.doc_key != doc_key):
                continue
            if m.number != "s":
                continue
            facts = self._facts_of(k)
            is_bound = same and bound is not None and m.start <= bound < m.start + facts.n_words
            if same and not is_bound:
                if m.start >= tok.i or m.start in above or speaker_tag:
                    continue
            if not same and dist == 0:
                continue
            mtok = facts.tok
            if m.kind == "pronoun":
                if not facts.il_elle or depth >= 4 or facts.impersonal:
                    continue
                ref = self.referent(mtok, depth + 1)
                cls, text, fixed = ref.kind, ref.text, ref.fixed
                if cls in ("impersonal",):
                    continue
            else:
                cls, text, fixed = facts.cls, m.text, m.fixed
            m_gender = facts.gender
            if dist > self.window and cls != PERSON:
                continue
            if gender and m_gender and m_gender != gender:
                continue
            if gender and m_gender is None and cls != PERSON:
                # a noun whose gender the parse does not show: weaker
                penalty = 0.5
            else:
                penalty = 0.0
            d = float(dist)
            if latest:
                # a sentence back always counts more than a position inside one
                s = -40.0 * d - penalty + 0.5 * m.start + (_SELECT[pref][cls] if pref else 0.0)
                scored.append((s, cls, text, fixed, "latest"))
                continue
            if cls == PERSON:
                d = min(d, _DIST_CAP_PERSON)
            s = -1.0 * d - penalty
            if m.subject:
                s += 1.5 + (0.5 if m.main else 0.0)
            if m.kind == "pronoun":
                s += 0.8
            if is_bound and not possessive and pref == "human" and cls != PERSON:
                # "la presse a déclaré qu'elle était en vacances": a reporter
                # that is not a person does not bind a pronoun whose
                # predicate only fits a person; it reports on someone else
                is_bound = False
            if is_bound:
                # a possessive before its clause's subject ("Deux mois après
                # son élection, la commission…") is often cataphoric to
                # someone else: binding counts less there
                s += 2.5 if bound < tok.i else 1.0
            elif facts.in_pp:
                s -= 0.5    # inside a prepositional phrase: less salient
            key = facts.entity_key
            mentions = self._first_name_count.get(key, ())
            s += 0.3 * min(3, sum(1 for x in mentions if x <= sent_index) - 1)
            if pref:
                s += _SELECT[pref][cls]
            if cls == PERSON and self.context:
                # document-level weight of persons: the protagonist
                if m.kind != "pronoun" and key in self._lead_names:
                    s += _LEAD_BONUS
                elif m.kind == "pronoun" and m.sent < sent_index:
                    # an earlier pronoun for the headline's person, and the
                    # chain it belongs to (itself not counted)
                    if text and text.split()[-1].lower() in self._lead_names:
                        s += _LEAD_BONUS
                    s += _CHAIN_BONUS * min(3, self._topic(sent_index, gender, depth) - 1)
            # tie-break on recency inside a sentence
            s += (0.002 if same else 0.0005) * m.start
            scored.append((s, cls, text, fixed, "bound" if is_bound else "salience"))
        if speaker_tag and _speech_tag(tok):
            # "…, a-t-elle ajouté": a speaker is a person or an
            # organisation, never a thing; when none is in view the speaker
            # was named further back (an interview quoted at length), and
            # whether a person or an organisation is unknown
            scored = [x for x in scored if x[1] not in (THING, PLACE)]
            if not scored:
                return Referent(UNKNOWN, None, 0.0, "speaker out of view")
        if not scored:
            if pref == "human":
                return Referent(PERSON, None, 0.5, "context demands a person")
            return Referent(UNKNOWN, None, 0.0, "no antecedent")
        scored.sort(key=lambda x: -x[0])
        if self.trace is not None:
            self.trace.append((tok.text, tok.i, [(round(x[0], 2), x[1], x[2]) for x in scored[:5]]))
        best_s, cls, text, fixed, why = scored[0]
        if possessive and pref == "human" and cls != PERSON and _bare_infinitive(tok):
            # "un moyen pour faire venir sa famille": an infinitive without
            # a subject speaks of anyone; a family is no organisation's
            return Referent(PERSON, None, 0.5, "generic owner in an infinitive")
        if cls == UNKNOWN:
            return Referent(UNKNOWN, text, 0.0, "unknown antecedent")
        person_side = cls == PERSON
        rival = next((x[0] for x in scored[1:] if (x[1] == PERSON) != person_side and x[1] != UNKNOWN), None)
        margin = best_s - rival if rival is not None else 3.0
        return Referent(cls, text, round(margin, 2), why, fixed=bool(fixed) and person_side)
