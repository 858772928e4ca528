"""Fixtures of the report tests; the data behind them is in report_fixtures.py."""
from __future__ import annotations

import pytest

import report_fixtures as rf


@pytest.fixture
def seed_corpus():
    return rf.seed_corpus()


@pytest.fixture
def seed_checks(seed_corpus):
    return rf.seed_checks(seed_corpus)


@pytest.fixture
def hostile_report():
    return rf.hostile_report()
