"""The fast engine's statistics, corpus scores and sentence scores are
identical to sacrebleu's, on real WMT14 output and on generated text."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sacrebleu.metrics import BLEU as SbBLEU, CHRF as SbCHRF, TER as SbTER

import mt_eval
from mt_eval.engine import FastEngine, compute, spec_of
from mt_eval.engine.chrf import f_scores
from mt_eval.metrics import build_metric

from shared_data import WMT14

DATA = WMT14
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"WMT14 data not found at {DATA}")

SLICE = slice(1000, 1400)  # 400 segments: long and short ones, several documents


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:3003]


def _direction(pair: str, n_systems: int):
    tgt = pair.split("-")[1]
    ref = _lines(DATA / pair / f"newstest2014-fren-ref.{tgt}")[SLICE]
    src = _lines(DATA / pair / f"newstest2014-fren-src.{pair.split('-')[0]}")[SLICE]
    systems = sorted((DATA / pair / "systems").iterdir())[:n_systems]
    return src, ref, [_lines(p)[SLICE] for p in systems]


def _sb_stats(sb, hyps, streams):
    return np.array(sb._extract_corpus_statistics(hyps, streams), dtype=float)


def _ours(name, options, hyps_by_system, streams):
    metric = build_metric(name, **options)
    refs = [tuple(r for r in row if r is not None) for row in zip(*streams)]
    return compute(spec_of(metric), hyps_by_system, refs)


CASES = [
    ("bleu", {}, SbBLEU, {}),
    ("bleu", {"tokenize": "intl", "lowercase": True}, SbBLEU, {"tokenize": "intl", "lowercase": True}),
    ("bleu", {"tokenize": "char", "max_ngram_order": 6}, SbBLEU, {"tokenize": "char", "max_ngram_order": 6}),
    ("bleu", {"tokenize": "none"}, SbBLEU, {"tokenize": "none"}),
    ("bleu", {"tokenize": "zh"}, SbBLEU, {"tokenize": "zh"}),
    ("chrf", {}, SbCHRF, {}),
    ("chrf++", {}, SbCHRF, {"word_order": 2}),
    ("chrf", {"lowercase": True, "whitespace": True, "beta": 1}, SbCHRF,
     {"lowercase": True, "whitespace": True, "beta": 1}),
    ("chrf++", {"eps_smoothing": True, "char_order": 4}, SbCHRF,
     {"word_order": 2, "eps_smoothing": True, "char_order": 4}),
    ("ter", {}, SbTER, {}),
    ("ter", {"normalized": True, "case_sensitive": True}, SbTER, {"normalized": True, "case_sensitive": True}),
    ("ter", {"no_punct": True, "asian_support": True, "normalized": True}, SbTER,
     {"no_punct": True, "asian_support": True, "normalized": True}),
]


@needs_data
@pytest.mark.parametrize("pair", ["fr-en", "en-fr"])
@pytest.mark.parametrize("name,options,sb_cls,sb_options", CASES,
                         ids=[f"{c[0]}-{'-'.join(f'{k}={v}' for k, v in c[1].items())}" for c in CASES])
def test_statistics_identical_on_wmt(pair, name, options, sb_cls, sb_options):
    _, ref, systems = _direction(pair, 3)
    if name == "ter":  # sacrebleu's TER is slow: fewer segments, same variety
        ref, systems = ref[:100], [s[:100] for s in systems[:2]]
    ours = _ours(name, options, systems, [ref])
    for hyps, got in zip(systems, ours):
        np.testing.assert_array_equal(got, _sb_stats(sb_cls(**sb_options), hyps, [ref]))


@needs_data
@pytest.mark.parametrize("name,sb_cls,sb_options", [
    ("bleu", SbBLEU, {}), ("chrf", SbCHRF, {}), ("chrf++", SbCHRF, {"word_order": 2}),
    ("chrf", SbCHRF, {"eps_smoothing": True, "beta": 3}), ("ter", SbTER, {}),
    ("bleu", SbBLEU, {"tokenize": "char"})])
def test_several_references_some_missing(name, sb_cls, sb_options):
    """2-3 references per segment, some absent: BLEU clips by the most
    generous reference and takes the closest length, chrF keeps the
    reference with the best F (first on ties), TER the fewest edits."""
    _, ref, systems = _direction("fr-en", 4)
    hyps, other = systems[0], systems[1:]
    n = 120 if name == "ter" else len(ref)
    rng = random.Random(7)
    streams = [ref[:n],
               [s if rng.random() > 0.3 else None for s in other[0][:n]],
               [s if rng.random() > 0.5 else None for s in other[1][:n]]]
    # a segment whose only reference is in the last slot, one with an exact copy
    streams[0][3] = None
    streams[1][3] = None
    streams[2][3] = other[1][3]
    streams[1][5] = hyps[5]
    options = {k: v for k, v in sb_options.items() if not (name == "chrf++" and k == "word_order")}
    (ours,) = _ours(name, options, [hyps[:n]], streams)
    np.testing.assert_array_equal(ours, _sb_stats(sb_cls(**sb_options), hyps[:n], streams))


@needs_data
def test_scores_and_signatures_identical_through_score():
    """Corpus scores, sentence scores and signatures through mt_eval.score:
    the fast engine (with its worker pool) equals sacrebleu's own."""
    _, ref, systems = _direction("en-fr", 2)
    ref, systems = ref[:200], [s[:200] for s in systems]
    frame = {"references": [(r,) for r in ref]}
    for k, hyps in enumerate(systems):
        frame[f"hyp:sys{k}"] = hyps
    import pandas as pd
    corpus = mt_eval.Corpus(pd.DataFrame(frame))
    metrics = ["bleu", "chrf", "chrf++", "ter"]
    engine = FastEngine(workers=2)
    # small chunks so that the pool really runs several tasks
    from mt_eval.engine import local
    old = dict(local.SERIAL_BELOW), dict(local.CHUNK)
    local.SERIAL_BELOW.update({k: 0 for k in local.SERIAL_BELOW})
    local.CHUNK.update({k: 60 for k in local.CHUNK})
    try:
        fast = mt_eval.score(corpus, metrics, engine=engine)
    finally:
        engine.close()
        local.SERIAL_BELOW.update(old[0])
        local.CHUNK.update(old[1])
    slow = mt_eval.score(corpus, metrics, engine="sacrebleu")
    pd.testing.assert_frame_equal(fast.corpus, slow.corpus)
    pd.testing.assert_frame_equal(fast.segments, slow.segments)
    assert fast.sentence_signatures == slow.sentence_signatures
    # and against sacrebleu's public API
    for k, hyps in enumerate(systems):
        row = fast.corpus.set_index(["system", "metric"]).loc[(f"sys{k}", "chrF2++")]
        assert row.score == SbCHRF(word_order=2).corpus_score(hyps, [ref]).score
        row = fast.corpus.set_index(["system", "metric"]).loc[(f"sys{k}", "BLEU")]
        assert row.score == SbBLEU().corpus_score(hyps, [ref]).score


def test_chrf_f_score_matches_sacrebleu_bit_for_bit():
    rng = np.random.default_rng(3)
    rows = rng.integers(0, 6, size=(3000, 24))
    rows[:, 2::3] = np.minimum(rows[:, 2::3], rows[:, 0::3])  # matches <= hyp counts
    for beta, eps in [(2, False), (1, True), (0, False), (3, True)]:
        sb = SbCHRF(char_order=6, word_order=2, beta=beta, eps_smoothing=eps)
        expect = [sb._compute_f_score(r) for r in rows.tolist()]
        assert f_scores(rows, beta, eps).tolist() == expect


# -- generated text: odd characters, empty strings, repeats -------------------
_alphabet = st.sampled_from(list("ab cA.,!()'\"-:;?&<>") + ["é", "ß", "İ", "中", "文", "\u3001", "\uff0c",
                                                            "\t", "\u00a0", "\u2003", "😀", "1", "0"])
_text = st.lists(_alphabet, max_size=40).map("".join)
_refs = st.lists(st.lists(_text, min_size=1, max_size=3), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), refs=_refs)
def test_generated_text_identical(data, refs):
    hyps = [data.draw(_text) for _ in refs]
    width = max(len(r) for r in refs)
    streams = [[r[i] if i < len(r) else None for r in refs] for i in range(width)]
    checks = [
        ("bleu", {}, SbBLEU(), None), ("bleu", {"tokenize": "intl"}, SbBLEU(tokenize="intl"), None),
        ("bleu", {"tokenize": "zh", "lowercase": True}, SbBLEU(tokenize="zh", lowercase=True), None),
        ("chrf", {}, SbCHRF(), None), ("chrf++", {"whitespace": True}, SbCHRF(word_order=2, whitespace=True), None),
        ("chrf++", {"lowercase": True, "eps_smoothing": True},
         SbCHRF(word_order=2, lowercase=True, eps_smoothing=True), None),
        ("ter", {}, SbTER(), None), ("ter", {"normalized": True, "asian_support": True},
                                     SbTER(normalized=True, asian_support=True), None),
    ]
    for name, options, sb, _ in checks:
        (ours,) = _ours(name, options, [hyps], streams)
        np.testing.assert_array_equal(ours, _sb_stats(sb, hyps, streams), err_msg=f"{name} {options}")
