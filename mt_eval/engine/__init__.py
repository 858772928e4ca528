"""Statistics engines: who computes the per-segment statistics.

Every engine yields exactly sacrebleu's statistics, so scores, signatures,
confidence intervals and paired tests do not depend on the choice:

* ``fast`` (default): our own vectorised counting (chrF, BLEU) and edit
  distance (TER), in chunks on every core, with the on-disk cache;
* ``sacrebleu``: sacrebleu's own code, in one process (the reference);
* ``dask``: the fast engine's chunks spread over a Dask cluster
  (``scheduler`` address, or a local cluster); needs ``mt_eval[dask]``.
"""
from __future__ import annotations

from ..errors import UsageError
from .cache import StatsCache, default_dir, enabled_by_default
from .local import FastEngine
from .spec import Spec, compute, spec_of

ENGINES = ("fast", "sacrebleu", "dask")
DEFAULT_ENGINE = "fast"


def make_engine(name: str = DEFAULT_ENGINE, *, workers: int | None = None, scheduler: str | None = None,
                cache: bool | str | None = None):
    """An engine by name, or ``None`` for sacrebleu's own code.

    ``cache``: ``True``/``None`` use the default cache (unless
    ``MT_EVAL_CACHE=0``), ``False`` none, a string is a cache directory.
    """
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    if scheduler is not None and name != "dask":
        raise UsageError("--scheduler is only used with --engine dask")
    if name == "sacrebleu":
        return None
    if cache is None:
        cache = enabled_by_default()
    store = StatsCache(cache if isinstance(cache, str) else None) if cache else None
    if name == "dask":
        from .dask_backend import DaskEngine
        return DaskEngine(scheduler=scheduler, workers=workers, cache=store)
    return FastEngine(workers=workers, cache=store)


__all__ = ["ENGINES", "DEFAULT_ENGINE", "make_engine", "FastEngine", "StatsCache", "Spec",
           "compute", "spec_of", "default_dir"]
