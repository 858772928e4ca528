"""mt_eval's numbers and signatures are sacrebleu's, to the last bit.

Compared live against the installed sacrebleu on WMT14 newstest (both
directions, every system): corpus scores, sentence scores and signatures,
for the defaults and a spread of non-default options, several references,
bootstrap intervals and paired tests.
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sacrebleu.metrics import BLEU, CHRF, TER
from sacrebleu.significance import PairedTest

import mt_eval
from mt_eval.corpus import Corpus

DIRECTIONS = {"fr-en": "newstest2014-fren-ref.en", "en-fr": "newstest2014-fren-ref.fr"}


def _lines(path):
    # sacrebleu's CLI right-strips every line; so do our plain-text readers.
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip() for line in fh]


@pytest.fixture(scope="module")
def data(wmt14):
    out = {}
    for d, ref in DIRECTIONS.items():
        files = sorted((wmt14 / d / "systems").iterdir())
        out[d] = {"ref": _lines(wmt14 / d / ref), "ref_path": wmt14 / d / ref,
                  "systems": {f.name: _lines(f) for f in files},
                  "files": {f.name: f for f in files}}
    return out


def _corpus(hyps: dict[str, list[str]], refs: list[list[str | None]]) -> Corpus:
    df = pd.DataFrame({"references": [tuple(r for r in rs if r is not None) for rs in zip(*refs)]})
    for name, lines in hyps.items():
        df[f"hyp:{name}"] = lines
    return Corpus(df)


def _expect(metric_cls, kwargs, hyps, refs):
    m = metric_cls(**kwargs)
    s = m.corpus_score(hyps, refs)
    return s.score, m.get_signature().format()


def _ours(result, system, name):
    row = result.corpus[(result.corpus.system == system) & (result.corpus.metric == name)].iloc[0]
    return row["score"], row["signature"]


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_corpus_bleu_chrf_every_system_from_files(data, direction):
    """The plain-file reader and default options, every system, full corpus."""
    d = data[direction]
    corpus = mt_eval.read_parallel(hyps={k: str(v) for k, v in d["files"].items()},
                                   refs=[str(d["ref_path"])])
    result = mt_eval.score(corpus, ["bleu", "chrf"], sentence_level=False)
    # References cached once, as sacrebleu's CLI does for many systems.
    bleu, chrf = BLEU(references=[d["ref"]]), CHRF(references=[d["ref"]])
    for name, hyps in d["systems"].items():
        for m, col in ((bleu, "BLEU"), (chrf, "chrF2")):
            expected = (m.corpus_score(hyps, None).score, m.get_signature().format())
            assert _ours(result, name, col) == expected, (name, col)


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_ter_every_system(data, direction):
    """TER is slow in sacrebleu: every system, on every tenth segment."""
    d = data[direction]
    hyps = {k: v[::10] for k, v in d["systems"].items()}
    ref = d["ref"][::10]
    result = mt_eval.score(_corpus(hyps, [ref]), ["ter"], sentence_level=False)
    for name, h in hyps.items():
        assert _ours(result, name, "TER") == _expect(TER, {}, h, [ref])


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_sentence_scores_every_system(data, direction):
    d = data[direction]
    idx = list(range(0, len(d["ref"]), 30))
    hyps = {k: [v[i] for i in idx] for k, v in d["systems"].items()}
    ref = [d["ref"][i] for i in idx]
    result = mt_eval.score(_corpus(hyps, [ref]), ["bleu", "chrf", "ter"], sentence_level=True)
    # sacrebleu --sentence-level turns effective order on for BLEU.
    bleu, chrf, ter = BLEU(effective_order=True), CHRF(), TER()
    seg = result.segments
    for name, h in hyps.items():
        mine = seg[seg.system == name]
        for metric, col in ((bleu, "BLEU"), (chrf, "chrF2"), (ter, "TER")):
            expected = [metric.sentence_score(x, [r]).score for x, r in zip(h, ref)]
            assert mine[col].tolist() == expected, (name, col)
    assert result.sentence_signatures["BLEU"] == bleu.get_signature().format()
    assert result.sentence_signatures["chrF2"] == chrf.get_signature().format()
    assert result.sentence_signatures["TER"] == ter.get_signature().format()


BLEU_OPTIONS = [
    {"tokenize": "intl"}, {"tokenize": "char"}, {"tokenize": "none"}, {"tokenize": "zh"},
    {"lowercase": True}, {"smooth_method": "floor"}, {"smooth_method": "floor", "smooth_value": 0.5},
    {"smooth_method": "add-k"}, {"smooth_method": "add-k", "smooth_value": 2}, {"smooth_method": "none"},
    {"effective_order": True}, {"max_ngram_order": 2}, {"max_ngram_order": 6},
]
CHRF_OPTIONS = [
    {"word_order": 2}, {"char_order": 4}, {"beta": 1}, {"beta": 3}, {"whitespace": True},
    {"lowercase": True}, {"eps_smoothing": True}, {"word_order": 1, "whitespace": True, "lowercase": True},
]
TER_OPTIONS = [
    {"normalized": True}, {"no_punct": True}, {"normalized": True, "asian_support": True},
    {"case_sensitive": True}, {"normalized": True, "no_punct": True, "case_sensitive": True},
]


@pytest.fixture(scope="module")
def slice_(data):
    """400 segments of one system per direction, for the option sweep."""
    out = {}
    for d in DIRECTIONS:
        name = sorted(data[d]["systems"])[0]
        out[d] = (data[d]["systems"][name][:400], data[d]["ref"][:400])
    return out


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("metric,cls,options", [("bleu", BLEU, o) for o in BLEU_OPTIONS]
                         + [("chrf", CHRF, o) for o in CHRF_OPTIONS]
                         + [("ter", TER, o) for o in TER_OPTIONS])
def test_non_default_options(slice_, direction, metric, cls, options):
    hyps, ref = slice_[direction]
    result = mt_eval.score(_corpus({"sys": hyps}, [ref]), [metric], options={metric: options})
    row = result.corpus.iloc[0]
    assert (row["score"], row["signature"]) == _expect(cls, options, hyps, [ref])
    # Sentence level, against sacrebleu's public sentence_score on a sample.
    sent_opts = dict(options)
    if cls is BLEU:
        sent_opts.setdefault("effective_order", True)
    m = cls(**sent_opts)
    got = result.segments[row["metric"]].tolist()
    for i in range(0, len(hyps), 40):
        assert got[i] == m.sentence_score(hyps[i], [ref[i]]).score


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_several_references_including_variable_counts(data, direction):
    d = data[direction]
    names = sorted(d["systems"])
    hyp = d["systems"][names[0]][:400]
    ref1 = d["ref"][:400]
    ref2 = d["systems"][names[1]][:400]
    # A third reference missing for every other segment: sacrebleu's
    # variable-reference mode (signature nrefs:var).
    ref3 = [x if i % 2 else None for i, x in enumerate(d["systems"][names[2]][:400])]
    for refs in ([ref1, ref2], [ref1, ref2, ref3]):
        result = mt_eval.score(_corpus({"sys": hyp}, refs), ["bleu", "chrf", "chrf++", "ter"])
        for cls, kw, name in ((BLEU, {}, "BLEU"), (CHRF, {}, "chrF2"),
                              (CHRF, {"word_order": 2}, "chrF2++"), (TER, {}, "TER")):
            assert _ours(result, "sys", name) == _expect(cls, kw, hyp, refs), (len(refs), name)
    assert "nrefs:var" in _ours(result, "sys", "BLEU")[1]


def test_bootstrap_interval_matches_sacrebleu(data):
    d = data["fr-en"]
    name = sorted(d["systems"])[0]
    hyp, ref = d["systems"][name], d["ref"]
    result = mt_eval.score(_corpus({name: hyp}, [ref]), ["bleu", "chrf", "chrf++"],
                           confidence=True, sentence_level=False)
    for m, col in ((BLEU(), "BLEU"), (CHRF(), "chrF2"), (CHRF(word_order=2), "chrF2++")):
        s = m.corpus_score(hyp, [ref], n_bootstrap=1000)
        row = result.corpus[result.corpus.metric == col].iloc[0]
        assert row["bs_mean"] == s._mean
        assert row["ci_halfwidth"] == s._ci
        assert row["signature"] == m.get_signature().format()


@pytest.mark.parametrize("test", ["bs", "ar"])
def test_paired_tests_match_sacrebleu(data, test):
    d = data["en-fr"]
    names = sorted(d["systems"])[:3]
    n = 300
    hyps = {k: d["systems"][k][:n] for k in names}
    ref = d["ref"][:n]
    kwargs = {"paired": test, "paired_n": 1000 if test == "bs" else 2000}
    result = mt_eval.score(_corpus(hyps, [ref]), ["bleu", "chrf", "ter"], sentence_level=False, **kwargs)
    metrics = {"BLEU": BLEU(references=[ref]), "chrF2": CHRF(references=[ref]), "TER": TER(references=[ref])}
    sigs, scores = PairedTest([(k, hyps[k]) for k in names], metrics, None, test_type=test,
                              n_samples=kwargs["paired_n"])()
    for metric, results in scores.items():
        if metric == "System":
            continue
        for system, res in zip(names, results):
            row = result.corpus[(result.corpus.system == system) & (result.corpus.metric == metric)].iloc[0]
            assert row["score"] == res.score
            assert row["signature"] == sigs[metric].format()
            if res.p_value is not None:
                assert row["p_value"] == res.p_value, (metric, system)
            if res.mean is not None:
                assert row["bs_mean"] == res.mean
                assert row["ci_halfwidth"] == res.ci


def test_cli_matches_sacrebleu_cli(data, tmp_path, cli):
    d = data["fr-en"]
    name = sorted(d["systems"])[3]
    hyp = str(d["files"][name])
    ref = str(d["ref_path"])
    args = ["-m", "bleu", "chrf", "--tokenize", "intl", "--lowercase", "--chrf-word-order", "2", "-w", "4"]
    sb = subprocess.run([sys.executable, "-m", "sacrebleu", ref, "-i", hyp, *args, "-f", "json"],
                        capture_output=True, text=True, check=True)
    expected = [json.loads(block) for block in _json_blocks(sb.stdout)]
    code, out, err = cli("score", "--hyp", hyp, "--ref", ref, *args, "-f", "json")
    assert code == 0, err
    mine = {r["metric"]: r for r in json.loads(out)["corpus"]}
    for e in expected:
        assert round(mine[e["name"]]["score"], 4) == e["score"]
        assert mine[e["name"]]["signature"] == "|".join(
            f"{k}:{e[k]}" for k in ("nrefs", "case", "eff", "tok", "smooth", "nc", "nw", "space", "version")
            if k in e)


def _json_blocks(text: str):
    # sacrebleu prints one JSON object per metric, or a list of them.
    text = text.strip()
    parsed = json.loads(text) if text.startswith("[") else None
    if parsed is not None:
        return [json.dumps(p) for p in parsed]
    return [text]


def test_paired_bootstrap_json_with_chrf_does_not_crash(data, tmp_path, cli):
    """sacrebleu --paired-bs -m chrf -f json dies on a float32; we must not."""
    d = data["fr-en"]
    names = sorted(d["systems"])[:2]
    files = []
    for k in names:
        p = tmp_path / k
        p.write_text("\n".join(d["systems"][k][:300]) + "\n", encoding="utf-8")
        files += ["--hyp", str(p)]
    ref = tmp_path / "ref"
    ref.write_text("\n".join(d["ref"][:300]) + "\n", encoding="utf-8")
    code, out, err = cli("score", *files, "--ref", str(ref), "-m", "chrf", "--paired-bs", "-f", "json")
    assert code == 0, err
    rows = json.loads(out)["corpus"]
    assert isinstance(rows[1]["p_value"], float) and isinstance(rows[1]["bs_mean"], float)
    assert 0 < rows[1]["p_value"] <= 1


CJK = {
    "ja-mecab": (["今日は良い天気ですね。", "東京駅で友達に会いました。", "この本はとても面白かった。"],
                 ["今日はいい天気ですね。", "東京駅で友人に会った。", "この本は非常に面白かったです。"]),
    "ko-mecab": (["오늘은 날씨가 좋네요.", "서울역에서 친구를 만났어요.", "이 책은 정말 재미있었다."],
                 ["오늘 날씨가 좋습니다.", "서울역에서 친구를 만났다.", "이 책은 아주 재미있었어요."]),
    "zh": (["今天天气很好。", "我在北京站见到了朋友。", "这本书非常有趣。"],
           ["今天的天气很好。", "我在北京站遇见了朋友。", "这本书很有意思。"]),
}


@pytest.mark.parametrize("tokenizer", CJK)
def test_cjk_tokenizers(tokenizer):
    if tokenizer.endswith("mecab"):
        pytest.importorskip("MeCab" if tokenizer == "ja-mecab" else "mecab_ko",
                            reason="needs the cjk extra: pip install 'mt_eval[cjk]'")
    hyps, ref = CJK[tokenizer]
    result = mt_eval.score(_corpus({"sys": hyps}, [ref]), ["bleu"], options={"bleu": {"tokenize": tokenizer}})
    row = result.corpus.iloc[0]
    assert (row["score"], row["signature"]) == _expect(BLEU, {"tokenize": tokenizer}, hyps, [ref])
    m = BLEU(tokenize=tokenizer, effective_order=True)
    assert result.segments["BLEU"].tolist() == [m.sentence_score(h, [r]).score for h, r in zip(hyps, ref)]
