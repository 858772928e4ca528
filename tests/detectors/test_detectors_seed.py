"""The seed article: every known artefact found with the right span, and
nothing else of severity major or worse."""
from pathlib import Path

import pandas as pd
import pytest

from mt_eval.corpus import Corpus
from mt_eval.detectors.base import Severity
from mt_eval.detectors.runner import check_corpus

from shared_data import SEED

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "corpora" / "news-fr-en.xml"
GN = ("GN",)  # gender agreement is another issue's family


def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not available: {SEED} (set MT_EVAL_SHARED)")
    return SEED.read_text(encoding="utf-8")


def run(paragraphs):
    frame = pd.DataFrame({"doc_id": "seed", "hypothesis": paragraphs, "tgt_lang": "en"})
    result = check_corpus(Corpus.from_frame(frame), ignore=[g for g in GN if _has(g)])
    assert result.errors.empty
    return result.finding_objects, paragraphs


def _has(prefix):
    from mt_eval.detectors import all_detectors
    return any(d.code.startswith(prefix) for d in all_detectors())


def spans(findings, paragraphs):
    return {(f.code, paragraphs[f.seg_id - 1][f.start:f.end]) for f in findings}


def check_artefacts(findings, paragraphs, glued):
    got = spans(findings, paragraphs)
    assert ("BP001", "Exit mobile version") in got
    assert ("SG001", ". .") in got
    sg002 = [f for f in findings if f.code == "SG002"]
    assert len(sg002) == 1
    para = paragraphs[sg002[0].seg_id - 1]
    assert "advantage of it. to strengthen" in para
    at = para.index("advantage of it. to strengthen") + len("advantage of it")
    assert sg002[0].start == at and para[sg002[0].start:sg002[0].end].startswith(". to")
    if glued:
        assert ("SG003", "The army promises to ensure the safety of residents") in got
    expected = {"BP001", "SG001", "SG002"} | ({"SG003"} if glued else set())
    serious = [(f.code, paragraphs[f.seg_id - 1][f.start:f.end]) for f in findings
               if f.severity >= Severity.MAJOR and f.code not in expected]
    assert not serious, f"unexpected major findings: {serious}"
    assert {f.code for f in findings} == expected, spans(findings, paragraphs)


def test_seed_one_paragraph_a_segment():
    paragraphs = [p.strip() for p in seed_text().split("\n\n") if p.strip()]
    findings, paragraphs = run(paragraphs)
    check_artefacts(findings, paragraphs, glued=False)


def test_seed_with_heading_glued():
    text = seed_text().replace("residents\n\nThe army called", "residents The army called")
    assert "residents The army called" in text
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    findings, paragraphs = run(paragraphs)
    check_artefacts(findings, paragraphs, glued=True)


def test_bundled_corpus():
    """The seed document of corpora/news-fr-en.xml (system scraped-mt)."""
    if not BUNDLED.exists():
        pytest.skip(f"{BUNDLED} not bundled yet")
    result = check_corpus(str(BUNDLED), ignore=[g for g in GN if _has(g)])
    assert result.errors.empty
    seed = [f for f in result.finding_objects if f.doc_id == "mali-kidal" and f.system in ("scraped-mt", None)]
    got = {(f.code, result.text_of(f)[f.start:f.end]) for f in seed}
    assert ("BP001", "Exit mobile version") in got
    assert ("SG001", ". .") in got
    assert ("SG002", ". to") in got
    others = [g for g in got if g not in {("BP001", "Exit mobile version"), ("SG001", ". ."), ("SG002", ". to")}]
    serious = [(f.code, result.text_of(f)[f.start:f.end]) for f in seed
               if f.severity >= Severity.MAJOR and (f.code, result.text_of(f)[f.start:f.end]) in others]
    assert not serious, serious
