"""The Markdown summary, rendered by a real CommonMark parser (with GFM tables)."""
from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

import mt_eval
from mt_eval.formatters.markdown import report_summary
from mt_eval.report import build_report


def _render(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_scores_findings_and_signatures(seed_corpus, seed_checks):
    res = mt_eval.score(seed_corpus, paired="bs", paired_n=100)
    rep = build_report(seed_corpus, res, seed_checks)
    md = report_summary(rep)
    html = _render(md)
    for r in rep["scores"]["rows"]:
        assert f"{r['score']:.2f}" in md
        if r["ci_low"] is not None:
            assert f"[{r['ci_low']:.2f}, {r['ci_high']:.2f}]" in md
    careful = next(r for r in rep["scores"]["rows"] if r["system"] == "careful-mt" and r["metric"] == "chrF2")
    assert f"p={careful['p_value']:.4f}" in md
    assert html.count("<table>") == 4  # scores, findings by detector, by system, most severe
    assert "<th>code</th>" in html
    for m in rep["scores"]["metrics"]:
        assert m["signature"].replace("|", "&#124;") in md
    assert "TST003" in md and "critical" in md


def test_no_scores_no_findings(seed_corpus):
    md = report_summary(build_report(seed_corpus, None, None))
    assert "No references" in md and "Findings" not in md


def test_hostile_text_is_inert_markdown(hostile_report):
    md = report_summary(hostile_report)
    html = _render(md)
    assert not re.search(r"<(script|img|svg|b|iframe)\b", html, re.I)
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', html))
    assert "<a " not in html
    # Every table row keeps its column count: no outside '|' splits a cell.
    for block in md.split("\n\n"):
        lines = [ln for ln in block.split("\n") if ln.startswith("|")]
        if lines:
            widths = {len(re.findall(r"(?<!\\)\|", ln)) for ln in lines}
            assert len(widths) == 1, block
    assert re.search(r"@\w", md) is None  # no raw mention in the source
