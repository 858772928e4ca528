"""What "statistics" are for a neural metric, and the shared options.

A neural segment score is not a count that sums across segments, so the
statistics of a segment are its scores plus a 1: ``(s_1, …, s_k, 1)``.
Summing any subset of rows (a bootstrap resample, an approximate-
randomization shuffle) and dividing by the last column gives that subset's
mean, so the corpus score is the mean segment score and every resampling
test of :mod:`mt_eval.stats` works on these metrics unchanged.
"""
from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from ... import __version__
from ...errors import UsageError
from ..base import Metric, References, Score
from .encoder import Encoder

SCALE = 100.0  # scores are reported on 0-100, as sacrebleu does


class MeanOfSegments(Metric):
    """Corpus score = mean of segment scores (x100); see the module doc."""

    columns: tuple[str, ...] = ("score",)
    main: int = 0

    def aggregate(self, stats: np.ndarray) -> Score:
        if len(stats) == 0:
            raise UsageError(f"{self.name}: no segments to score")
        sums = stats.astype(np.float64).sum(axis=0)
        details = {c: float(sums[i] / sums[-1] * SCALE) for i, c in enumerate(self.columns)}
        return Score(self.name, self.score_from_sums(sums), self.signature(), details)

    def score_from_sums(self, sums) -> float:
        count = float(sums[-1])
        if count <= 0:
            return float("nan")
        return float(sums[self.main]) / count * SCALE

    def sentence_scores(self, stats: np.ndarray) -> np.ndarray:
        return stats[:, self.main].astype(np.float64) * SCALE


class NeuralMetric(MeanOfSegments):
    """Options every encoder-based metric shares (``--model``, ``--device``…)."""

    def __init__(self, *, model: str | os.PathLike | None = None, device: str | None = "auto",
                 batch_size: int = 64, lowercase: bool = False, cache: bool = True,
                 cache_dir: str | os.PathLike | None = None, show_progress: bool | None = None,
                 layer: int | None = None, dtype: str = "fp32", prompt: str | None = None):
        self.encoder = Encoder(model, device=device, batch_size=batch_size, lowercase=lowercase,
                               cache=cache, cache_dir=cache_dir, show_progress=show_progress,
                               dtype=dtype, prompt=prompt if prompt is not None else self.default_prompt())
        self.layer = self.encoder.layer_index(layer if layer is not None else self.default_layer())
        self.num_refs: int | None = None
        self._refs: list | None = None   # per segment, what prepare() made of its references

    def default_layer(self) -> int | None:
        return None

    def default_prompt(self) -> str | None:
        return None  # the model's own

    @staticmethod
    def _ref_rows(references: References) -> list[list[str]]:
        """Per segment, its references (streams -> rows, ``None`` dropped)."""
        streams = [list(s) for s in references]
        if not streams:
            raise UsageError("no references given")
        n = len(streams[0])
        if any(len(s) != n for s in streams):
            raise UsageError("reference streams differ in length")
        rows = [[s[i] for s in streams if s[i] is not None] for i in range(n)]
        return rows

    def _signature_fields(self) -> list[tuple[str, str, Any]]:
        """(long key, short key, value), sacrebleu-style, after nrefs and test info."""
        m = self.encoder.model
        prompt = [("prompt", "pr", self.encoder.prompt)] if m.prompts else []
        return [("model", "m", m.tag), *prompt, ("layer", "l", self.layer),
                ("lc", "lc", "yes" if self.encoder.lowercase else "no"),
                ("dtype", "dt", self.encoder.dtype), ("batch", "b", self.encoder.batch_size), ("version", "v", __version__)]

    def signature(self, *, sentence_level: bool = False, short: bool = False, **test_info) -> str:
        fields: list[tuple[str, str, Any]] = []
        if self.needs_reference:
            fields.append(("nrefs", "#", self.num_refs if self.num_refs is not None else "?"))
        names = {"bs": "bs", "ar": "ar", "seed": "rs"}
        for k, v in test_info.items():
            if v is not None:
                fields.append((k, names.get(k, k), v))
        fields += self._signature_fields()
        return "|".join(f"{s if short else k}:{v}" for k, s, v in fields)

    def _hypotheses(self, hypotheses: Sequence[str], references: References | None) -> list[str]:
        """The hypotheses as a list, once the references are prepared (from
        ``references`` when given) and there is one row of them per
        hypothesis."""
        if references is not None:
            self.prepare(references)
        if self._refs is None:
            raise UsageError(f"{self.name}: no references given")
        hyps = list(hypotheses)
        if len(hyps) != len(self._refs):
            raise UsageError(f"{self.name}: {len(hyps)} hypotheses for {len(self._refs)} references")
        return hyps
