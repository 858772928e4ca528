"""Metrics by name.

``build_metric("chrf++", word_order=...)`` and friends; every metric is a
:class:`~mt_eval.metrics.base.Metric`.  String metrics (BLEU, chrF, chrF++,
TER) are sacrebleu-exact; other metrics register a factory here and are
imported only when asked for, so the core stays light.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

from ..errors import UsageError
from .base import Metric, Score
from .sacre import BLEU, CHRF, TER

_Factory = Callable[..., Metric]

# name -> (factory or "module:attr" for lazy import, fixed keyword arguments)
REGISTRY: dict[str, tuple[Any, dict[str, Any]]] = {
    "bleu": (BLEU, {}),
    "spbleu": (BLEU, {"tokenize": "flores200"}),
    "chrf": (CHRF, {}),
    "chrf++": (CHRF, {"word_order": 2}),
    "ter": (TER, {}),
    # neural metrics: the ``neural`` extra, imported only when asked for
    "bertscore": ("mt_eval.metrics.neural.bertscore:BERTScore", {}),
    "bertscore-p": ("mt_eval.metrics.neural.bertscore:BERTScoreP", {}),
    "sentsim": ("mt_eval.metrics.neural.sentsim:SentSim", {}),
}

# Which option group of the CLI / API feeds which metric.
OPTION_GROUP = {"bleu": "bleu", "spbleu": "bleu", "chrf": "chrf", "chrf++": "chrf", "ter": "ter",
                "bertscore": "neural", "bertscore-p": "neural", "sentsim": "neural"}


def register(name: str, factory: Any, option_group: str | None = None, **fixed) -> None:
    """Add a metric; ``factory`` may be a ``"module:attr"`` string imported on use."""
    REGISTRY[name.lower()] = (factory, fixed)
    OPTION_GROUP[name.lower()] = option_group or name.lower()


def available() -> list[str]:
    return list(REGISTRY)


def build_metric(name: str, **options) -> Metric:
    key = name.lower()
    if key not in REGISTRY:
        raise UsageError(f"unknown metric {name!r}; available: {', '.join(REGISTRY)}")
    factory, fixed = REGISTRY[key]
    if isinstance(factory, str):
        module, _, attr = factory.partition(":")
        factory = getattr(importlib.import_module(module), attr)
    merged = {**options, **fixed}
    try:
        return factory(**merged)
    except TypeError as exc:
        raise UsageError(f"metric {name!r}: {exc}") from None


__all__ = ["Metric", "Score", "BLEU", "CHRF", "TER", "build_metric", "register", "available"]
