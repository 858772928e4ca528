"""Shared test helpers.

Real evaluation data lives outside the repository (see shared_data.py);
tests that need it skip with a clear reason when it is absent.
"""
from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from shared_data import WMT14, need


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
