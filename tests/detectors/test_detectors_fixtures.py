"""Every detector against its fixture file (tests/fixtures/detectors/<CODE>.yml)."""
from pathlib import Path

import pytest

from mt_eval.detectors.fixtures import load_fixture

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "detectors"
CASES = [case for path in sorted(FIXTURES.glob("*.yml")) for case in load_fixture(path)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}-{c.id}" for c in CASES])
def test_fixture_case(case):
    expected, found, findings = case.run()
    if expected != found:
        lines = [f"{f.side} [{f.start},{f.end}) {f.span_text!r}: {f.message}" for f in findings if f.code == case.code]
        pytest.fail(f"expected spans {sorted(expected)}, found {sorted(found)}\n" + "\n".join(lines))
