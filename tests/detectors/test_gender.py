"""Gender detectors (GN…): the seed article with and without the source, the
missing-extra path, the sentence aligner and the spaCy loader."""
from pathlib import Path

import pandas as pd
import pytest

import mt_eval
from mt_eval import nlp
from mt_eval.align import align, target_to_source
from mt_eval.corpus import Corpus
from mt_eval.detectors.runner import check_corpus

from shared_data import SEED

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "corpora" / "news-fr-en.xml"
ARMY = "She assured that she had taken steps to ensure the safety of the residents, who she asked"

needs_nlp = pytest.mark.skipif(nlp.missing() is not None, reason="the nlp extra (spaCy pipelines) is not installed")


def _army_spans(text):
    base = text.index(ARMY)
    return {(base + i, base + i + 3) for i in (0, ARMY.index("she had"), ARMY.index("she asked"))}


@needs_nlp
def test_seed_article_without_source_flags_the_army_pronouns_only():
    if not SEED.exists():
        pytest.skip(f"seed article not available: {SEED}")
    paras = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    frame = pd.DataFrame({"doc_id": "seed", "seg_id": range(1, len(paras) + 1), "source": "",
                          "hypothesis": paras, "tgt_lang": "en"})
    df = mt_eval.check(frame, select=["GN001"])
    assert df.attrs["errors"].empty
    found = {(int(r.seg_id), int(r.start), int(r.end)) for r in df.itertuples()}
    k = next(i for i, p in enumerate(paras) if ARMY in p)
    assert found == {(k + 1, a, b) for a, b in _army_spans(paras[k])}


@needs_nlp
@pytest.mark.parametrize("use_source", [True, False])
def test_bundled_seed_with_and_without_source(use_source):
    corpus = mt_eval.load_corpus(str(BUNDLED))
    result = check_corpus(corpus, select=["GN001"], options={"GN001": {"use_source": use_source}})
    assert result.errors.empty
    df = result.findings
    mali = df[df.doc_id == "mali-kidal"]
    hyp = corpus.frame
    scraped = hyp[(hyp.doc_id == "mali-kidal") & (hyp.seg_id == 9)]["hyp:scraped-mt"].iloc[0]
    got = {(int(r.start), int(r.end)) for r in mali[mali.system == "scraped-mt"].itertuples()}
    assert got == _army_spans(scraped)
    # the careful translation says "it": nothing in that article is flagged
    assert mali[mali.system == "careful-mt"].empty
    # nothing that refers to a person is flagged: every finding is a she/he
    # whose antecedent the detector names as a non-person
    assert set(mali.span_text.str.lower()) <= {"she", "her", "he", "his", "him"}


def test_missing_nlp_extra_skips_gender_detectors_and_runs_the_rest(monkeypatch):
    monkeypatch.setattr(nlp, "_find_model", lambda lang: None)
    frame = pd.DataFrame({"doc_id": "d", "seg_id": [1, 2], "source": ["", ""],
                          "hypothesis": ["The army said she was ready.", "[[Share this:]]  "],
                          "tgt_lang": "en"})
    result = check_corpus(Corpus.from_frame(frame))
    for code in ("GN001",):
        assert code in result.skipped
        assert "pip install 'mt_eval[nlp]'" in result.skipped[code]
    assert result.errors.empty
    ran = {d.code for d in result.detectors} - set(result.skipped)
    assert ran, "other detectors still run"
    assert not result.findings.empty  # the empty/markup/boilerplate checks still report


def test_missing_spacy_itself(monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "spacy" else real(name, *a))
    assert "spaCy is not installed" in nlp.missing()
    with pytest.raises(mt_eval.DependencyError, match=r"mt_eval\[nlp\]"):
        nlp._pipelines.pop("xx", None)
        nlp.load("xx")


@needs_nlp
def test_pipelines_load_once_and_parses_are_cached():
    assert nlp.load("fr") is nlp.load("fr-FR")
    a = nlp.parse("en", ["The army took Kidal.", "It was calm."])
    b = nlp.parse("en", ["It was calm."])
    assert b[0] is a[1]
    assert [t.text for t in a[0]] == ["The", "army", "took", "Kidal", "."]


def test_align_one_to_one_and_merges():
    src = ["L'armée a appelé au calme.", "Elle a assuré qu'elle avait pris des mesures le 14 novembre.",
           "Il faut partir."]
    tgt = ["The army called for calm. She assured that she had taken steps on 14 November.", "We must go."]
    beads = align(src, tgt)
    assert beads == [((0, 1), (0,)), ((2,), (1,))]
    assert target_to_source(beads) == {0: (0, 1), 1: (2,)}
    assert align(["Un.", "Deux."], ["One.", "Two."]) == [((0,), (0,)), ((1,), (1,))]
    assert align([], ["x"]) == [((), (0,))]


def test_anchors_pull_numbers_together():
    src = ["Le bilan est de 12 morts.", "La ville de Goma a été prise en 2012 par le M23."]
    tgt = ["The toll is 12 dead and the city of Goma was taken in 2012 by the M23."]
    assert align(src, tgt) == [((0, 1), (0,))]


def test_lexicons_carry_provenance():
    data = REPO / "mt_eval" / "detectors" / "data" / "gender"
    for path in data.glob("*.t*"):
        head = path.read_text(encoding="utf-8")[:800]
        assert "Provenance" in head, path.name
