"""One sort for every n-gram order (``mt_eval.engine.prefix``): its group
counts equal a brute-force count, and chrF/chrF++ statistics through it
equal sacrebleu's with several systems, several references and vocabularies
too large for its keys (the per-order fallback)."""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sacrebleu.metrics import CHRF as SbCHRF

from mt_eval.engine import compute, spec_of
from mt_eval.engine.ngrams import Sequences, char_sequences
from mt_eval.engine.prefix import prefix_groups, sides
from mt_eval.metrics import build_metric

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt14-newstest-fr-en"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/wmt14-newstest-fr-en")
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"WMT14 data not found at {DATA}")


@settings(max_examples=80, deadline=None)
@given(data=st.data(), n_segs=st.integers(1, 6), n_sys=st.integers(1, 3), max_order=st.integers(1, 5))
def test_group_counts_equal_brute_force(data, n_segs, n_sys, max_order):
    seq = st.lists(st.integers(1, 4), max_size=9)
    refs_per_seg = [data.draw(st.integers(1, 3)) for _ in range(n_segs)]
    ref_seg = np.repeat(np.arange(n_segs), refs_per_seg)
    ref_slot = np.concatenate([np.arange(k) for k in refs_per_seg])
    sequences = [data.draw(seq) for _ in range(len(ref_seg) + n_sys * n_segs)]
    seqs = Sequences(np.array([x for s in sequences for x in s], dtype=np.int64),
                     np.array([len(s) for s in sequences], dtype=np.int64), 4)
    seq_seg, seq_side, n_sides = sides(ref_seg, ref_slot, n_segs, n_sys)
    expect: dict[int, Counter] = {n: Counter() for n in range(1, max_order + 1)}
    for s, seg, side in zip(sequences, seq_seg.tolist(), seq_side.tolist()):
        for n in range(1, max_order + 1):
            for i in range(len(s) - n + 1):
                expect[n][(seg, tuple(s[i:i + n]), side)] += 1
    for n, group_seg, counts in prefix_groups(seqs, seq_seg, seq_side, n_sides, n_sys, max_order, n_segs):
        got: dict = {}
        for i, g in enumerate(group_seg.tolist()):
            for s, c in enumerate(counts):
                if c[i]:
                    got[(g, s)] = got.get((g, s), 0) + int(c[i])
        # groups listed: n-grams present on a hypothesis side and a reference side
        want: dict = {}
        by_gram: dict = {}
        for (seg, gram, side), c in expect[n].items():
            by_gram.setdefault((seg, gram), {})[side] = c
        for (seg, gram), per_side in by_gram.items():
            if any(s < n_sys for s in per_side) and any(s >= n_sys for s in per_side):
                for s, c in per_side.items():
                    want[(seg, s)] = want.get((seg, s), 0) + c
        assert got == want
        assert len(group_seg) == sum(1 for (seg, gram), per_side in by_gram.items()
                                     if any(s < n_sys for s in per_side) and any(s >= n_sys for s in per_side))


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:3003]


@needs_data
@pytest.mark.parametrize("word_order", [0, 2])
def test_three_systems_variable_references(word_order):
    d = DATA / "fr-en"
    ref = _lines(d / "newstest2014-fren-ref.en")[500:700]
    systems = [_lines(p)[500:700] for p in sorted((d / "systems").iterdir())[:5]]
    rng = random.Random(11)
    refs = [tuple([r] + [s[i] for s in systems[3:] if rng.random() < 0.5]) for i, r in enumerate(ref)]
    metric = build_metric("chrf", word_order=word_order)
    ours = compute(spec_of(metric), systems[:3], refs)
    width = max(map(len, refs))
    streams = [[r[j] if j < len(r) else None for r in refs] for j in range(width)]
    for hyps, got in zip(systems[:3], ours):
        sb = SbCHRF(word_order=word_order)
        np.testing.assert_array_equal(got, np.array(sb._extract_corpus_statistics(hyps, streams)))


def test_wide_keys_fall_back_to_one_sort_per_order():
    rng = random.Random(5)
    alphabet = [chr(0x4E00 + i) for i in range(3000)]  # 12 bits a character: 6-grams do not fit
    refs = ["".join(rng.choice(alphabet[:40] if k % 2 else alphabet) for _ in range(30)) for k in range(60)]
    hyps = [r[:10] + "".join(rng.choice(alphabet) for _ in range(8)) + r[18:] for r in refs]
    seqs = char_sequences(refs + hyps)
    seq_seg, seq_side, n_sides = sides(np.arange(60), np.zeros(60, dtype=np.int64), 60, 1)
    assert prefix_groups(seqs, seq_seg, seq_side, n_sides, 1, 6, 60) is None
    (ours,) = compute(spec_of(build_metric("chrf")), [hyps], [(r,) for r in refs])
    np.testing.assert_array_equal(ours, np.array(SbCHRF()._extract_corpus_statistics(hyps, [refs])))
