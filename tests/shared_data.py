"""Where the tests find the shared evaluation data (``seeds/`` and ``data/``).

The folder is located as the benchmarks locate it (``bench/shared_data.py``:
``$MT_EVAL_SHARED``, else ``shared`` beside the checkout or beside the
folder holding it).  Tests that need it skip with a clear reason when it is
absent.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# bench/ is not a package and its module has this module's name: load it by path.
_spec = importlib.util.spec_from_file_location("_bench_shared_data", REPO / "bench" / "shared_data.py")
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)

SHARED, DATA, WMT14 = _bench.SHARED, _bench.DATA, _bench.WMT14
SEED = SHARED / "seeds" / "000_c6418d0b895173dc.txt"


def need(path: Path) -> Path:
    """``path`` if it exists, else skip the test saying what is missing."""
    if not path.exists():
        pytest.skip(f"shared data not available: {path} ({_bench.HINT})")
    return path
