"""BERTScore and SentSim through the metric base, the API and the CLI (tiny BERT)."""
import math

import numpy as np
import pandas as pd
import pytest

import mt_eval
from mt_eval.cli import main
from mt_eval.errors import UsageError
from mt_eval.metrics import build_metric
from mt_eval.stats import bootstrap_interval, paired_bootstrap

REFS = ["the cat sat on the mat .", "a big red house", "the dog runs", "le chat"]
HYP_A = ["the cat sat on the rug .", "a small blue house", "the dog runs", "le chien"]
HYP_B = ["dog", "the house is red", "", "la maison"]


def _metric(name, tiny_bert, **kw):
    return build_metric(name, model=str(tiny_bert), cache=False, **kw)


def _manual_bertscore(enc, hyp, ref, layer, idf):
    h, r = enc.token_vectors([hyp], layer)[0], enc.token_vectors([ref], layer)[0]
    if not len(h.ids) or not len(r.ids):
        return 0.0, 0.0, 0.0
    sim = h.vectors.astype(np.float64) @ r.vectors.astype(np.float64).T
    wh = np.array([idf(t) for t in h.ids]); wr = np.array([idf(t) for t in r.ids])
    p = (sim.max(axis=1) * wh).sum() / wh.sum()
    rc = (sim.max(axis=0) * wr).sum() / wr.sum()
    return p, rc, 2 * p * rc / (p + rc)


@pytest.mark.parametrize("use_idf", [True, False])
def test_bertscore_matches_a_direct_computation(tiny_bert, use_idf):
    m = _metric("bertscore", tiny_bert, idf=use_idf, layer=2)
    m.prepare([REFS])
    stats = m.segment_statistics(HYP_A)
    enc = m.encoder
    ref_ids = [set(v.ids.tolist()) for v in enc.token_vectors(REFS, 2)]
    M = len(REFS)

    def idf(t):
        if not use_idf:
            return 1.0
        return math.log((M + 1) / (sum(t in s for s in ref_ids) + 1))
    for i, (h, r) in enumerate(zip(HYP_A, REFS)):
        p, rc, f = _manual_bertscore(enc, h, r, 2, idf)
        assert stats[i, :3] == pytest.approx([p, rc, f], abs=1e-5)
    assert stats[:, 3].tolist() == [1.0] * len(REFS)


def test_identity_and_empty(tiny_bert):
    m = _metric("bertscore", tiny_bert)
    m.prepare([REFS])
    same = m.sentence_scores(m.segment_statistics(REFS))
    assert same == pytest.approx([100.0] * 4, abs=0.05)
    stats = m.segment_statistics(HYP_B)
    assert stats[2, :3].tolist() == [0.0, 0.0, 0.0]  # empty hypothesis
    s = _metric("sentsim", tiny_bert)
    s.prepare([REFS])
    assert s.sentence_scores(s.segment_statistics(HYP_B))[2] == 0.0
    assert s.sentence_scores(s.segment_statistics(REFS)) == pytest.approx([100.0] * 4, abs=1e-3)


def test_multiple_references_take_the_best(tiny_bert):
    m = _metric("bertscore", tiny_bert, idf=False)
    m.prepare([REFS, [None, "a small blue house", None, None]])
    stats = m.segment_statistics(HYP_A)
    assert stats[1, 2] == pytest.approx(1.0, abs=1e-3)   # second reference is identical
    single = _metric("bertscore", tiny_bert, idf=False)
    single.prepare([REFS])
    assert np.allclose(stats[[0, 2, 3]], single.segment_statistics(HYP_A)[[0, 2, 3]], atol=1e-6)


@pytest.mark.parametrize("name", ["bertscore", "sentsim"])
def test_corpus_score_is_the_mean_and_resampling_works(tiny_bert, name):
    m = _metric(name, tiny_bert)
    m.prepare([REFS])
    a, b = m.segment_statistics(HYP_A), m.segment_statistics(HYP_B)
    sent = m.sentence_scores(a)
    assert m.aggregate(a).value == pytest.approx(sent.mean())
    # any subset's sums give that subset's mean: what bootstrap resamples need
    assert m.score_from_sums(a[[0, 0, 3]].sum(axis=0)) == pytest.approx(sent[[0, 0, 3]].mean())
    iv = bootstrap_interval(m, a, 200, 1)
    assert min(sent) - 1e-6 <= iv.low <= iv.high <= max(sent) + 1e-6
    res = paired_bootstrap(m, a, b, 200, 1)
    assert 0 < res.p_value <= 1


def test_signature(tiny_bert):
    m = _metric("bertscore", tiny_bert, layer=2, idf=True, batch_size=8)
    m.prepare([REFS])
    sig = m.signature()
    assert sig.startswith("nrefs:1|model:tiny-bert")
    assert "|layer:2|idf:yes|score:F1|lc:no|dtype:fp32|batch:8|version:" in sig
    assert "prompt:" not in sig  # the model knows no prompt: nothing to record
    assert m.signature(bs=1000, seed=12345).startswith("nrefs:1|bs:1000|seed:12345|model:")
    assert m.signature(short=True).startswith("#:1|m:tiny-bert")
    s = _metric("sentsim", tiny_bert)
    s.prepare([REFS])
    assert "|layer:3|pool:mean|" in s.signature()


def test_reported_value_and_bertscore_p(tiny_bert):
    p = _metric("bertscore", tiny_bert, score="P", idf=False, layer=2)
    f = _metric("bertscore", tiny_bert, idf=False, layer=2)
    for m in (p, f):
        m.prepare([REFS])
    sp, sf = p.segment_statistics(HYP_A), f.segment_statistics(HYP_A)
    assert np.array_equal(sp, sf)  # the same statistics, another column reported
    assert p.sentence_scores(sp) == pytest.approx(sf[:, 0] * 100)
    assert p.aggregate(sp).value == pytest.approx(sf[:, 0].mean() * 100)
    assert p.name == f"BERTScore-P[{tiny_bert.name}]"
    # bertscore-p: precision, no idf, the second-to-last layer (tiny BERT has 3)
    bp = _metric("bertscore-p", tiny_bert)
    bp.prepare([REFS])
    assert (bp.layer, bp.idf, bp.score) == (2, False, "P")
    assert bp.name == f"BERTScoreP[{tiny_bert.name}]"
    assert np.array_equal(bp.segment_statistics(HYP_A), sp)
    assert "|layer:2|idf:no|score:P|" in bp.signature()
    with pytest.raises(UsageError, match="score must be one of P, R, F1"):
        _metric("bertscore", tiny_bert, score="F2")
    with pytest.raises(UsageError, match="prompt 'query': .* knows none"):
        _metric("bertscore", tiny_bert, prompt="query")


def test_several_references_keep_the_best_reported_value(tiny_bert):
    second = ["a small blue house", "the house is red", "the dogs run", "la chatte"]
    multi = _metric("bertscore", tiny_bert, score="P", idf=False)
    multi.prepare([REFS, second])
    got = multi.segment_statistics(HYP_B)
    single = []
    for refs in (REFS, second):
        m = _metric("bertscore", tiny_bert, score="P", idf=False)
        m.prepare([refs])
        single.append(m.segment_statistics(HYP_B))
    best = np.where(single[0][:, 0] >= single[1][:, 0], 0, 1)
    assert np.allclose(got, np.stack([single[b][i] for i, b in enumerate(best)]), atol=1e-6)


def test_through_mt_eval_score(tiny_bert):
    frame = pd.DataFrame({"source": ["x"] * 4, "reference": REFS, "hyp:A": HYP_A, "hyp:B": HYP_B})
    res = mt_eval.score(frame, ["chrf", "bertscore", "sentsim"], confidence=True, confidence_n=100,
                        options={"neural": {"model": str(tiny_bert), "cache": False}})
    table = res.table()
    assert set(table.columns) == {"chrF2", "BERTScore[" + tiny_bert.name + "]", "SentSim[" + tiny_bert.name + "]"}
    assert (table.loc["A"] > table.loc["B"]).all()
    seg = res.segments
    assert len(seg) == 8 and seg.filter(like="BERTScore").notna().all().all()
    paired = mt_eval.score(frame, ["bertscore"], paired="ar", paired_n=50,
                           options={"neural": {"model": str(tiny_bert), "cache": False}})
    assert paired.corpus["p_value"].notna().sum() == 1


def test_cli(tiny_bert, tmp_path, capsys):
    ref = tmp_path / "ref.txt"; ref.write_text("\n".join(REFS) + "\n")
    hyp = tmp_path / "hyp.txt"; hyp.write_text("\n".join(HYP_A) + "\n")
    code = main(["score", "--hyp", str(hyp), "--ref", str(ref), "-m", "bertscore", "sentsim",
                 "--model", str(tiny_bert), "--layer", "2", "--no-idf", "--batch-size", "2", "--dtype", "bf16",
                 "--cache-dir", str(tmp_path / "c"), "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "layer:2|idf:no|score:F1|lc:no|dtype:bf16" in out and "SentSim" in out
    assert (tmp_path / "c" / "embeddings.sqlite").exists()


def test_cli_bertscore_value_and_prompt(tiny_bert, tmp_path, capsys):
    ref = tmp_path / "ref.txt"; ref.write_text("\n".join(REFS) + "\n")
    hyp = tmp_path / "hyp.txt"; hyp.write_text("\n".join(HYP_A) + "\n")
    base = ["score", "--hyp", str(hyp), "--ref", str(ref), "--model", str(tiny_bert), "--no-cache"]
    assert main(base + ["-m", "bertscore", "bertscore-p", "--bertscore-score", "R", "--format", "json"]) == 0
    out = capsys.readouterr().out
    # the explicit option wins over bertscore-p's P
    assert "idf:yes|score:R|" in out and "idf:no|score:R|" in out and "BERTScoreP-R[" in out
    assert main(base + ["-m", "bertscore", "--prompt", "passage"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "prompt 'passage'" in err


def test_cli_errors_are_one_line(tmp_path, capsys):
    ref = tmp_path / "ref.txt"; ref.write_text("a\n")
    code = main(["score", "--hyp", str(ref), "--ref", str(ref), "-m", "bertscore", "--model", str(tmp_path / "no")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "no such directory" in err
