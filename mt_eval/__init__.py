"""mt_eval: translation quality you can trust.

* :func:`score` — BLEU, chrF, chrF++, TER exactly as sacrebleu computes them,
  with confidence intervals and paired significance tests;
* :func:`load_corpus` / :func:`read_parallel` — every input format becomes one
  segment table (:class:`Corpus`).
"""
from __future__ import annotations

__version__ = "0.1.0"

from ._lazy import lazy_getattr

from .errors import DependencyError, InputError, MtEvalError, UsageError  # noqa: E402

# Public name -> module that defines it.  They are imported on first use
# (PEP 562): ``import mt_eval`` stays cheap and the command line, which
# imports only what a command needs, does not pay for pandas up front.
_LAZY = {
    "Corpus": ".corpus",
    "load_corpus": ".readers",
    "read_parallel": ".readers",
    "ScoreResult": ".scoring",
    "score": ".scoring",
    "check": ".detectors",
}


__getattr__ = lazy_getattr(__name__, globals(), _LAZY)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["Corpus", "score", "check", "ScoreResult", "load_corpus", "read_parallel",
           "MtEvalError", "InputError", "UsageError", "DependencyError", "__version__"]
