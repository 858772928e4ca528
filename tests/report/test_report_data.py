"""The report document: what it holds, and that it matches its JSON Schema."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

import mt_eval
from mt_eval import Corpus
from mt_eval.errors import UsageError
from mt_eval.report import build_report, make_report, segment_table
from mt_eval.report.outputs import to_json


@pytest.fixture(scope="module")
def schema():
    text = resources.files("mt_eval.report").joinpath("report.schema.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(doc)
    return doc


def _validate(report, schema):
    # Through JSON text, as a consumer reads it.
    jsonschema.Draft202012Validator(schema).validate(json.loads(to_json(report)))


def test_report_with_scores_findings_and_analyses(seed_corpus, seed_checks, schema):
    res = mt_eval.score(seed_corpus, paired="bs", paired_n=200)
    rep = build_report(seed_corpus, res, seed_checks, created="2024-01-01T00:00:00+00:00")
    _validate(rep, schema)
    # Scores are exactly the ScoreResult's, with intervals and p-values.
    rows = {(r["system"], r["metric"]): r for r in rep["scores"]["rows"]}
    for r in res.corpus.to_dict(orient="records"):
        got = rows[(r["system"], r["metric"])]
        assert got["score"] == r["score"]
        assert got["ci_low"] == r["ci_low"] and got["ci_high"] == r["ci_high"]
    assert rep["scores"]["baseline"] == "scraped-mt" and rep["scores"]["test"] == "bs"
    careful = rows[("careful-mt", "chrF2")]
    assert careful["p_value"] is not None and careful["delta"] > 0
    assert careful["verdict"] == ("better" if careful["p_value"] < 0.05 else "same")
    ter = rows[("careful-mt", "TER")]
    assert ter["best"] == (ter["score"] <= rows[("scraped-mt", "TER")]["score"])
    assert {m["name"] for m in rep["scores"]["metrics"]} == {"BLEU", "chrF2", "TER"}
    for m in rep["scores"]["metrics"]:
        assert m["signature"] == res.corpus.loc[res.corpus.metric == m["name"], "signature"].iloc[0]
        assert "bs:200" in m["signature"] and m["sentence_signature"] == res.sentence_signatures[m["name"]]
    # Every segment is in the document view, in order, with every system.
    segs = [s for d in rep["documents"] for s in d["segments"]]
    assert [s["row"] for s in segs] == list(range(len(seed_corpus)))
    assert all(set(s["hypotheses"]) == {"scraped-mt", "careful-mt"} for s in segs)
    # Findings: counts agree with the items, items with the CheckResult.
    f = rep["findings"]
    assert f["counts"]["total"] == len(f["items"]) == len(seed_checks.findings)
    by_code = {r["code"]: r for r in f["counts"]["by_detector"]}
    assert by_code["TST001"]["major"] == 1 and by_code["TST003"]["critical"] == 2
    assert by_code["TST002"]["minor"] == 2
    leak = [it for it in f["items"] if it["code"] == "TST003"]
    assert {it["span_text"] for it in leak} == {"She", "she"}
    text = segs[2]["hypotheses"]["scraped-mt"]
    assert all(text[it["start"]:it["end"]] == it["span_text"] for it in leak)
    # Penalties: the seed segment with the leak weighs two criticals.
    assert segs[2]["penalty"] == {"scraped-mt": 20.0, "careful-mt": 0.0}
    assert rep["documents"][0]["penalty"]["scraped-mt"] == 20.0 + 5.0 + 2 * 1.0
    # Analyses cover both systems.
    an = rep["analyses"]
    assert set(an["distributions"]["chrF2"]) == {"scraped-mt", "careful-mt"}
    assert an["ngram_differences"]["pairs"][0]["a"] == "scraped-mt"
    assert rep["meta"]["rank_metric"] == "chrF2"


def test_report_without_references_or_detectors(schema):
    corpus = Corpus.from_records([
        {"doc_id": "d", "seg_id": 1, "source": "Bonjour.", "hypotheses": {"A": "Hello."}},
        {"doc_id": "d", "seg_id": 2, "source": "Merci.", "hypotheses": {"A": "Thanks."}},
    ])
    rep = make_report(corpus, detectors=False)
    _validate(rep, schema)
    assert rep["scores"] is None and rep["analyses"] is None and rep["findings"] is None
    assert rep["meta"]["rank_metric"] is None
    assert [s["seg_id"] for s in rep["documents"][0]["segments"]] == [1, 2]


def test_partial_references_and_metadata(schema):
    corpus = Corpus.from_records([
        {"doc_id": "d1", "seg_id": 1, "source": "Un.", "references": ["One."], "hypotheses": {"A": "One.", "B": "A."},
         "url": "https://example.org/a", "topic": "x"},
        {"doc_id": "d1", "seg_id": 2, "source": "Deux.", "references": [], "hypotheses": {"A": "Two.", "B": "Deux."},
         "url": "https://example.org/a", "topic": "y"},
        {"doc_id": "d2", "seg_id": 1, "source": "Trois.", "references": ["Three."], "hypotheses": {"A": "Three.", "B": "3."},
         "url": "https://example.org/b", "topic": "z"},
    ])
    rep = make_report(corpus, detectors=False, paired="bs", paired_n=50)
    _validate(rep, schema)
    assert rep["scores"]["n_scored"] == 2 and rep["scores"]["n_segments"] == 3
    d1 = rep["documents"][0]
    assert d1["metadata"] == {"url": "https://example.org/a"}  # constant in the document
    assert [s["metadata"] for s in d1["segments"]] == [{"topic": "x"}, {"topic": "y"}]
    assert d1["segments"][1]["scores"]["A"] == {"BLEU": None, "chrF2": None, "TER": None}
    assert rep["analyses"]["n_segments"] == 2


def test_rank_metric_accepts_registry_names(seed_corpus):
    res = mt_eval.score(seed_corpus, ["bleu", "chrf++"])
    assert build_report(seed_corpus, res, None, rank_metric="chrf++")["meta"]["rank_metric"] == "chrF2++"
    assert build_report(seed_corpus, res, None, rank_metric="bleu")["meta"]["rank_metric"] == "BLEU"
    with pytest.raises(UsageError, match="not computed"):
        build_report(seed_corpus, res, None, rank_metric="ter")


def test_segment_table(seed_corpus, seed_checks):
    res = mt_eval.score(seed_corpus, ["bleu", "chrf"])
    rep = build_report(seed_corpus, res, seed_checks)
    df = segment_table(rep)
    assert len(df) == len(seed_corpus) * 2
    assert list(df.columns[:6]) == ["doc_id", "seg_id", "system", "source", "hypothesis", "reference"]
    row = df[(df.seg_id == 3) & (df.system == "scraped-mt")].iloc[0]
    assert row["critical"] == 2 and row["findings"] == 2 and row["codes"] == "TST003" and row["penalty"] == 20.0
    seg = res.segments
    expect = seg[(seg.seg_id == 3) & (seg.system == "scraped-mt")]["chrF2"].iloc[0]
    assert row["chrF2"] == expect
    assert df["findings"].sum() == len(seed_checks.findings)


def test_metadata_of_any_json_shape_and_non_finite_numbers(schema):
    corpus = Corpus.from_records([
        {"doc_id": "d", "seg_id": 1, "source": "a", "references": ["x"], "hypotheses": {"A": "x"},
         "tags": ["p", "q"], "weight": float("inf"), "site": {"u": 1}},
        {"doc_id": "d", "seg_id": 2, "source": "b", "references": ["y"], "hypotheses": {"A": "y"},
         "tags": ["p"], "weight": 1.0, "site": {"u": 1}},
    ])
    rep = make_report(corpus, detectors=False)
    _validate(rep, schema)  # through json.dumps(allow_nan=False)
    doc = rep["documents"][0]
    assert doc["metadata"] == {"site": {"u": 1}}
    assert [s["metadata"] for s in doc["segments"]] == [{"tags": ["p", "q"], "weight": None},
                                                         {"tags": ["p"], "weight": 1.0}]
