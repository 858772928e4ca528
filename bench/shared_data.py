"""Where the benchmarks find the shared evaluation data (``seeds/``, ``data/``).

``$MT_EVAL_SHARED`` names the folder; otherwise it is the ``shared`` folder
beside the checkout, or beside the folder holding it (a git worktree sits
one level deeper).  The tests use this module too (``tests/shared_data.py``).
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _find_shared() -> Path:
    env = os.environ.get("MT_EVAL_SHARED")
    if env:
        return Path(env)
    for candidate in (REPO.parent / "shared", REPO.parent.parent / "shared"):
        if (candidate / "data").is_dir():
            return candidate
    return REPO.parent / "shared"


SHARED = _find_shared()
DATA = SHARED / "data"
WMT14 = DATA / "wmt14-newstest-fr-en"
HINT = "set MT_EVAL_SHARED to the folder holding seeds/ and data/"
