"""Bootstrap confidence intervals and paired significance tests.

They reproduce sacrebleu's procedures draw for draw (same seed, same random
stream, same 95% percentile rule, same p-value formula), but work on the
statistics matrix computed once per system and never build the
``(resamples, segments, k)`` tensor sacrebleu materialises: the draws become
per-segment counts summed with a matrix product.  A run draws them once
(:class:`Resamples`, one byte per resample and segment, up to 256 MB) for
all its systems and metrics; beyond that size they are drawn in blocks
and summed as they come, so memory stays flat in the corpus size.

Where sacrebleu sums resampled statistics in float32 (exact for integer
counts below 2**24), we sum exactly and then round to float32 before
scoring, so scores agree bit for bit whenever sacrebleu's own sums are
exact, and ours stay right when they are not.
"""
from __future__ import annotations

import copy
import os
import statistics as _statistics
import threading
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from .metrics.base import Metric

DEFAULT_SEED = 12345
# Draws per block.  1M (8 MB of indices, as much again of counts) measured
# fastest: 4M blocks cost more in page faults and cache misses than they
# save in per-block calls (1,000 resamples of 100k segments: 0.95 s vs 1.3 s).
_BLOCK_ELEMENTS = 1 << 20
# Threads summing resample blocks (see _streamed_sums): each replays every
# draw, so more than two add more draw time than they save in counting.
_LANES = min(2, os.cpu_count() or 1)
# Largest resample-count matrix (one byte per resample and segment) kept
# for sharing (Resamples): 1,000 resamples of 268k segments.
_COUNTS_BUDGET = 1 << 28


@dataclass
class Interval:
    """A bootstrap estimate: sacrebleu's ``μ ± ci`` plus the bounds."""
    mean: float
    halfwidth: float
    low: float
    high: float
    n: int
    seed: int | None

    def as_dict(self) -> dict:
        return {"bs_mean": self.mean, "ci_halfwidth": self.halfwidth,
                "ci_low": self.low, "ci_high": self.high}


@dataclass
class PairedResult:
    """A system compared with the baseline on one metric."""
    test: str            # "bs" or "ar"
    p_value: float
    n: int
    seed: int | None
    interval: Interval | None  # bootstrap interval of the system (bs only)


def _block_rows(n_rows: int, n_cols: int, multiple: int = 1) -> Iterator[int]:
    per_block = max(multiple, (_BLOCK_ELEMENTS // max(n_cols, 1)) // multiple * multiple)
    done = 0
    while done < n_rows:
        rows = min(per_block, n_rows - done)
        yield rows
        done += rows


def _streamed_sums(rng: np.random.Generator, stats_list: list[np.ndarray], n_samples: int) -> list[np.ndarray]:
    """Sums of ``n_samples`` bootstrap resamples of each statistics matrix,
    drawn with ``rng.choice(n, size=(n_samples, n))`` exactly as sacrebleu
    does (block by block gives the same stream), shared across matrices,
    without keeping the draws: memory stays flat in the corpus size.

    The draws are one sequential stream, but counting and summing (two
    thirds of the work) are not: each of ``_LANES`` threads replays the
    whole stream from a copy of ``rng`` and sums every ``_LANES``-th block.
    numpy releases the GIL in the draws, ``bincount`` and the product, so
    the lanes run on separate cores."""
    n = len(stats_list[0])
    out = [np.empty((n_samples, s.shape[1]), dtype=np.float64) for s in stats_list]
    mats = [s.astype(np.float64) for s in stats_list]

    def lane_work(lane: int):
        scratch: list[np.ndarray] = []

        def work(row: int, idx: np.ndarray) -> None:
            rows = len(idx)
            if not scratch or len(scratch[0]) != rows:
                scratch[:] = [np.empty((rows, n), dtype=np.float64)]
            _count_rows(idx, n, scratch[0])
            for o, m in zip(out, mats):
                np.matmul(scratch[0], m, out=o[row:row + rows])
        return work

    _replay(rng, n, list(_block_rows(n_samples, n)), _LANES, lane_work)
    return out


def _count_rows(idx: np.ndarray, n: int, out: np.ndarray) -> None:
    """``out[r, i]``: how often segment ``i`` is drawn in resample ``r`` of
    the block; one bincount per resample keeps the counted array cache-sized.
    A count that does not fit ``out``'s integer type raises OverflowError."""
    limit = np.iinfo(out.dtype).max if out.dtype.kind == "u" else None
    for r in range(len(idx)):
        c = np.bincount(idx[r], minlength=n)
        if limit is not None and c.max() > limit:
            raise OverflowError("a segment drawn more often than the count type holds")
        out[r] = c


def _replay(rng: np.random.Generator, n: int, blocks: list[int], lanes: int,
            lane_work: Callable[[int], Callable[[int, np.ndarray], None]]) -> None:
    """Draw ``blocks`` of resamples (rows) from ``rng`` as one
    ``rng.choice(n, size=(sum(blocks), n))``; lane ``k`` of ``lanes``
    threads (each replaying the whole stream from a copy of ``rng``) hands
    every ``lanes``-th block to ``lane_work(k)(first_row, draws)``.  The
    calling thread is lane 0, so ``rng`` ends where one draw leaves it."""
    lanes = max(1, min(lanes, len(blocks)))
    helpers = [_Thread(_draw_blocks, copy.deepcopy(rng), n, blocks, k, lanes, lane_work(k))
               for k in range(1, lanes)]
    for h in helpers:
        h.start()
    try:
        _draw_blocks(rng, n, blocks, 0, lanes, lane_work(0))
    finally:
        for h in helpers:
            h.join()
    for h in helpers:
        if h.error is not None:
            raise h.error


def _draw_blocks(rng: np.random.Generator, n: int, blocks: list[int], lane: int, lanes: int,
                 work: Callable[[int, np.ndarray], None]) -> None:
    row = 0
    for b, rows in enumerate(blocks):
        idx = rng.choice(n, size=(rows, n), replace=True)
        if b % lanes == lane:
            work(row, idx)
        row += rows


class _Thread(threading.Thread):
    """Runs ``fn(*args)``; what it raises is kept in ``error`` for the thread
    that joins it to raise."""

    def __init__(self, fn, *args):
        super().__init__(daemon=True)
        self.fn, self.args, self.error = fn, args, None

    def run(self) -> None:
        try:
            self.fn(*self.args)
        except BaseException as exc:  # re-raised in the joining thread
            self.error = exc


class Resamples:
    """The bootstrap resamples of a corpus of ``n`` segments, drawn as
    sacrebleu draws them (``default_rng(seed).choice(n, size=(n_samples,
    n))``) and kept as counts: ``counts()[r, i]`` is how often segment ``i``
    is drawn in resample ``r`` (one byte each).

    They depend only on ``n``, ``n_samples`` and the seed, so every system
    and metric of a run can share one set instead of replaying the draws
    for each, and :meth:`start` can draw them in a background thread while
    the statistics are being computed.  Without a seed (fresh entropy for
    every interval, as sacrebleu), above ``_COUNTS_BUDGET`` bytes, or when a
    count overflows a byte, :meth:`sums` draws as :func:`_streamed_sums`.
    """

    def __init__(self, n: int, n_samples: int = 1000, seed: int | None = DEFAULT_SEED):
        self.n, self.n_samples, self.seed = int(n), int(n_samples), seed
        self._counts: np.ndarray | None = None
        self._thread: _Thread | None = None
        self._storable = seed is not None and 0 < self.n * self.n_samples <= _COUNTS_BUDGET

    def serves(self, n: int, n_samples: int, seed: int | None) -> bool:
        return (self.n, self.n_samples, self.seed) == (n, n_samples, seed)

    def start(self) -> None:
        """Draw and count in a background thread (one lane: the caller's
        cores are expected to be busy)."""
        if self._storable and self._counts is None and self._thread is None:
            self._thread = _Thread(self._fill, 1)
            self._thread.start()

    def _fill(self, lanes: int) -> None:
        counts = np.empty((self.n_samples, self.n), dtype=np.uint8)

        def lane_work(lane: int):
            return lambda row, idx: _count_rows(idx, self.n, counts[row:row + len(idx)])
        try:
            _replay(np.random.default_rng(self.seed), self.n, list(_block_rows(self.n_samples, self.n)),
                    lanes, lane_work)
        except OverflowError:
            self._storable = False
            return
        self._counts = counts

    def counts(self) -> np.ndarray | None:
        """The count matrix (drawn now if :meth:`start` was not called), or
        ``None`` when it is not kept."""
        if self._thread is not None:
            thread, self._thread = self._thread, None
            thread.join()
            if thread.error is not None:
                raise thread.error
        if self._counts is None and self._storable:
            self._fill(_LANES)
        return self._counts

    def sums(self, stats_list: list[np.ndarray]) -> list[np.ndarray]:
        """Per statistics matrix, the ``(n_samples, k)`` column sums of
        every resample."""
        counts = self.counts()
        if counts is None:
            return _streamed_sums(np.random.default_rng(self.seed), stats_list, self.n_samples)
        mats = [s.astype(np.float64) for s in stats_list]
        out = [np.empty((self.n_samples, m.shape[1]), dtype=np.float64) for m in mats]
        row = 0
        for rows in _block_rows(self.n_samples, self.n):
            block = counts[row:row + rows].astype(np.float64)
            for o, m in zip(out, mats):
                np.matmul(block, m, out=o[row:row + rows])
            row += rows
        return out


def _resample_sums(stats_list: list[np.ndarray], n_samples: int, seed: int | None,
                   resamples: Resamples | None) -> list[np.ndarray]:
    if resamples is not None and resamples.serves(len(stats_list[0]), n_samples, seed):
        return resamples.sums(stats_list)
    return _streamed_sums(np.random.default_rng(seed), stats_list, n_samples)


def _raw_scores(metric: Metric, sums: np.ndarray) -> list:
    # float32 rows, as sacrebleu scores its resamples; the scores keep the
    # type sacrebleu's arithmetic gives them (float32 for chrF, float for
    # BLEU) because the interval arithmetic below depends on it.
    return [metric.score_from_sums(r) for r in sums.astype(np.float32)]


def _interval(raw: list, seed: int | None) -> Interval:
    """sacrebleu's ``Score.estimate_ci``: 1/40 from each end, exact mean."""
    if any(type(x) is float for x in raw) and any(type(x) is np.float32 for x in raw):
        # chrF scores a resample with no match as the float 0.0 and any other
        # as a float32, and statistics.mean cannot mix them (sacrebleu 2.6
        # raises TypeError): a float32 zero is the same zero, and the mean of
        # all-float32 scores is what sacrebleu's arithmetic gives otherwise.
        raw = [np.float32(x) for x in raw]
    ordered = sorted(raw)
    n = len(ordered)
    lower_idx = n // 40
    low, high = ordered[lower_idx], ordered[n - lower_idx - 1]
    return Interval(float(_statistics.mean(ordered)), float(0.5 * (high - low)),
                    float(low), float(high), n, seed)


def _np_interval(scores: np.ndarray, seed: int | None) -> Interval:
    """sacrebleu's ``significance.estimate_ci`` (used by the paired tests):
    the same bounds, but numpy's mean in the array's own precision."""
    ordered = np.sort(scores)
    n = len(ordered)
    lower_idx = n // 40
    low, high = ordered[lower_idx], ordered[n - lower_idx - 1]
    return Interval(float(ordered.mean()), float(0.5 * (high - low)), float(low), float(high), n, seed)


def bootstrap_interval(metric: Metric, stats: np.ndarray, n_samples: int = 1000,
                       seed: int | None = DEFAULT_SEED, paired_style: bool = False,
                       resamples: Resamples | None = None) -> Interval:
    """95% bootstrap interval of one system's corpus score (``--confidence``).

    ``paired_style`` gives the baseline's interval as sacrebleu's paired
    bootstrap reports it (numpy mean instead of the exact mean).
    ``resamples``: the run's shared :class:`Resamples` (used when it is for
    this corpus size, resample count and seed)."""
    (sums,) = _resample_sums([stats], n_samples, seed, resamples)
    raw = _raw_scores(metric, sums)
    return _np_interval(np.array(raw), seed) if paired_style else _interval(raw, seed)


def paired_bootstrap(metric: Metric, baseline: np.ndarray, system: np.ndarray,
                     n_samples: int = 1000, seed: int | None = DEFAULT_SEED,
                     resamples: Resamples | None = None) -> PairedResult:
    """Paired bootstrap resampling (Koehn 2004), as ``sacrebleu --paired-bs``."""
    _check_paired(baseline, system)
    bl_sums, sys_sums = _resample_sums([baseline, system], n_samples, seed, resamples)
    scores_bl = np.array(_raw_scores(metric, bl_sums))
    scores_sys = np.array(_raw_scores(metric, sys_sums))
    diff = abs(metric.aggregate(baseline).value - metric.aggregate(system).value)
    sample_diffs = np.abs(scores_sys - scores_bl)
    centred = sample_diffs - sample_diffs.mean()
    return PairedResult("bs", _p_value(centred, diff), n_samples, seed, _np_interval(scores_sys, seed))


def approximate_randomization(metric: Metric, baseline: np.ndarray, system: np.ndarray,
                              n_samples: int = 10000, seed: int | None = DEFAULT_SEED) -> PairedResult:
    """Paired approximate randomization (Riezler & Maxwell 2005), as
    ``sacrebleu --paired-ar``: each trial swaps a random half of the segment
    pairs between the two systems."""
    _check_paired(baseline, system)
    rng = np.random.default_rng(seed)
    n = len(baseline)
    diff = abs(metric.aggregate(baseline).value - metric.aggregate(system).value)
    # float64 keeps the products on BLAS; whole-number sums stay exact.
    bl, sy = baseline.astype(np.float64), system.astype(np.float64)
    # With whole-number statistics (all but multi-reference TER) the sums
    # are exact, so the second pseudo-system is the total minus the first.
    integral = bool(np.array_equal(bl, np.round(bl)) and np.array_equal(sy, np.round(sy)))
    totals = bl.sum(axis=0) + sy.sum(axis=0)
    deltas = []
    # Boolean draws come from 32-bit words: blocks of 32 rows keep the
    # stream identical to one big draw whatever the corpus size.
    for rows in _block_rows(n_samples, n, multiple=32):
        pos = rng.integers(2, size=(rows, n), dtype=bool)
        sel, neg = pos.astype(np.float64), (~pos).astype(np.float64)
        shuf_a = sel @ bl + neg @ sy
        shuf_b = totals - shuf_a if integral else neg @ bl + sel @ sy
        a = np.array([metric.score_from_sums(r) for r in shuf_a])
        b = np.array([metric.score_from_sums(r) for r in shuf_b])
        deltas.append(np.abs(a - b))
    return PairedResult("ar", _p_value(np.concatenate(deltas), diff), n_samples, seed, None)


def _p_value(samples: np.ndarray, observed: float) -> float:
    # +1 smoothing as in multeval / sacrebleu: a zero difference is never
    # attributed to chance and the test never rejects too often.
    return (int(np.sum(samples > observed)) + 1) / (len(samples) + 1)


def _check_paired(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f"paired test needs the same segments: {a.shape} vs {b.shape}")


PAIRED_TESTS: dict[str, Callable[..., PairedResult]] = {
    "bs": paired_bootstrap,
    "ar": approximate_randomization,
}
