"""The resample sums behind every bootstrap interval and paired bootstrap
test equal sacrebleu's definition (one ``rng.choice(n, size=(n_samples,
n))`` draw, then the statistics of the drawn rows summed), however the draws
are cut into blocks and whichever thread sums a block."""
import numpy as np
import pytest

from mt_eval import stats


def _direct(seed, mats, n_samples):
    idx = np.random.default_rng(seed).choice(len(mats[0]), size=(n_samples, len(mats[0])), replace=True)
    return [m[idx].sum(axis=1).astype(np.float64) for m in mats]


@pytest.mark.parametrize("n,n_samples,block,lanes", [
    (997, 61, 997 * 4, 2),     # odd n: the stream's 32-bit halves cross block ends
    (1000, 64, 1000 * 7, 2),   # last block shorter than the others
    (500, 40, 500 * 3, 3),     # more lanes than the default
    (300, 10, 1 << 20, 2),     # a single block: no helper thread
])
def test_blocks_and_lanes_give_the_direct_sums(monkeypatch, n, n_samples, block, lanes):
    monkeypatch.setattr(stats, "_BLOCK_ELEMENTS", block)
    monkeypatch.setattr(stats, "_LANES", lanes)
    gen = np.random.default_rng(7)
    mats = [gen.integers(0, 40, (n, 10)), gen.integers(0, 9, (n, 3))]
    got = stats._streamed_sums(np.random.default_rng(12345), mats, n_samples)
    for g, want in zip(got, _direct(12345, mats, n_samples)):
        np.testing.assert_array_equal(g, want)


def test_the_generator_ends_where_one_draw_would_leave_it(monkeypatch):
    # callers may keep drawing from the generator (the stream must not fork)
    monkeypatch.setattr(stats, "_BLOCK_ELEMENTS", 2000)
    monkeypatch.setattr(stats, "_LANES", 2)
    rng = np.random.default_rng(3)
    stats._streamed_sums(rng, [np.ones((401, 2))], 25)
    ref = np.random.default_rng(3)
    ref.choice(401, size=(25, 401), replace=True)
    assert rng.integers(1 << 30) == ref.integers(1 << 30)


def test_an_error_in_a_helper_lane_is_raised(monkeypatch):
    monkeypatch.setattr(stats, "_BLOCK_ELEMENTS", 1000)
    monkeypatch.setattr(stats, "_LANES", 2)
    calls = []
    real = stats._draw_blocks

    def failing(rng, n, blocks, lane, lanes, work):
        calls.append(lane)
        if lane == 1:
            raise MemoryError("lane 1")
        real(rng, n, blocks, lane, lanes, work)

    monkeypatch.setattr(stats, "_draw_blocks", failing)
    with pytest.raises(MemoryError, match="lane 1"):
        stats._streamed_sums(np.random.default_rng(1), [np.ones((100, 2))], 50)
    assert sorted(calls) == [0, 1]


# -- shared resamples (counts kept once for every system and metric) -----
@pytest.mark.parametrize("background", [False, True])
@pytest.mark.parametrize("n,n_samples,block", [(997, 61, 997 * 4), (1000, 64, 1000 * 7), (300, 10, 1 << 20)])
def test_shared_resamples_give_the_direct_sums(monkeypatch, background, n, n_samples, block):
    monkeypatch.setattr(stats, "_BLOCK_ELEMENTS", block)
    gen = np.random.default_rng(7)
    mats = [gen.integers(0, 40, (n, 10)), gen.integers(0, 9, (n, 3))]
    shared = stats.Resamples(n, n_samples, 12345)
    if background:
        shared.start()
    assert shared.counts() is not None and shared.counts().dtype == np.uint8
    for _ in range(2):  # a second system reuses the counts
        got = shared.sums(mats)
        for g, want in zip(got, _direct(12345, mats, n_samples)):
            np.testing.assert_array_equal(g, want)


def test_a_count_over_a_byte_falls_back_to_streamed_draws(monkeypatch):
    # a segment drawn 256 times in one resample does not fit the byte
    with pytest.raises(OverflowError):
        stats._count_rows(np.zeros((1, 300), dtype=np.int64), 3, np.empty((1, 3), dtype=np.uint8))
    # (so rare in real corpora that a draw has to be forced to show the fallback)
    def overflowing(idx, n, out):
        raise OverflowError("forced")
    monkeypatch.setattr(stats, "_count_rows", overflowing)
    shared = stats.Resamples(2, 5, 1)
    assert shared.counts() is None
    monkeypatch.undo()
    mats = [np.array([[1, 2], [3, 4]])]
    np.testing.assert_array_equal(shared.sums(mats)[0], _direct(1, mats, 5)[0])


def test_resamples_are_not_shared_without_a_seed():
    # sacrebleu draws fresh entropy for every interval when the seed is none
    assert stats.Resamples(100, 10, None).counts() is None


def test_resamples_serve_only_their_own_corpus_size_count_and_seed():
    shared = stats.Resamples(50, 20, 3)
    mats = [np.arange(100).reshape(50, 2)]
    for n_samples, seed in ((20, 4), (21, 3)):
        got = stats._resample_sums(mats, n_samples, seed, shared)
        np.testing.assert_array_equal(got[0], _direct(seed, mats, n_samples)[0])


def test_an_error_in_the_background_draw_is_raised_by_counts(monkeypatch):
    def failing(*args):
        raise MemoryError("no room")
    monkeypatch.setattr(stats, "_replay", failing)
    shared = stats.Resamples(100, 10, 1)
    shared.start()
    with pytest.raises(MemoryError, match="no room"):
        shared.counts()


def test_the_engine_starts_background_work_only_once_its_workers_exist():
    from mt_eval.engine.local import FastEngine
    from mt_eval.metrics import build_metric
    calls = []
    refs = [f"the reference sentence number {i} ." for i in range(60)]
    hyps = [f"a hypothesis sentence number {i} ." for i in range(60)]
    with FastEngine(workers=2, cache=None) as eng:      # 60 segments: computed without workers
        eng.when_started(lambda: calls.append("small"))
        m = build_metric("bleu")
        m.engine = eng
        m.prepare([refs])
        m.segment_statistics_many([hyps])
        assert calls == []
    with FastEngine(workers=2, cache=None) as eng:      # 6,000 segments: forks its workers
        eng.when_started(lambda: calls.append("large"))
        m = build_metric("bleu")
        m.engine = eng
        m.prepare([refs * 100])
        m.segment_statistics_many([hyps * 100])
        assert calls == ["large"]
