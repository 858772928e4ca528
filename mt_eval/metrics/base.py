"""One base for every metric: per-segment sufficient statistics, computed once,
then aggregated.

Corpus scores, sentence scores, bootstrap intervals and paired tests all come
from the same ``(n_segments, k)`` statistics matrix, so adding a system or a
resampling test never re-reads the text.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

References = Sequence[Sequence["str | None"]]  # sacrebleu's shape: streams of refs


@dataclass
class Score:
    """A corpus-level (or sentence-level) score and how it was computed."""
    metric: str
    value: float
    signature: str
    details: dict[str, Any] = field(default_factory=dict)

    def __float__(self) -> float:
        return float(self.value)


class Metric(ABC):
    """A metric over segment statistics.

    Subclasses define :attr:`name` (the display name, e.g. ``chrF2++``),
    whether higher is better, and the two halves of the computation.
    """

    name: str = ""
    higher_is_better: bool = True
    needs_reference: bool = True

    @abstractmethod
    def segment_statistics(self, hypotheses: Sequence[str],
                           references: References | None = None,
                           progress=None) -> np.ndarray:
        """``(n, k)`` statistics, one row per hypothesis.

        ``references`` are reference *streams* (one list per reference slot,
        ``None`` where a segment has fewer references); metrics that cache
        references (:meth:`prepare`) accept ``None`` here.  ``progress`` is
        called with the number of segments done since its last call.
        """

    def prepare(self, references: References) -> None:
        """Pre-compute reference information once for many systems."""

    def segment_statistics_many(self, hypotheses_by_system: Sequence[Sequence[str]],
                                progress=None) -> list[np.ndarray]:
        """:meth:`segment_statistics` of several systems (prepared references)."""
        return [self.segment_statistics(h, progress=progress) for h in hypotheses_by_system]

    @abstractmethod
    def aggregate(self, stats: np.ndarray) -> Score:
        """Corpus score from the statistics of the segments that count."""

    @abstractmethod
    def score_from_sums(self, sums):
        """The score of already-summed statistics (bootstrap resamples), as
        a number of whatever float type the metric's arithmetic yields."""

    def sentence_scores(self, stats: np.ndarray) -> np.ndarray:
        """One score per row of ``stats``."""
        return np.array([self.score_from_sums(row) for row in stats], dtype=float)

    @abstractmethod
    def signature(self, *, sentence_level: bool = False, **test_info) -> str:
        """A reproducibility signature; ``test_info`` adds resampling details."""

    def sentence_signature(self) -> str:
        return self.signature(sentence_level=True)
