"""The HTML file without a browser: self-contained, escaped, readable without JS."""
from __future__ import annotations

import base64
import hashlib
import json

import lxml.html
import pytest

import mt_eval
from mt_eval.report import build_report, render_html

from report_fixtures import PAYLOADS


def _sha(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


@pytest.fixture
def seed_html(seed_corpus, seed_checks):
    res = mt_eval.score(seed_corpus, paired="bs", paired_n=100)
    rep = build_report(seed_corpus, res, seed_checks)
    return rep, render_html(rep)


def test_summary_charts_and_data_are_in_the_static_html(seed_html):
    rep, text = seed_html
    doc = lxml.html.fromstring(text)
    table = doc.xpath("//table[@class='scores']")[0]
    head = [th.text_content().strip() for th in table.xpath("./thead//th")]
    assert head == ["System", "BLEU ↑", "chrF2 ↑", "TER ↓"]
    rows = {tr.xpath("./th")[0].text_content().split(" (")[0]: tr for tr in table.xpath("./tbody/tr")}
    assert set(rows) == {"scraped-mt", "careful-mt"}
    bleu = next(r for r in rep["scores"]["rows"] if r["system"] == "careful-mt" and r["metric"] == "BLEU")
    cell = rows["careful-mt"].xpath("./td")[0].text_content()
    assert f"{bleu['score']:.2f}" in cell and f"[{bleu['ci_low']:.2f}, {bleu['ci_high']:.2f}]" in cell
    assert f"p = {bleu['p_value']:.4f}" in cell
    counts = doc.xpath("//table[@class='det-counts']/tbody/tr")
    assert {tr.xpath("./th")[0].text_content() for tr in counts} == {"TST001", "TST002", "TST003"}
    charts = doc.xpath("//svg[contains(@class, 'chart')]")
    labels = [c.get("aria-label") for c in charts]
    assert "Findings per detector" in labels and "Sentence chrF2 per system" in labels
    assert any(label.endswith("by reference length") for label in labels)
    assert "Word F-measure by reference frequency" in labels
    sigs = doc.xpath("//details[@class='sigs']//code")
    assert [c.text_content() for c in sigs][::2] == [m["signature"] for m in rep["scores"]["metrics"]]


def test_json_island_round_trips_and_csp_pins_our_script_and_style(seed_html):
    rep, text = seed_html
    doc = lxml.html.fromstring(text)
    scripts = doc.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/json", None]
    data = json.loads(scripts[0].text)
    assert data == json.loads(json.dumps({k: v for k, v in rep.items() if k != "analyses"}))
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
    assert "default-src 'none'" in csp
    assert f"script-src '{_sha(scripts[1].text)}'" in csp
    style = doc.xpath("//style")[0].text
    assert f"style-src '{_sha(style)}'" in csp


def test_no_external_resource_is_referenced(seed_html):
    _, text = seed_html
    doc = lxml.html.fromstring(text)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert name not in ("src", "srcset", "action", "poster", "data", "xlink:href"), (el.tag, name)
            if name == "href":
                assert value.startswith("#"), value
    assert not doc.xpath("//link | //iframe | //object | //embed | //img | //video | //audio")
    assert "url(" not in doc.xpath("//style")[0].text


def test_hostile_text_stays_text(hostile_report):
    text = render_html(hostile_report)
    doc = lxml.html.fromstring(text)
    assert len(doc.xpath("//script")) == 2
    assert not doc.xpath("//img | //iframe | //object | //embed | //b")
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name, value)
            assert "javascript:" not in value.lower() or name in ("value", "aria-label"), (el.tag, name)
    # The outside text is shown, as text: title, system names, doc ids (options).
    visible = doc.text_content()
    assert hostile_report["meta"]["title"] in visible
    for system in hostile_report["corpus"]["systems"]:
        assert system in visible
    options = [o.get("value") for o in doc.xpath("//select[@id='f-doc']/option")]
    assert set(options[1:]) == {d["doc_id"] for d in hostile_report["documents"]}
    island = doc.xpath("//script[@id='report-data']")[0].text
    assert "<" not in island and "\u2028" not in island
    assert json.loads(island)["documents"] == hostile_report["documents"]
    # The svg/markup payloads never open an element in the charts either.
    for svg in doc.xpath("//svg"):
        assert all(child.tag.split("}")[-1] in ("title", "line", "text", "rect", "g", "path", "polyline",
                                                 "circle") for child in svg.iter() if child is not svg)
    assert any(p in visible for p in PAYLOADS)
