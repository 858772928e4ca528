"""Gate configuration, thresholds, metrics and baselines."""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from mt_eval.baseline import fingerprints, match, read_baseline, write_baseline
from mt_eval.corpus import Corpus
from mt_eval.detectors.base import Finding, Severity
from mt_eval.errors import InputError, UsageError
from mt_eval.gate import GateConfig, Unit, checked_entries, evaluate, gate_config, judge, run_checks
from mt_eval.gate_inputs import load_units

from ci_helpers import CrashDetector, PhraseDetector, SheDetector, atom, rss, make_detectors, write

FEEDS = "corpora/feeds"


def _units(cfg=None):
    return load_units([FEEDS], cfg or gate_config({}))


# -- configuration -------------------------------------------------------------------
def test_defaults_and_limits():
    cfg = gate_config({})
    assert cfg.fail_on == Severity.MAJOR
    assert [cfg.limit(s) for s in Severity] == [None, None, 0, 0]
    cfg = gate_config({"fail-on": "minor", "max-findings": {"minor": 3, "critical": -1}})
    assert [cfg.limit(s) for s in Severity] == [None, 3, 0, None]
    assert gate_config({"fail-on": "none"}).limit(Severity.CRITICAL) is None


@pytest.mark.parametrize("table,match", [
    ({"fail-on": "fatal"}, "unknown severity"),
    ({"max-findings": {"minor": "ten"}}, "integer"),
    ({"metrics": {"meteor": 30}}, "unknown metric"),
    ({"metrics": {"chrf": "high"}}, "number"),
    ({"unpaired": "ignore"}, "'report' or 'fail'"),
    ({"fail-on": False}, "fail-on must be a string"),
    ({"fail-on": 3}, "fail-on must be a string"),
    ({"colour": "red"}, "unknown key"),
    ({"feeds": {"*.xml": {"langpair": "fr-en"}}}, "unknown key"),
])
def test_bad_config_is_an_error(table, match):
    with pytest.raises(UsageError, match=match):
        gate_config(table)


def test_per_feed_overrides_apply_in_order():
    cfg = gate_config({"fail-on": "major", "feeds": {"*-en.atom": {"fail-on": "critical"},
                                                     "corpora/feeds/journal-*": {"max-findings": {"minor": 1}}}})
    eff = cfg.for_feed("corpora/feeds/journal-en.atom")
    assert eff.fail_on == Severity.CRITICAL and eff.limit(Severity.MINOR) == 1
    assert cfg.for_feed("other.rss").fail_on == Severity.MAJOR


# -- judging -------------------------------------------------------------------------
def test_bundled_feeds_fail_for_the_phrases_and_pass_when_fixed():
    res = evaluate(_units(), gate_config({}), detectors=make_detectors())
    assert not res.passed and res.exit_code == 1
    assert {it.doc_id: it.status for it in res.items} == {
        "mali-kidal": "failed", "lerac-pont": "failed", "cooperative-fromagerie": "passed",
        "jazz-en-vezenne": "passed", "alerte-orages": "unpaired"}
    assert res.reasons == ["corpora/feeds/journal-en.atom: 2 new major findings (limit 0): TST01"]
    rec = next(r for r in res.records if r.finding.span_text == "Exit mobile version")
    assert rec.path == "corpora/feeds/journal-en.atom" and rec.part == "body"
    with open(rec.path, encoding="utf-8") as fh:
        assert "Exit mobile version" in fh.read().split("\n")[rec.line - 1]
    fixed = evaluate(load_units(["corpora/feeds/fixed"], gate_config({})), gate_config({}),
                     detectors=make_detectors())
    assert fixed.passed and fixed.status_counts() == {"passed": 4, "failed": 0, "unpaired": 1}
    # The fixed translations keep the source's paragraphs one for one.
    assert not [n for it in fixed.items for n in it.notes if n[0] == "paragraphs"]


def test_budgets_unpaired_and_detector_errors():
    cfg = gate_config({"fail-on": "critical", "max-findings": {"minor": 2}, "unpaired": "fail"})
    res = evaluate(_units(cfg), cfg, detectors=make_detectors())
    reasons = res.units[0].reasons
    assert reasons[0] == "5 new minor findings (limit 2): TST02"  # 3 in the seed, 2 in the dairy item
    assert reasons[1] == "1 unpaired item"
    # Budget overflow fails the feed, not the items, which carry no blocking finding.
    assert res.status_counts()["failed"] == 0


def test_a_translation_without_its_source_is_unpaired(tmp_path):
    s = write(tmp_path / "s.rss", rss([{"guid": "a", "title": "Le pont est fermé."}]))
    t = write(tmp_path / "t.atom", atom([{"id": "a", "title": "The bridge is closed."},
                                         {"id": "b", "title": "Exit mobile version"},
                                         {"id": "c", "title": "The library opened."}]))
    for mode, passed in (("report", False), ("fail", False)):
        cfg = gate_config({"unpaired": mode, "langpair": "fr-en"})
        res = evaluate(load_units([s, t], cfg), cfg, detectors=make_detectors())
        # a blocking finding fails an orphan; one without is unpaired, never "passed"
        assert {it.doc_id: it.status for it in res.items} == {"a": "passed", "b": "failed", "c": "unpaired"}
        assert ("2 unpaired items" in res.reasons[-1]) is (mode == "fail")
    cfg = gate_config({"unpaired": "fail", "langpair": "fr-en"})
    alone = evaluate(load_units([s, write(tmp_path / "ok.atom", atom([{"id": "a", "title": "The bridge is closed."},
                                                                      {"id": "c", "title": "The library opened."}]))],
                                cfg), cfg, detectors=make_detectors())
    assert not alone.passed and [r.split(": ", 1)[1] for r in alone.reasons] == ["1 unpaired item"]


def test_a_translated_feed_alone_has_no_unpaired_items(tmp_path):
    t = write(tmp_path / "t.atom", atom([{"id": "a", "title": "The bridge is closed."}]))
    cfg = gate_config({"unpaired": "fail", "langpair": "fr-en"})
    res = evaluate(load_units([t], cfg), cfg, detectors=make_detectors())
    assert res.passed and [[k for k, _ in it.notes] for it in res.items] == [["no-body"]]


def test_a_crashing_detector_fails_the_gate_unless_told_otherwise(tmp_path):
    s = write(tmp_path / "s.rss", rss([{"guid": "1", "title": "Un"}]))
    t = write(tmp_path / "t.atom", atom([{"id": "1", "title": "crash here"}]))
    for mode, passed in (("fail", False), ("report", True)):
        cfg = gate_config({"detector-errors": mode, "langpair": "fr-en"})
        res = evaluate(load_units([s, t], cfg), cfg, detectors=[CrashDetector()])
        assert res.passed is passed
        assert res.units[0].errors[0]["code"] == "TST03"


def test_nothing_checked_is_not_a_pass():
    res = evaluate(_units(), gate_config({}), detectors=[])
    assert not res.passed and "nothing was checked" in res.reasons[0]


def test_metric_minimums_with_references(tmp_path):
    s = write(tmp_path / "s.rss", rss([{"guid": "1", "title": "Le chat dort sur le tapis"}]))
    t = write(tmp_path / "t.atom", atom([{"id": "1", "title": "The cat sleeps on the carpet"}]))
    r = write(tmp_path / "r.atom", atom([{"id": "1", "title": "The cat is sleeping on the rug"}]))
    for threshold, passed in ((30, True), (90, False)):
        cfg = gate_config({"metrics": {"chrf": threshold}, "langpair": "fr-en"})
        res = evaluate(load_units([s, t], cfg, references=[r]), cfg, detectors=[SheDetector()])
        (check,) = res.units[0].metrics
        import sacrebleu
        expected = sacrebleu.corpus_chrf(["The cat sleeps on the carpet"], [["The cat is sleeping on the rug"]]).score
        assert check.score == pytest.approx(expected, abs=1e-9) and check.passed is passed
        assert res.passed is passed
        from mt_eval.formatters import gate_formats
        text = gate_formats()["text"](res)
        shown = f"{check.metric} {check.score:.2f} for mt (required ≥ {threshold})"
        # a passing score is shown with a tick, a failing one among the reasons
        assert (f"✓ {t}: {shown}" in text) is passed and (f"✗ {t}: {shown}" in text) is not passed
    cfg = gate_config({"metrics": {"chrf": 30}, "langpair": "fr-en"})
    res = evaluate(load_units([s, t], cfg), cfg, detectors=[SheDetector()])
    assert res.units[0].metrics[0].passed is None and res.passed


def test_corpus_files_are_units_too(tmp_path):
    df = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "source": ["a", "b", "c"],
                       "hyp:sys": ["She went.", "Fine.", "Share this article"]})
    path = tmp_path / "c.tsv"
    df.to_csv(path, sep="\t", index=False)
    res = evaluate(load_units([str(path)], gate_config({})), gate_config({}), detectors=make_detectors())
    assert {it.doc_id: it.status for it in res.items} == {"d1": "passed", "d2": "failed"}
    assert res.records[0].path == str(path)


# -- baselines ------------------------------------------------------------------------
def _f(doc="d", seg=1, start=0, span="She", code="X1"):
    return Finding(code, "x", Severity.MAJOR, "Other", "hypothesis", start, start + len(span), "m", span,
                   doc_id=doc, seg_id=seg, system="mt")


def test_fingerprints_ignore_position_but_count_occurrences():
    a = fingerprints([_f(seg=3, start=10), _f(seg=7, start=2)])
    b = fingerprints([_f(seg=9, start=40), _f(seg=12, start=0)])   # paragraphs inserted before
    assert a == b and len(set(a)) == 2
    assert fingerprints([_f(span="  SHE ")]) == fingerprints([_f(span="she")])
    assert fingerprints([_f(doc="e")]) != fingerprints([_f()])
    assert fingerprints([_f(code="X2")]) != fingerprints([_f()])


def test_baseline_match_is_a_multiset():
    old = [_f(seg=1), _f(seg=2)]
    from mt_eval.baseline import entries
    base = entries(old, fingerprints(old))
    known, fixed = match(fingerprints([_f(seg=5)]), base)
    assert known == [True] and len(fixed) == 1
    known, fixed = match(fingerprints([_f(seg=1), _f(seg=2), _f(seg=3)]), base)
    assert known == [True, True, False] and fixed == []


def test_baseline_roundtrip_and_errors(tmp_path):
    checked = run_checks(_units(), gate_config({}), detectors=make_detectors())
    path = tmp_path / "b.json"
    n = write_baseline(str(path), checked_entries(checked))
    assert n == 7  # 5 "she" and 2 boilerplate lines
    res = judge(checked, baseline=read_baseline(str(path)), baseline_path=str(path))
    assert res.passed and not res.fixed and all(r.known for r in res.records)
    assert path.read_text() == (write_baseline(str(path), checked_entries(checked)) and path.read_text())
    (tmp_path / "bad.json").write_text('{"mt_eval_baseline": 1,\n "findings": [}')
    with pytest.raises(InputError) as e:
        read_baseline(str(tmp_path / "bad.json"))
    assert e.value.line == 2
    (tmp_path / "other.json").write_text('{"a": 1}')
    with pytest.raises(InputError, match="not an mt_eval baseline"):
        read_baseline(str(tmp_path / "other.json"))


def test_baseline_survives_an_unrelated_edit_and_catches_a_new_finding(tmp_path):
    src = tmp_path / "s.rss"
    src.write_text(rss([{"guid": "a", "title": "Titre", "content": "<p>Un.</p><p>Deux.</p>"}]))
    tgt = tmp_path / "t.atom"

    def run(paragraphs, baseline=None):
        tgt.write_text(atom([{"id": "a", "title": "Title", "content": "".join(f"<p>{p}</p>" for p in paragraphs)}]))
        cfg = gate_config({"langpair": "fr-en"})
        return evaluate(load_units([str(src), str(tgt)], cfg), cfg, detectors=make_detectors(), baseline=baseline)

    first = run(["She said one.", "Two. Share this article"])
    assert not first.passed
    base = checked_entries(run_checks(load_units([str(src), str(tgt)], gate_config({"langpair": "fr-en"})),
                                      gate_config({}), detectors=make_detectors()))
    edited = run(["A new first paragraph.", "She said one.", "Two, reworded. Share this article"], base)
    assert edited.passed and not edited.fixed
    worse = run(["She said one.", "Two. Share this article", "Exit mobile version"], base)
    assert not worse.passed and [r.finding.span_text for r in worse.records if not r.known] == ["Exit mobile version"]
    better = run(["It said one.", "Two."], base)
    assert better.passed and sorted(e.span_text for e in better.fixed) == ["Share this article", "She"]


def test_an_empty_translated_feed_fails(tmp_path):
    s = write(tmp_path / "s.rss", rss([{"guid": "a", "title": "Le pont est fermé."}]))
    t = write(tmp_path / "t.atom", atom([]))
    cfg = gate_config({"langpair": "fr-en"})
    res = evaluate(load_units([s, t], cfg), cfg, detectors=make_detectors())
    assert not res.passed and res.reasons[0].endswith("nothing was checked: no translated item")
    assert [it.status for it in res.items] == ["unpaired"]
