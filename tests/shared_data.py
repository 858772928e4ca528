"""Where the tests find the shared evaluation data (``seeds/`` and ``data/``).

It lives outside the repository: ``$MT_EVAL_SHARED`` names the folder;
otherwise it is the ``shared`` folder beside the checkout, or beside the
folder that holds the checkout (a git worktree sits one level deeper).
Tests that need it skip with a clear reason when it is absent.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


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
SEED = SHARED / "seeds" / "000_c6418d0b895173dc.txt"


def need(path: Path) -> Path:
    """``path`` if it exists, else skip the test saying what is missing."""
    if not path.exists():
        pytest.skip(f"shared data not available: {path} (set MT_EVAL_SHARED)")
    return path
