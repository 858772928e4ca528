"""Shared test helpers.

Real evaluation data lives outside the repository, in ``../shared/data``
(or wherever ``MT_EVAL_SHARED_DATA`` points); tests that need it skip with a
clear reason when it is absent.
"""
from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("MT_EVAL_SHARED_DATA", REPO.parent / "shared" / "data"))
WMT14 = SHARED_DATA / "wmt14-newstest-fr-en"
SEED = REPO.parent / "shared" / "seeds" / "000_c6418d0b895173dc.txt"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not available: {path} (set MT_EVAL_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def wmt14() -> Path:
    return need(WMT14)


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run ``mt-eval`` in-process; returns (exit code, stdout, stderr)."""
    from mt_eval.cli import main
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse exits on usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli():
    return run_cli
