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
    got = stats._resample_sums(np.random.default_rng(12345), mats, n_samples)
    for g, want in zip(got, _direct(12345, mats, n_samples)):
        np.testing.assert_array_equal(g, want)


def test_the_generator_ends_where_one_draw_would_leave_it(monkeypatch):
    # callers may keep drawing from the generator (the stream must not fork)
    monkeypatch.setattr(stats, "_BLOCK_ELEMENTS", 2000)
    monkeypatch.setattr(stats, "_LANES", 2)
    rng = np.random.default_rng(3)
    stats._resample_sums(rng, [np.ones((401, 2))], 25)
    ref = np.random.default_rng(3)
    ref.choice(401, size=(25, 401), replace=True)
    assert rng.integers(1 << 30) == ref.integers(1 << 30)


def test_an_error_in_a_helper_lane_is_raised(monkeypatch):
    monkeypatch.setattr(stats, "_BLOCK_ELEMENTS", 1000)
    monkeypatch.setattr(stats, "_LANES", 2)
    calls = []
    real = stats._sum_blocks

    def failing(rng, mats, out, blocks, lane, lanes):
        calls.append(lane)
        if lane == 1:
            raise MemoryError("lane 1")
        real(rng, mats, out, blocks, lane, lanes)

    monkeypatch.setattr(stats, "_sum_blocks", failing)
    with pytest.raises(MemoryError, match="lane 1"):
        stats._resample_sums(np.random.default_rng(1), [np.ones((100, 2))], 50)
    assert sorted(calls) == [0, 1]
