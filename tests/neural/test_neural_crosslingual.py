"""Cross-lingual detectors: clause cutting and scoring helpers (the detectors
themselves run on their fixture files, tests/fixtures/detectors/XL*.yml)."""
import numpy as np

from mt_eval.detectors._crosslingual import Agreement, clauses, without
from mt_eval.detectors.crosslingual import XL_DETECTORS, failure_margins


def _texts(text):
    return [text[a:b] for a, b in clauses(text)]


def test_clauses():
    t = "The mayor resigned on Monday evening, after three weeks of protests. He had been in office for years."
    assert _texts(t) == ["The mayor resigned on Monday evening,", "after three weeks of protests.",
                         "He had been in office for years."]
    # short pieces join a neighbour; one clause is one span
    assert _texts("Yes, he said, the army took the town.") == ["Yes, he said, the army took the town."]
    assert _texts("One two three.") == ["One two three."]
    assert clauses("") == []


def test_without():
    t = "The mayor resigned on Monday evening, after three weeks of protests."
    span = clauses(t)[1]
    assert without(t, span) == "The mayor resigned on Monday evening,"
    assert without(t, clauses(t)[0]) == "after three weeks of protests."


def test_failure_margins_sign():
    fine = Agreement(0.88, [(0, 5), (6, 9)], [-0.02, -0.01], [(0, 5), (6, 9)], [-0.03, -0.02])
    wrong = Agreement(0.70)
    copied = Agreement(0.99)
    dropped = Agreement(0.86, [(0, 5), (6, 9)], [0.06, -0.02])
    m = failure_margins([fine, wrong, copied, dropped])
    assert m[0] < 0 and (m[1:] > 0).all()


def test_detectors_are_opt_in_and_need_the_extra():
    for det in XL_DETECTORS:
        assert not det.default_enabled and det.requires_extra == "neural"
        assert det.available() is None  # the test environment has the extra
    assert [d.code for d in XL_DETECTORS] == ["XL001", "XL002", "XL003", "XL004"]
