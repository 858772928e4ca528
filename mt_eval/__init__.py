"""mt_eval: translation quality you can trust.

* :func:`score` — BLEU, chrF, chrF++, TER exactly as sacrebleu computes them,
  with confidence intervals and paired significance tests;
* :func:`load_corpus` / :func:`read_parallel` — every input format becomes one
  segment table (:class:`Corpus`).
"""
from __future__ import annotations

__version__ = "0.1.0"

from .corpus import Corpus  # noqa: E402
from .errors import DependencyError, InputError, MtEvalError, UsageError  # noqa: E402
from .readers import load_corpus, read_parallel  # noqa: E402
from .scoring import ScoreResult, score  # noqa: E402
from .detectors import check  # noqa: E402

__all__ = ["Corpus", "score", "check", "ScoreResult", "load_corpus", "read_parallel",
           "MtEvalError", "InputError", "UsageError", "DependencyError", "__version__"]
