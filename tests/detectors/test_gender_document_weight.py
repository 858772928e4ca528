"""GN001 round 4: the document-level weight of persons in the French
referent, person heads (*le cas de X*, *la pop star*), company short names
that NER takes for persons, and acronyms rendered as *HIS*."""
import pandas as pd
import pytest

import mt_eval
from mt_eval import nlp
from mt_eval.detectors.gender.document import demote_company_names, french_side
from mt_eval.detectors.gender.fr_referent import NONPERSON, PERSON, FrenchResolver

pytestmark = pytest.mark.skipif(nlp.missing() is not None, reason="the nlp extra (spaCy pipelines) is not installed")


def _referents(texts, demote=False):
    side = french_side(texts, list(range(len(texts))))
    if demote:
        demote_company_names(None, side)
    res = FrenchResolver(side)
    return [(t.text, res.referent(t)) for doc in side.docs for t in doc
            if t.text.lower().lstrip("-") in ("il", "elle")]


def test_case_of_a_named_person_heads_the_next_pronoun():
    refs = _referents(["Tel est le cas de Jim Bruce, un écrivain de 36 ans du Montana.",
                       "Les médecins étaient convaincus qu'il ne pourrait jamais avoir une vie normale."])
    assert refs[-1][1].kind == PERSON


def test_english_compound_with_a_person_noun_is_a_person():
    refs = _referents(["Au cours d'un entretien, la pop star a déclaré qu'elle était choriste sur la chanson."])
    assert refs[-1][1].kind == PERSON


def test_protagonist_named_in_the_headline_outweighs_a_nearer_institution():
    refs = _referents(["Gérard de Villiers, l'auteur de romans d'espionnage, est mort.",
                       "Il n'aura jamais connu le mot retraite.",
                       "En février, le journal l'avait consacré comme un auteur important.",
                       "Il venait alors de passer dix jours en Afghanistan."])
    assert refs[-1][1].kind == PERSON
    # without the headline the nearer subject wins: the weight is what decides
    alone = _referents(["En février, le journal l'avait consacré comme un auteur important.",
                        "Il venait alors de passer dix jours en Afghanistan."])
    assert alone[-1][1].kind in NONPERSON


def test_short_form_of_a_company_name_is_the_company():
    texts = ["Frontier Airlines envisage de faire payer les bagages à main.",
             "Frontier a déclaré qu'elle ferait payer 25 $ à l'avance."]
    assert _referents(texts, demote=True)[-1][1].kind in NONPERSON
    # a title keeps the name a person
    titled = ["Frontier Airlines envisage de faire payer les bagages à main.",
              "M. Frontier, son fondateur, a déclaré qu'il ferait payer 25 $ à l'avance."]
    assert _referents(titled, demote=True)[-1][1].kind == PERSON


def test_acronym_rendered_as_his_is_flagged_with_the_source():
    frame = pd.DataFrame({"doc_id": "d", "seg_id": [1],
                          "source": ["La société brésilienne Embraer SA a indiqué jeudi une baisse de ses livraisons."],
                          "hypothesis": ["The Brazilian company Embraer HIS said on Thursday its deliveries fell."],
                          "src_lang": "fr", "tgt_lang": "en"})
    df = mt_eval.check(frame, select=["GN001"], show_progress=False)
    assert list(df.span_text) == ["HIS"]
    assert df.iloc[0].data["reason"] == "acronym"


def test_an_age_adjunct_makes_the_subject_a_person():
    refs = _referents(["Le public pourra admirer les prouesses de jeunes comme le prodige Lorenzo Palumbo.",
                       "A seulement 10 ans, il a déjà conquis sa place pour les championnats d'Europe."])
    assert refs[-1][1].kind == PERSON
