"""compare-mt style analyses, checked against hand counts and mt_eval.score."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import mt_eval
from mt_eval import Corpus
from mt_eval.report import analysis

from shared_data import WMT14


def test_bucket_labels_cover_every_integer_once():
    b = analysis.bucket_labels((1, 2, 3, 5, 10))
    assert [x["label"] for x in b] == ["0", "1", "2", "3–4", "5–9", "≥ 10"]
    idx = analysis.bucket_index(np.arange(0, 30), (1, 2, 3, 5, 10))
    for value, k in zip(range(30), idx):
        spec = b[k]
        assert spec["low"] <= value and (spec["high"] is None or value < spec["high"])


def test_length_bucket_scores_are_corpus_scores_of_the_subset(seed_corpus):
    res = mt_eval.score(seed_corpus, ["bleu", "chrf"])
    refs = analysis.tokenize([r[0] for r in seed_corpus.references])
    lengths = [len(t) for t in refs]
    cut = (12,)
    out = analysis.length_buckets(lengths, res.stats, res.metrics, seed_corpus.systems, cutoffs=cut)
    short = [i for i, n in enumerate(lengths) if n < 12]
    long_ = [i for i, n in enumerate(lengths) if n >= 12]
    assert short and long_
    assert [b["count"] for b in out["buckets"]] == [len(short), len(long_)]
    for rows, k in ((short, 0), (long_, 1)):
        sub = Corpus(seed_corpus.frame.iloc[rows])
        expect = mt_eval.score(sub, ["bleu", "chrf"]).table()
        for s in seed_corpus.systems:
            assert out["scores"]["BLEU"][s][k] == pytest.approx(expect.loc[s, "BLEU"], abs=1e-9)
            assert out["scores"]["chrF2"][s][k] == pytest.approx(expect.loc[s, "chrF2"], abs=1e-9)


def test_empty_length_bucket_is_none(seed_corpus):
    res = mt_eval.score(seed_corpus, ["bleu"])
    out = analysis.length_buckets([5] * len(seed_corpus), res.stats, res.metrics, seed_corpus.systems,
                                  cutoffs=(10,))
    assert out["buckets"][1]["count"] == 0
    assert all(v[1] is None for v in out["scores"]["BLEU"].values())


def test_tokenizer_is_sacrebleus_13a():
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    sb = Tokenizer13a()
    lines = ["Hello, world! It's 3.5 km-long (really).", "a.,b 1.,5 x-\ny <skipped> &quot;q&quot; &amp; 1-2",
             "« Aujourd'hui », a-t-il dit: 12,5 % ; l'État... 2.0.", "", "   ", "$5.00/oz. -- 10-15 [ok]{}|~`^_"]
    data = WMT14 / "fr-en"
    for name in ("newstest2014-fren-src.fr", "newstest2014-fren-ref.en"):
        if (data / name).exists():  # real text when the shared data is there
            lines += (data / name).read_text(encoding="utf-8").split("\n")[:400]
    for line in lines:
        assert analysis.tokenize_13a(line) == sb(line).split(), line


def _tokens(refs, hyps):
    return analysis.Tokens(refs, hyps)


def test_word_accuracy_by_frequency_hand_counts():
    refs = [["the", "cat", "sat"], ["the", "dog", "ran", "the"]]
    hyps = {"A": [["the", "cat", "cat"], ["a", "dog", "ran", "the"]]}
    out = analysis.word_accuracy_by_frequency(_tokens(refs, hyps), cutoffs=(1, 2, 3))
    # Reference frequency: the=3, cat=1, sat=1, dog=1, ran=1 -> buckets 0,1,2,>=3
    assert [b["label"] for b in out["buckets"]] == ["0", "1", "2", "≥ 3"]
    assert out["reference_words"] == [0, 4, 0, 3]
    a = out["systems"]["A"]
    # "the": hyp 1+1, ref 1+2 -> 2 matches (bucket >=3); cat: hyp 2 ref 1 -> 1 match;
    # dog, ran -> 1 each (bucket 1); "a" is in no reference (bucket 0).
    assert a["matches"] == [0, 3, 0, 2]
    assert a["hypothesis_words"] == [1, 4, 0, 2]
    assert a["recall"][1] == pytest.approx(3 / 4) and a["precision"][1] == pytest.approx(3 / 4)
    assert a["recall"][3] == pytest.approx(2 / 3) and a["precision"][3] == pytest.approx(1.0)
    assert a["fmeasure"][3] == pytest.approx(2 * (2 / 3) / (1 + 2 / 3))
    assert a["recall"][0] is None and a["precision"][0] == 0.0 and a["fmeasure"][0] is None
    assert a["precision"][2] is None


def _naive_matches(hyps, refs, max_n):
    """Reference implementation: one Counter per sentence, clipped."""
    total = Counter()
    for h, r in zip(hyps, refs):
        for n in range(1, max_n + 1):
            hc = Counter(" ".join(h[i:i + n]) for i in range(len(h) - n + 1))
            rc = Counter(" ".join(r[i:i + n]) for i in range(len(r) - n + 1))
            for g, c in hc.items():
                if g in rc:
                    total[g] += min(c, rc[g])
    return dict(total)


def test_ngram_matches_are_clipped_by_the_reference():
    table = analysis.NgramTable(_tokens([["a", "b", "a", "b"]], {"A": [["a", "b", "a", "b", "a", "b"]]}), max_n=2)
    assert table.matches("A") == {"a": 2, "b": 2, "a b": 2, "b a": 1}


def test_ngram_matches_agree_with_counting_sentence_by_sentence(seed_corpus):
    refs = analysis.tokenize([r[0] for r in seed_corpus.references])
    hyps = {s: analysis.tokenize(seed_corpus.hypotheses(s)) for s in seed_corpus.systems}
    table = analysis.NgramTable(_tokens(refs, hyps), max_n=4)
    for s in seed_corpus.systems:
        assert table.matches(s) == _naive_matches(hyps[s], refs, 4)


def test_ngram_differences_rank_and_ties():
    # Unigram matches: A gets x 5 times, y once, z and w twice, q 3 times;
    # B gets x once, y 4 times, q 3 times, v twice.
    ref = [["x"] * 5 + ["y"] * 4 + ["q"] * 3 + ["v"] * 2 + ["z"] * 2 + ["w"] * 2]
    hyps = {"A": [["x"] * 5 + ["y"] + ["q"] * 3 + ["z"] * 2 + ["w"] * 2],
            "B": [["x"] + ["y"] * 4 + ["q"] * 3 + ["v"] * 2]}
    table = analysis.NgramTable(_tokens(ref, hyps), max_n=1)
    d = table.differences("A", "B", top=10, alpha=1.0)
    # x: (5+1)/(6+2) = .75 ties with w and z: (2+1)/(2+2) = .75; the larger
    # difference (x) first, then w before z alphabetically.
    assert [(r["ngram"], r["a"], r["b"]) for r in d["a_better"]] == [("x", 5, 1), ("w", 2, 0), ("z", 2, 0)]
    # v: (0+1)/(2+2) = .25 is more one-sided than y: (1+1)/(5+2) = .29
    assert [(r["ngram"], r["n"]) for r in d["b_better"]] == [("v", 1), ("y", 1)]
    assert [r["score"] for r in d["b_better"]] == pytest.approx([1 / 4, 2 / 7])
    assert all(r["ngram"] != "q" for r in d["a_better"] + d["b_better"])  # equal counts: no difference
    # Cutting inside a tie keeps the alphabetical first.
    assert [r["ngram"] for r in table.differences("A", "B", top=2)["a_better"]] == ["x", "w"]


def test_distribution_matches_numpy_and_keeps_values_above_the_top_bin():
    vals = [0.0, 10.0, 20.0, 35.0, 50.0, 99.0, 100.0, 140.0, float("nan")]
    d = analysis.distribution(vals)
    finite = np.array(vals[:-1])
    assert d["n"] == 8
    assert d["median"] == pytest.approx(np.median(finite))
    assert d["q1"] == pytest.approx(np.percentile(finite, 25))
    assert sum(d["histogram"]["counts"]) == 8
    assert d["histogram"]["counts"][-1] == 3  # 99, 100 and 140 share the last, open bin
    assert d["whisker_high"] <= d["max"] and d["whisker_low"] >= d["min"]
    assert analysis.distribution([]) == {"n": 0}
