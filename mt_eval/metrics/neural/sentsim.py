"""Sentence-embedding similarity: cosine of pooled sentence vectors.

The pooled vector is the model's own sentence representation (mean over
tokens for e5 and MiniLM, as they were trained).  With several references
the most similar one counts.  An empty hypothesis scores 0: it says nothing,
whatever vector the special tokens alone produce.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..base import References
from .base import NeuralMetric


class SentSim(NeuralMetric):
    columns = ("cosine",)

    def __init__(self, *, idf: bool | None = None, score: str | None = None, **options):
        # ``idf`` and ``score`` are BERTScore's; accepted so that one option set serves both.
        super().__init__(**options)
        self.name = "SentSim" if self.encoder.model.name == "e5-small" else f"SentSim[{self.encoder.model.name}]"
        self._refs: list[np.ndarray] | None = None

    def prepare(self, references: References) -> None:
        rows = self._ref_rows(references)
        self.num_refs = len(list(references))
        flat = [r for row in rows for r in row]
        vecs = self.encoder.sentence_vectors(flat, self.layer)
        out, at = [], 0
        for row in rows:
            out.append(vecs[at:at + len(row)])
            at += len(row)
        self._refs = out

    def segment_statistics(self, hypotheses: Sequence[str], references: References | None = None,
                           progress=None) -> np.ndarray:
        hyps = self._hypotheses(hypotheses, references)
        hv = self.encoder.sentence_vectors(hyps, self.layer)
        stats = np.zeros((len(hyps), 2), dtype=np.float64)
        stats[:, 1] = 1.0
        for i, (h, refs) in enumerate(zip(hv, self._refs)):
            if hyps[i].strip() and len(refs):
                stats[i, 0] = float(np.max(refs @ h))
        if progress:
            progress(len(hyps))
        return stats

    def _signature_fields(self):
        fields = super()._signature_fields()
        at = [k for k, _, _ in fields].index("layer") + 1
        fields.insert(at, ("pool", "p", self.encoder.model.pooling))
        return fields
