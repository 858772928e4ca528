"""The README's screenshot of the review report (reports/screenshot.png).

Opens a report in headless Debian Chromium (Playwright's Python package, no
downloaded browser), opens the seed article in the document view, focuses
its gender leak ("She assured…") so the finding shows, and saves the viewport.

    PYTHONPATH=. python scripts/report_screenshot.py reports/news-fr-en.html reports/screenshot.png
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

CHROMIUM = os.environ.get("MT_EVAL_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(report: str, out: str, document: str = "mali-kidal") -> int:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        page.goto(Path(report).resolve().as_uri())
        page.wait_for_selector("html[data-ready]")
        page.select_option("#f-doc", document)
        page.select_option("#f-sort", "order")
        # Start the view at the scores, then the document with a finding open.
        page.evaluate("document.getElementById('documents').scrollIntoView()")
        # The seed's gender leak when a gender detector found it, else its
        # doubled stop; its segment at the top of the window, the finding open.
        leak = page.locator("mark.f", has_text="She")
        target = leak.first if leak.count() else page.locator("mark.f", has_text=". .").first
        target.focus()
        target.evaluate("m => m.closest('article').scrollIntoView()")
        target.dispatch_event("focusin")  # re-place the finding after the scroll
        page.screenshot(path=out)
        browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    raise SystemExit(main(*sys.argv[1:4]))
