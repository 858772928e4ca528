"""What a worker needs to compute a metric's statistics, as plain data.

A :class:`Spec` names the metric kind and the options that change its
per-segment statistics.  It is small and picklable, so worker processes and
Dask workers rebuild the metric from it (``sacrebleu`` tokenizers included)
instead of receiving live objects, and its :meth:`Spec.cache_key` keys the
on-disk statistics cache.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

# Bump when the meaning or layout of cached statistics changes.
FORMAT_VERSION = 1

# Options that change per-segment statistics (the rest only change how the
# sums are turned into a score, e.g. BLEU smoothing).
_STAT_OPTIONS = {
    "bleu": ("tokenize", "lowercase", "max_ngram_order", "trg_lang", "spm_model"),
    # beta and eps_smoothing decide which reference wins with several.
    "chrf": ("char_order", "word_order", "beta", "lowercase", "whitespace", "eps_smoothing"),
    "ter": ("normalized", "no_punct", "asian_support", "case_sensitive"),
}


@dataclass(frozen=True)
class Spec:
    kind: str                    # "bleu", "chrf" or "ter"
    options: tuple               # sorted (name, value) pairs

    @property
    def opts(self) -> dict[str, Any]:
        return dict(self.options)

    @property
    def dtype(self):
        # TER's second statistic is an average reference length (a float).
        return np.float64 if self.kind == "ter" else np.int64

    def cache_key(self) -> str:
        import sacrebleu
        opts = self.opts
        if opts.get("spm_model"):
            # The model file's content, not its path, decides the tokens.
            opts["spm_model"] = _file_digest(opts["spm_model"])
        blob = json.dumps([FORMAT_VERSION, sacrebleu.__version__, self.kind, opts], sort_keys=True)
        return hashlib.blake2b(blob.encode(), digest_size=12).hexdigest()


def _file_digest(path: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def spec_of(metric) -> Spec | None:
    """The spec of one of our sacrebleu-backed metrics, or ``None`` when the
    fast engine does not cover it (it then falls back to sacrebleu)."""
    from ..metrics.sacre import BLEU, CHRF, TER
    kind = {BLEU: "bleu", CHRF: "chrf", TER: "ter"}.get(type(metric))
    if kind is None:
        return None
    opts = {k: metric.options.get(k) for k in _STAT_OPTIONS[kind] if k in metric.options}
    return Spec(kind, tuple(sorted(opts.items())))


@functools.lru_cache(maxsize=16)
def _metric(spec: Spec):
    """The sacrebleu metric object for ``spec`` (one per process)."""
    from ..metrics import sacre
    cls = {"bleu": sacre.BLEU, "chrf": sacre.CHRF, "ter": sacre.TER}[spec.kind]
    return cls(**spec.opts).sb


def compute(spec: Spec, hyps_by_system: Sequence[Sequence[str]],
            refs: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """Statistics of every system on one chunk: ``refs[i]`` are the
    references of segment ``i`` (``None`` slots already removed)."""
    if spec.kind == "chrf":
        from .chrf import chrf_statistics
        return chrf_statistics(hyps_by_system, refs, **spec.opts)
    sb = _metric(spec)
    if spec.kind == "bleu":
        from .bleu import bleu_statistics
        from .tok13a import supports
        return bleu_statistics(hyps_by_system, refs, preprocess=sb._preprocess_segment,
                               tokenize_13a=supports(sb.tokenizer), lowercase=sb.lowercase,
                               max_ngram_order=sb.max_ngram_order)
    from .ter import ter_statistics
    return ter_statistics(hyps_by_system, refs, preprocess=sb._preprocess_segment)
