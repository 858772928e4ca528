"""mt_eval.nlp_speed swaps quicker code into the pipelines' attribute rulers
and lemmatizers: every annotation must stay what spaCy's own code gives."""
import pytest

from mt_eval import nlp
from shared_data import WMT14, need

pytestmark = pytest.mark.skipif(nlp.missing() is not None, reason="the nlp extra (spaCy pipelines) is not installed")

# A few hundred real segments per language: French sources; English
# references and two systems' output (rule-based MT is the least fluent).
FILES = {
    "fr": [("newstest2014-fren-src.fr", 0, 300)],
    "en": [("newstest2014-fren-ref.en", 0, 150),
           ("systems/newstest2014.rbmt1.0.fr-en", 150, 250),
           ("systems/newstest2014.onlineB.0.fr-en", 250, 350)],
}


def _texts(lang):
    texts = []
    for name, start, end in FILES[lang]:
        lines = need(WMT14 / "fr-en" / name).read_text(encoding="utf-8").split("\n")
        texts += lines[start:end]
    return texts


def _annotations(doc):
    tokens = [(t.text, t.idx, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_,
               t.is_sent_start) for t in doc]
    return tokens, [(e.start, e.end, e.label_) for e in doc.ents], [(s.start, s.end) for s in doc.sents]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sped_up_pipeline_annotates_as_spacy_does(lang):
    import spacy
    from mt_eval.nlp_speed import QuickAttributeRuler, _SetList

    fast = nlp.load(lang)
    assert type(fast.get_pipe("attribute_ruler")) is QuickAttributeRuler
    index = fast.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert index and all(type(words) is _SetList for words in index.values())
    stock = spacy.load(nlp._find_model(lang))
    texts = _texts(lang)
    with nlp._one_blas_thread():
        ours = list(fast.pipe(texts))
        theirs = list(stock.pipe(texts))
    assert fast.get_pipe("attribute_ruler")._quick_plan.usable
    assert sum(len(d) for d in ours) > 5000
    assert [_annotations(d) for d in ours] == [_annotations(d) for d in theirs]
    # the same texts again, now answered from what the first pass remembered
    with nlp._one_blas_thread():
        again = list(fast.pipe(texts[::-1]))[::-1]
    assert [_annotations(d) for d in again] == [_annotations(d) for d in theirs]


def test_lemmatizer_tables_serialise_as_before():
    import spacy

    for lang in ("en", "fr"):
        stock = spacy.load(nlp._find_model(lang))
        ours, theirs = nlp.load(lang).get_pipe("lemmatizer"), stock.get_pipe("lemmatizer")
        assert ours.to_bytes(exclude=["vocab"]) == theirs.to_bytes(exclude=["vocab"])


RULES = [
    # later rules override earlier ones, on the same token and attribute
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": {"IN": ["cat", "dog"]}, "TAG": "NN"}]], "attrs": {"LEMMA": "animal", "POS": "PROPN"}},
    {"patterns": [[{"LOWER": {"REGEX": "^t"}}]], "attrs": {"MORPH": "Foo=Bar"}},
    # multi-token patterns, the target by positive and negative index, a quantifier
    {"patterns": [[{"LOWER": "the"}, {"TAG": "NN"}]], "attrs": {"LEMMA": "thing"}, "index": 1},
    {"patterns": [[{"DEP": "det"}, {"OP": "?"}, {"LOWER": "cat"}]], "attrs": {"TAG": "XX"}, "index": -1},
    {"patterns": [[{"TAG": "NN", "DEP": "nsubj"}]], "attrs": {"DEP": "dep", "LEMMA": "subject"}},
    # one rule, two one-token alternatives
    {"patterns": [[{"ORTH": "sat"}], [{"TEXT": "mat"}]], "attrs": {"POS": "X"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"MORPH": "Number=Plur"}},
]


def _toy_doc(vocab):
    from spacy.tokens import Doc

    words = ["The", "cat", "sat", "on", "the", "mat", " ", "the", "big", "cat", "Tom", "dog"]
    tags = ["DT", "NN", "VBD", "IN", "DT", "NN", "_SP", "DT", "JJ", "NN", "NNP", "NN"]
    deps = ["det", "nsubj", "ROOT", "prep", "det", "pobj", "dep", "det", "amod", "npadvmod", "compound", "npadvmod"]
    heads = [1, 2, 2, 2, 5, 3, 5, 9, 9, 2, 11, 2]
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=heads)


def test_quick_ruler_on_rules_of_every_kind_it_takes():
    """Overrides, multi-token patterns, indexes and quantifiers: the same
    annotations as spaCy's AttributeRuler, twice (the second time remembered)."""
    import spacy
    from mt_eval.nlp_speed import QuickAttributeRuler

    blank = spacy.blank("en")
    stock, quick = blank.add_pipe("attribute_ruler", name="stock"), blank.add_pipe("attribute_ruler", name="quick")
    for ruler in (stock, quick):
        ruler.add_patterns(RULES)
    quick.__class__ = QuickAttributeRuler
    for _ in range(2):
        theirs, ours = stock(_toy_doc(blank.vocab)), quick(_toy_doc(blank.vocab))
        assert quick._quick_plan.usable and quick._quick_plan.multi is not None
        assert [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in ours] == \
               [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in theirs]
    assert {"animal", "thing", "subject"} <= {t.lemma_ for t in ours}


def test_quick_ruler_leaves_to_spacy_what_it_does_not_cover():
    import spacy
    from mt_eval.nlp_speed import QuickAttributeRuler

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add_patterns(RULES + [{"patterns": [[{"LOWER": "cat"}]], "attrs": {"NORM": "feline"}}])
    ruler.__class__ = QuickAttributeRuler
    doc = ruler(_toy_doc(blank.vocab))
    assert not ruler._quick_plan.usable
    assert doc[1].norm_ == "feline" and doc[1].lemma_ == "subject"
    # patterns added later are seen
    ruler.clear()
    ruler.add_patterns(RULES[:2])
    assert ruler(_toy_doc(blank.vocab))[1].pos_ == "PROPN" and ruler._quick_plan.usable
