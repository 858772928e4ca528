"""Report generation and opening time on WMT14 fr-en (8 systems x 3,003 segments).

Targets (issue 6): the report is generated in under 30 s and opens in
Chromium in under 3 s.

Generation is timed end to end in-process, from reading the plain files to
the last byte of HTML, Markdown and JSON on disk, stage by stage:

* read     the French source, English reference, 8 systems and the WMT
           document ids (176 articles);
* score    BLEU, chrF2, TER with the paired bootstrap (1,000 resamples)
           against the first system, sentence scores (statistics cache off,
           so a warm cache cannot flatter the number);
* check    every default-enabled detector that is available (``--ignore``
           leaves some out, e.g. the spaCy-based ``GN`` ones), with an empty
           on-disk parse store (mt_eval.nlp_store) in a temporary directory,
           so this is the first-run time;
* build    the report document (compare-mt analyses included);
* write    HTML, Markdown and JSON, atomically.

Then the check stage runs again on the now-filled parse store (the re-run
time), and its findings must equal the first run's.  ``--verify`` also runs
it the way it ran before batching (each document's texts parsed by
themselves, one process: slow) and compares; ``--compare-findings
OLD.json`` compares with the findings of a report JSON written earlier
(``--keep``), e.g. by an older checkout.

Opening is timed in headless Debian Chromium (Playwright, browser already
started): from navigation to the document view's first page drawn
(``html[data-ready]``), best and median of ``--opens`` loads in fresh pages.
Also printed: time to apply a filter and to turn a page, and the file size.

``--segments N`` repeats the WMT documents (new document ids) until the
corpus has N segments, to check how the report scales (e.g. 5,000).

    PYTHONPATH=. python bench/report_bench.py [--metrics bleu chrf ter] [--segments 5000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared_data import HINT, WMT14 as DATA  # noqa: E402
CHROMIUM = os.environ.get("MT_EVAL_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def load(n_segments: int | None):
    import pandas as pd

    from mt_eval import Corpus, read_parallel
    systems = sorted((DATA / "fr-en" / "systems").iterdir())
    hyps = {p.name.removeprefix("newstest2014.").removesuffix(".fr-en"): str(p) for p in systems}
    corpus = read_parallel(src=str(DATA / "fr-en" / "newstest2014-fren-src.fr"), hyps=hyps,
                           refs=[str(DATA / "fr-en" / "newstest2014-fren-ref.en")],
                           docids=str(DATA / "newstest2014-fren.docids"), src_lang="fr", tgt_lang="en")
    if n_segments and n_segments != len(corpus):
        base = corpus.frame
        parts, k = [], 0
        while sum(len(p) for p in parts) < n_segments:
            part = base.copy()
            if k:
                part["doc_id"] = part["doc_id"] + f"~{k}"
            parts.append(part)
            k += 1
        frame = pd.concat(parts, ignore_index=True).iloc[:n_segments]
        corpus = Corpus(frame, name=f"wmt14-fr-en-x{k}")
    return corpus


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the
    scoring engine's worker processes), so that a loaded machine's waiting
    does not count; printed next to the wall time."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Stages:
    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._t = self._c = 0.0
        self._name = ""

    def start(self, name: str) -> None:
        self._name, self._t, self._c = name, time.perf_counter(), cpu_seconds()

    def stop(self) -> None:
        self.wall[self._name] = time.perf_counter() - self._t
        self.cpu[self._name] = cpu_seconds() - self._c


def generate(args, out: Path) -> tuple[Stages, dict]:
    from mt_eval.detectors import check_corpus
    from mt_eval.report import build_report, write_report
    from mt_eval.scoring import score
    st = Stages()
    st.start("read")
    corpus = load(args.segments)
    st.stop()
    st.start("score")
    result = score(corpus, args.metrics, paired="bs", cache=False, show_progress=False)
    st.stop()
    st.start("check")
    checks = None if args.no_detectors else check_corpus(corpus, ignore=args.ignore, show_progress=False)
    st.stop()
    info: dict = {}
    if checks is not None:
        info["rerun"], info["rerun_same"] = rerun_check(corpus, args, checks)
        if args.verify:
            info["unbatched"] = unbatched_check(corpus, args, checks)
    st.start("build")
    report = build_report(corpus, result, checks)
    st.stop()
    st.start("write")
    paths = write_report(report, out / "wmt14", ["html", "md", "json"])
    st.stop()
    info |= {"segments": len(corpus), "systems": len(corpus.systems),
            "documents": report["corpus"]["n_documents"],
            "findings": report["findings"]["counts"]["total"] if report["findings"] else 0,
            "detectors_ran": [d["code"] for d in (report["findings"] or {}).get("detectors", [])
                              if d["status"] == "ran"],
            "sizes": {fmt: p.stat().st_size for fmt, p in paths.items()}, "html": paths["html"]}
    if args.compare_findings:
        info["compared"] = compare_findings(report, args.compare_findings)
    return st, info


def findings_rows(frame) -> list[str]:
    """Findings as comparable text rows (every column, ``data`` included)."""
    return [json.dumps(r, sort_keys=True, default=str) for r in frame.to_dict("records")]


def rerun_check(corpus, args, first) -> tuple[tuple[float, float], bool]:
    """The check stage again, parses now read from the store."""
    from mt_eval import nlp
    from mt_eval.detectors import check_corpus
    nlp.clear_cache()
    t, c = time.perf_counter(), cpu_seconds()
    again = check_corpus(corpus, ignore=args.ignore, show_progress=False)
    took = (time.perf_counter() - t, cpu_seconds() - c)
    return took, findings_rows(again.findings) == findings_rows(first.findings)


def unbatched_check(corpus, args, first) -> tuple[bool, int]:
    """The check as it ran before Detector.prepare: one process, no store,
    each document's texts parsed by themselves."""
    from mt_eval import nlp
    from mt_eval.detectors import Detector, check_corpus
    from mt_eval.detectors.registry import all_detectors
    saved = {cls: cls.__dict__["prepare"] for cls in all_detectors() if "prepare" in cls.__dict__}
    try:
        for cls in saved:
            cls.prepare = Detector.prepare
        nlp.use_store(False)
        nlp.clear_cache()
        old = check_corpus(corpus, ignore=args.ignore, show_progress=False, workers=1)
    finally:
        for cls, fn in saved.items():
            cls.prepare = fn
    a, b = findings_rows(first.findings), findings_rows(old.findings)
    return a == b, len(set(a) ^ set(b))


def compare_findings(report, path: str) -> tuple[bool, int, int]:
    """Same findings as the report JSON at ``path``?  (equal, differing, count there)"""
    def rows(items):
        return sorted(json.dumps({k: v for k, v in f.items() if k != "id"}, sort_keys=True) for f in items)
    old = json.loads(Path(path).read_text())["findings"]["items"]
    new = json.loads(json.dumps(report["findings"]["items"], default=str))
    a, b = rows(new), rows(old)
    return a == b, len(set(a) ^ set(b)), len(b)


def open_in_chromium(path: Path, opens: int) -> dict:
    from playwright.sync_api import sync_playwright
    url = path.resolve().as_uri()
    loads, filt, turn, requests = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for _ in range(opens):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                ctx.route("**/*", lambda r: (requests.append(r.request.url),
                                             r.continue_() if r.request.url == url else r.abort()))
                page = ctx.new_page()
                t = time.perf_counter()
                page.goto(url, wait_until="commit")
                page.wait_for_selector("html[data-ready]", timeout=60000)
                loads.append(time.perf_counter() - t)
                # A filter change and a page turn, each until the list is redrawn.
                t = time.perf_counter()
                page.select_option("#f-sev", "major")
                page.wait_for_function("document.getElementById('seg-status').textContent.length > 0")
                filt.append(time.perf_counter() - t)
                page.select_option("#f-sev", "info")
                before = page.inner_text("#pg-page")
                t = time.perf_counter()
                page.click("#pg-next")
                page.wait_for_function(f"document.getElementById('pg-page').textContent !== {before!r}")
                turn.append(time.perf_counter() - t)
                ctx.close()
        finally:
            browser.close()
    return {"load": loads, "filter": filt, "page": turn,
            "other_requests": [u for u in requests if u != url]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--metrics", nargs="+", default=["bleu", "chrf", "ter"])
    ap.add_argument("--segments", type=int, default=None, help="repeat documents up to N segments")
    ap.add_argument("--no-detectors", action="store_true")
    ap.add_argument("--ignore", nargs="+", default=[], metavar="SEL",
                    help="leave these detectors out (e.g. GN: the spaCy-based gender detectors)")
    ap.add_argument("--opens", type=int, default=3, help="page loads to time (fresh page each)")
    ap.add_argument("--keep", metavar="DIR", help="write the report here instead of a temporary directory")
    ap.add_argument("--verify", action="store_true",
                    help="also run the check unbatched, single-process, and compare the findings (slow)")
    ap.add_argument("--compare-findings", metavar="JSON", help="compare the findings with this report JSON")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found ({HINT})")
        return 0
    load0 = os.getloadavg()[0]
    from machine import speed_line
    speed0 = speed_line()
    from mt_eval import nlp
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.keep) if args.keep else Path(tmp)
        nlp.use_store(True, str(Path(tmp) / "parse-store"))  # empty: a first run
        st, info = generate(args, out)
        total, cpu = sum(st.wall.values()), sum(st.cpu.values())
        print(f"corpus: {info['segments']:,} segments x {info['systems']} systems, "
              f"{info['documents']} documents; metrics {' '.join(args.metrics)}, paired bootstrap 1000")
        print(f"detectors run: {', '.join(info['detectors_ran']) or 'none'}; findings: {info['findings']:,}")
        print(f"load average at start: {load0:.1f} on {os.cpu_count()} cores (other work inflates wall times)")
        print(f"at start, {speed0}; at end, {speed_line()}")
        print("generation, wall (cpu): " + ", ".join(f"{k} {st.wall[k]:.2f} s ({st.cpu[k]:.2f})" for k in st.wall))
        print(f"generation total: {total:.2f} s wall, {cpu:.2f} s cpu "
              f"(target < 30 s: {'met' if total < 30 else 'MISSED'})")
        if "rerun" in info:
            (w, c), same = info["rerun"], info["rerun_same"]
            print(f"check stage re-run, parses read from the store: {w:.2f} s wall ({c:.2f} cpu); "
                  f"total with it {total - st.wall['check'] + w:.2f} s; "
                  f"findings identical to the first run: {'yes' if same else 'NO'}")
        if "unbatched" in info:
            same, n = info["unbatched"]
            print(f"findings identical to the unbatched, per-document parse: "
                  f"{'yes' if same else f'NO ({n} differ)'}")
        if "compared" in info:
            same, n, count = info["compared"]
            print(f"findings identical to {args.compare_findings} ({count:,}): "
                  f"{'yes' if same else f'NO ({n} differ)'}")
        print("sizes: " + ", ".join(f"{k} {v / 1e6:.2f} MB" for k, v in info["sizes"].items()))
        if not (os.path.exists(CHROMIUM)):
            print(f"open: skipped, no Chromium at {CHROMIUM}")
            return 0
        r = open_in_chromium(info["html"], args.opens)
        best, med = min(r["load"]), statistics.median(r["load"])
        print(f"open in Chromium (to first page drawn): best {best:.2f} s, median {med:.2f} s over "
              f"{len(r['load'])} loads (target < 3 s: {'met' if med < 3 else 'MISSED'})")
        print(f"filter change: median {statistics.median(r['filter']) * 1000:.0f} ms; "
              f"page turn: median {statistics.median(r['page']) * 1000:.0f} ms")
        print(f"requests other than the file: {len(r['other_requests'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
