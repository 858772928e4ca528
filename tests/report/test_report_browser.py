"""The report in a real browser: headless Debian Chromium driven by Playwright.

Checks what a reviewer relies on: the summary table, the charts and the
highlighted spans of the seed article's findings are there; hovering or
focusing a span shows its message; filters and keys work; no request
leaves the page; and outside text never runs as script, with and without
the Content-Security-Policy (so the escaping alone is tested too).
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import mt_eval
from mt_eval import load_corpus
from mt_eval.detectors import all_detectors, check_corpus
from mt_eval.report import build_report, render_html

import report_fixtures as rf

CHROMIUM = os.environ.get("MT_EVAL_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SEED_CORPUS = ROOT / "corpora" / "news-fr-en.xml"  # the seed article is its first document

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the browser tests need Playwright: pip install 'mt_eval[dev]'")
if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
    pytest.skip(f"the browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium; "
                "or set MT_EVAL_CHROMIUM)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Page:
    """A page that logs every request and every script error."""

    def __init__(self, browser, path: Path):
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.ctx.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.url = path.resolve().as_uri()

        def route(r):
            self.requests.append(r.request.url)
            if r.request.url == self.url:
                r.continue_()
            else:  # nothing but the file itself may load
                r.abort()

        self.ctx.route("**/*", route)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(self.url)
        self.page.wait_for_selector("html[data-ready]", timeout=15000)

    def close(self):
        self.ctx.close()


@pytest.fixture(scope="module")
def seed_report_file(tmp_path_factory):
    """The bundled corpus (seed article first) with every default detector."""
    corpus = load_corpus(str(SEED_CORPUS))
    res = mt_eval.score(corpus, paired="bs", paired_n=100)
    checks = check_corpus(corpus)
    rep = build_report(corpus, res, checks)
    path = tmp_path_factory.mktemp("report") / "seed.html"
    path.write_text(render_html(rep), encoding="utf-8")
    return path, rep


def _gender_detectors() -> bool:
    return any(cls.code.startswith("GN") for cls in all_detectors())


@pytest.fixture
def seed_page(browser, seed_report_file):
    page = Page(browser, seed_report_file[0])
    yield page
    page.close()


def _open_document(pg, doc_id: str):
    pg.select_option("#f-doc", doc_id)
    pg.select_option("#f-sort", "order")


def test_summary_charts_and_seed_findings(seed_page, seed_report_file, tmp_path):
    pg, rep = seed_page.page, seed_report_file[1]
    systems = rep["corpus"]["systems"]
    rows = pg.locator("table.scores tbody tr")
    assert rows.count() == len(systems)
    assert pg.locator("table.scores thead th").all_inner_texts()[1:] == ["BLEU ↑", "chrF2 ↑", "TER ↓"]
    assert pg.locator("svg.chart").count() >= 6
    assert pg.locator("svg.chart").first.is_visible()
    _open_document(pg, "mali-kidal")
    marks = pg.locator("article.seg mark.f")
    texts = marks.all_inner_texts()
    # The seed's scraped footer, its doubled stop and its glued sentence.
    assert "Exit mobile version" in texts
    assert ". ." in texts
    # Every finding of the seed article is highlighted on exactly its span
    # (overlapping findings split a span into pieces that carry both ids).
    pieces = marks.evaluate_all("ms => ms.map(m => [m.dataset.f, m.textContent])")
    seed_items = [it for it in rep["findings"]["items"] if it["doc_id"] == "mali-kidal"]
    assert {it["code"] for it in seed_items} >= {"BP001", "SG001", "SG002"}
    for it in seed_items:
        text = "".join(t for ids, t in pieces if str(it["id"]) in ids.split(","))
        assert text == it["span_text"], it
    by_text = {m.inner_text(): m.get_attribute("class") for m in marks.all()}
    assert "sev-major" in by_text["Exit mobile version"] and "sev-minor" in by_text[". ."]
    if _gender_detectors():  # "She assured that she had taken steps": elle = l'armée
        assert {"She", "she"} <= set(texts)
    shot = tmp_path / "report.png"
    pg.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    # Nothing but the file itself was requested; no script error.
    assert seed_page.requests == [seed_page.url]
    assert seed_page.errors == []


def test_hover_and_focus_show_the_finding(seed_page, seed_report_file):
    pg, rep = seed_page.page, seed_report_file[1]
    _open_document(pg, "mali-kidal")
    tip = pg.locator("#tip")
    boiler = pg.locator("mark.f", has_text="Exit mobile version").first
    boiler.hover()
    assert tip.is_visible()
    bp = next(it for it in rep["findings"]["items"]
              if it["code"] == "BP001" and it["span_text"] == "Exit mobile version")
    assert bp["message"] in tip.inner_text() and "Accuracy/Addition" in tip.inner_text()
    assert "BP001" in tip.inner_text()
    assert ("Suggestion: delete it" if bp["suggestion"] == "" else f"Suggestion: \u201c{bp['suggestion']}\u201d") \
        in tip.inner_text()
    pg.mouse.move(0, 0)
    pg.keyboard.press("Escape")
    assert not tip.is_visible()
    # Keyboard only: j focuses the first segment, Tab walks to the first highlighted span.
    pg.locator("body").click(position={"x": 1, "y": 1})
    pg.keyboard.press("j")
    assert pg.evaluate("document.activeElement.matches('article.seg')")
    for _ in range(40):
        pg.keyboard.press("Tab")
        if pg.evaluate("document.activeElement.matches('mark.f')"):
            break
    assert pg.evaluate("document.activeElement.matches('mark.f')")
    ids = [int(x) for x in pg.evaluate("document.activeElement.dataset.f").split(",")]
    assert tip.is_visible()
    for i in ids:
        assert rep["findings"]["items"][i]["message"] in tip.inner_text()
    assert pg.evaluate("document.activeElement.getAttribute('aria-describedby')") == "tip"
    pg.keyboard.press("Escape")
    assert not tip.is_visible()
    assert seed_page.requests == [seed_page.url]


def test_filters_sorting_and_pages(seed_page, seed_report_file):
    pg, rep = seed_page.page, seed_report_file[1]
    items = rep["findings"]["items"]
    n_segments = rep["corpus"]["n_segments"]
    assert pg.locator("#seg-status").inner_text().endswith(f"of {n_segments} segments")
    # Worst first: the first segment holds the heaviest findings.
    weights = rep["meta"]["severity_weights"]
    worst = max(max(seg["penalty"].values()) for d in rep["documents"] for seg in d["segments"])
    first = pg.locator("article.seg").first
    first_ids = [int(i) for f in first.locator("mark.f").evaluate_all("ms => ms.map(m => m.dataset.f)")
                 for i in f.split(",")]
    per_system = {}
    for i in set(first_ids):
        per_system[items[i]["system"]] = per_system.get(items[i]["system"], 0) + weights[items[i]["severity"]]
    assert max(per_system.values()) == worst
    # Detector filter: only segments with that detector's findings, only its spans.
    pg.select_option("#f-det", "BP001")
    with_bp = {(it["doc_id"], it["seg_id"]) for it in items if it["code"] == "BP001"}
    assert pg.locator("article.seg").count() == len(with_bp) > 0
    for fid in pg.locator("mark.f").evaluate_all("ms => ms.map(m => m.dataset.f)"):
        assert all(items[int(i)]["code"] == "BP001" for i in fid.split(","))
    pg.select_option("#f-det", "")
    # Severity filter.
    pg.select_option("#f-sev", "critical")
    crit = {(it["doc_id"], it["seg_id"]) for it in items if it["severity"] == "critical"}
    assert pg.locator("article.seg").count() == len(crit)
    pg.select_option("#f-sev", "major")
    major = {(it["doc_id"], it["seg_id"]) for it in items if it["severity"] in ("critical", "major")}
    assert pg.locator("article.seg").count() == len(major) > len(crit)
    pg.select_option("#f-sev", "info")
    # System filter: a system's column disappears.
    pg.uncheck("input[name=sys][value='careful-mt']")
    assert pg.locator(".cell.hyp[data-system='careful-mt']").count() == 0
    assert pg.locator(".cell.hyp[data-system='scraped-mt']").count() > 0
    pg.check("input[name=sys][value='careful-mt']")
    # Pages and keys: n goes to the next page; k on its first segment goes back
    # to the last segment of the page before, j from there forward again.
    pg.select_option("#f-size", "10")
    assert pg.locator("article.seg").count() == min(10, n_segments)
    if n_segments > 10:
        pg.locator("body").click(position={"x": 1, "y": 1})
        pg.keyboard.press("n")
        assert pg.locator("#pg-page").inner_text().startswith("Page 2 of")
        assert pg.evaluate("document.activeElement.dataset.pos") == "0"
        pg.keyboard.press("k")
        assert pg.locator("#pg-page").inner_text().startswith("Page 1 of")
        assert pg.evaluate("document.activeElement.dataset.pos") == "9"
        pg.keyboard.press("j")
        assert pg.locator("#pg-page").inner_text().startswith("Page 2 of")
    assert seed_page.errors == []


def test_summary_reads_without_javascript(browser, seed_report_file):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        pg = ctx.new_page()
        pg.goto(seed_report_file[0].resolve().as_uri())
        assert pg.locator("table.scores tbody tr").count() == len(seed_report_file[1]["corpus"]["systems"])
        assert pg.locator("svg.chart").first.is_visible()
        assert pg.locator("noscript").count() == 1
        assert not pg.locator("#doc-view").is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-only"])
def test_hostile_text_never_runs(browser, tmp_path, csp):
    rep = rf.hostile_report()
    html = render_html(rep)
    if not csp:
        html, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        assert n == 1
    path = tmp_path / "hostile.html"
    path.write_text(html, encoding="utf-8")
    page = Page(browser, path)
    try:
        pg = page.page
        # Exercise the view: each document (its header and metadata render), then
        # every highlighted span hovered and focused (tooltips), and a button.
        for value in pg.locator("#f-doc option").evaluate_all("os => os.map(o => o.value)"):
            pg.select_option("#f-doc", value)
        pg.select_option("#f-sort", "order")
        pg.select_option("#f-doc", "")
        pg.select_option("#f-size", "100")
        marks = pg.locator("mark.f")
        assert marks.count() >= 6
        for i in range(marks.count()):
            marks.nth(i).hover()
            marks.nth(i).focus()
            assert pg.locator("#tip").is_visible()
        pg.select_option("#f-sort", "worst")
        buttons = pg.locator("article.seg button")
        assert buttons.count()
        buttons.first.click()
        assert pg.evaluate("window.__pwned") is None
        assert page.dialogs == [] and page.errors == []
        # No element got an event-handler attribute, no injected element exists.
        assert pg.evaluate("""[...document.querySelectorAll('*')].filter(e =>
            [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length""") == 0
        assert pg.locator("img, iframe, object, embed, b").count() == 0
        assert pg.locator("script").count() == 2
        hrefs = pg.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
        assert all(h.startswith("#") or h.startswith("https://example.org/") for h in hrefs), hrefs
        # The text is shown as text (tooltip included).
        body = pg.locator("body").inner_text()
        for p in rf.PAYLOADS[:5]:
            assert p in body
        assert page.requests == [page.url]
    finally:
        page.close()
