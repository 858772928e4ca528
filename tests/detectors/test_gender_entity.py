"""English→French entity gender as a reader of the French sees it
(entity.reader_gender, measured against WinoMT's human labels in
bench/eval_gender.py winomt) and its pieces: binding, clitics the tagger
took for articles, epicene nouns with an elided article."""
import pytest

from mt_eval import nlp

needs_nlp = pytest.mark.skipif(nlp.missing() is not None, reason="the nlp extra (spaCy pipelines) is not installed")


def _pair(en, fr):
    return nlp.parse("en", [en])[0], nlp.parse("fr", [fr])[0]


@needs_nlp
@pytest.mark.parametrize("en, fr, noun, want", [
    # the pronoun fixes the entity when no other person can take it
    ("The salesperson met with the counselor because she wanted to buy merchandise.",
     "Le vendeur a rencontré le conseiller parce qu'elle voulait acheter de la marchandise.", "counselor", "f"),
    # ... but a person whose noun phrase shows no gender (epicene, elided
    # article) takes it, and the entity keeps its own marking
    ("The analyst consulted with the librarian because she knows a lot about books.",
     "L'analyste a consulté le bibliothécaire parce qu'elle en sait beaucoup sur les livres.", "librarian", "m"),
    # an epicene noun with an elided article shows nothing; the pronoun decides
    ("The assistant scanned documents for the analyst because he asked.",
     "L'assistante a scanné des documents pour l'analyste parce qu'il a demandé.", "analyst", "m"),
    # the subject of the pronoun's own clause cannot take an object pronoun
    ("The teacher talked to the salesperson and invited her to dinner.",
     "L'enseignante a parlé au vendeur et l'a invitée à dîner.", "salesperson", "f"),
])
def test_reader_gender(en, fr, noun, want):
    from mt_eval.detectors.gender.entity import reader_gender
    e, f = _pair(en, fr)
    assert reader_gender(e, f, noun) == want


@needs_nlp
def test_epicene_noun_with_elided_article_has_no_gender():
    from mt_eval.detectors.gender.entity import np_gender
    f = nlp.parse("fr", ["L'analyste a signé."])[0]
    assert np_gender(f, 1, 2)[0] is None
    f = nlp.parse("fr", ["La secrétaire a signé."])[0]
    assert np_gender(f, 1, 2)[0] == "f"


@needs_nlp
def test_clause_subjects_follow_coordination():
    from mt_eval.detectors.gender.entity import clause_subjects
    f = nlp.parse("fr", ["L'enseignante a parlé au vendeur et l'a invitée à dîner."])[0]
    pron = next(t for t in f if t.text == "l'" and t.i > 3)
    assert {f[i].text for i in clause_subjects(pron)} == {"enseignante"}
    f = nlp.parse("fr", ["Le gérant a dit que le caissier la voyait."])[0]
    pron = next(t for t in f if t.text == "la")
    assert {f[i].text for i in clause_subjects(pron)} == {"caissier"}


@needs_nlp
def test_possessive_her_is_not_a_pronoun_to_pair_but_object_her_is():
    from mt_eval.detectors.gender.entity import coreferent_pronoun
    e, f = _pair("The janitor laughed at the assistant and treated her bad.",
                 "Le concierge se mit à rire de l'Assistant et la traitait mal.")
    q = coreferent_pronoun(e, f)
    assert q is not None and q.text == "la"
    e, f = _pair("The janitor praised her work.", "Le concierge a loué son travail.")
    assert coreferent_pronoun(e, f) is None
