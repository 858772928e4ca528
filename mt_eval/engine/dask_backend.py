"""The fast engine on a Dask cluster (``--engine dask --scheduler ADDRESS``).

The corpus is partitioned into chunks of segments; each Dask task computes
the statistics of one chunk for every system (the same pure function the
local engine runs), and the client concatenates the per-segment rows in
order, from which corpus scores (sums of the rows), sentence scores and
resampling tests follow exactly as locally.  Without an address a
``LocalCluster`` with one single-threaded worker process per core is
started and stopped with the engine.

Workers need ``mt_eval`` and the same sacrebleu version as the client (the
statistics cache key includes sacrebleu's version; the signature shows it).
"""
from __future__ import annotations

import os
import sys
from typing import Iterator

import numpy as np

from ..errors import DependencyError, UsageError
from .cache import StatsCache
from .local import FastEngine, _task
from .spec import Spec

# Segments per Dask task: larger than locally, scheduling costs ~1 ms a task.
DASK_CHUNK = {"chrf": 5000, "bleu": 10000, "ter": 1000}


_GUARD = ("in a script, call mt_eval under `if __name__ == \"__main__\":`, because the cluster's "
          "workers start by importing the script again (or pass scheduler=ADDRESS)")


def _refuse_inside_a_spawned_worker() -> None:
    """A local cluster's workers are spawned processes that import the
    calling script again; a script without a ``__main__`` guard would start
    a cluster from every worker, each starting more.  Stop at the first."""
    import multiprocessing
    if multiprocessing.parent_process() is not None and \
            getattr(sys.modules.get("__main__"), "__name__", "") == "__mp_main__":
        raise UsageError(f"engine='dask' was called while a Dask worker was starting; {_GUARD}")


class DaskEngine(FastEngine):
    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 cache: StatsCache | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise DependencyError("the dask engine needs dask.distributed: "
                                  "pip install 'mt_eval[dask]'") from None
        self._cluster = None
        if not scheduler:
            _refuse_inside_a_spawned_worker()
        try:
            if scheduler:
                # connect timeout: dask's distributed.comm.timeouts.connect
                client = Client(scheduler)
            else:
                self._cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                client = Client(self._cluster)
        except (OSError, TimeoutError, ValueError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise UsageError(f"cannot connect to the Dask scheduler {scheduler!r}: {exc}") from None
        except Exception as exc:
            if scheduler:
                raise
            raise UsageError(f"the local Dask cluster did not start ({type(exc).__name__}: {exc}); {_GUARD}") from None
        self.client = client
        n_workers = len(client.scheduler_info().get("workers", {})) or 1
        super().__init__(workers=n_workers, cache=cache)

    def _chunks(self, spec: Spec, idx: np.ndarray) -> list[np.ndarray]:
        per = max(50, min(DASK_CHUNK[spec.kind], -(-len(idx) // (2 * self.workers))))
        return [idx[i:i + per] for i in range(0, len(idx), per)]

    def _run(self, spec: Spec, hyps_by_system, refs, idx: np.ndarray, progress) -> Iterator:
        chunks = self._chunks(spec, idx)
        tasks = [(spec, [[h[i] for i in sel] for h in hyps_by_system], [refs[i] for i in sel])
                 for sel in chunks]
        futures = self.client.map(_task, tasks, pure=False)
        for sel, fut in zip(chunks, futures):
            rows = fut.result()
            if progress:
                progress(len(sel) * len(hyps_by_system))
            yield sel, rows

    def close(self) -> None:
        super().close()
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
