"""Time to gate a generated 1,000-item feed pair with `mt-eval ci`'s engine.

The feed pair is built from the bundled example items (corpora/feeds),
repeated with distinct ids and links until there are N translated items
(and N+N/4 source items, so unpaired items are part of the work).  Two runs:

* without the spaCy-based detectors (every registered detector whose
  ``requires_extra`` is not "nlp");
* with them (every registered detector), when the nlp extra is installed.

Each run is timed end to end (read and pair feeds, run detectors, judge,
render every output format), after one warm-up run that loads models, and
the best of --repeat runs is printed with items per second.

    PYTHONPATH=. python bench/ci_bench.py [--items 1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mt_eval.detectors.registry import all_detectors, instantiate  # noqa: E402
from mt_eval.formatters import gate_formats  # noqa: E402
from mt_eval.gate import gate_config, judge, run_checks  # noqa: E402
from mt_eval.gate_inputs import load_units  # noqa: E402


def _split(text: str, open_tag: str, close_tag: str) -> tuple[str, list[str], str]:
    head = text[:text.index(open_tag)]
    tail = text[text.rindex(close_tag) + len(close_tag):]
    items = re.findall(re.escape(open_tag) + r".*?" + re.escape(close_tag), text, re.S)
    return head, items, tail


def make_feeds(n: int, out: Path) -> tuple[Path, Path]:
    src = (ROOT / "corpora/feeds/journal-fr.rss").read_text(encoding="utf-8")
    tgt = (ROOT / "corpora/feeds/journal-en.atom").read_text(encoding="utf-8")
    s_head, s_items, s_tail = _split(src, "<item>", "</item>")
    t_head, t_items, t_tail = _split(tgt, "<entry>", "</entry>")
    ids = [re.search(r"<guid[^>]*>(.*?)</guid>", it).group(1) for it in s_items]
    s_out, t_out = [], []
    k = 0
    while len(t_out) < n:
        for sid, s_item in zip(ids, s_items):
            new = f"{sid}-{k}"
            s_out.append(s_item.replace(f">{sid}<", f">{new}<").replace(f"/{sid}<", f"/{new}<"))
            t_item = next((t for t in t_items if f"/{sid}\"" in t), None)
            if t_item is not None and len(t_out) < n:
                t_out.append(t_item.replace(f"/{sid}", f"/{new}"))
        k += 1
    s_path, t_path = out / "bench-fr.rss", out / "bench-en.atom"
    s_path.write_text(s_head + "\n".join(s_out) + s_tail, encoding="utf-8")
    t_path.write_text(t_head + "\n".join(t_out) + t_tail, encoding="utf-8")
    return s_path, t_path


def _cpu() -> float:
    """CPU seconds of this process and its children: less sensitive than
    wall time to other work on a shared machine."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def gate_once(paths, detectors) -> tuple[float, object, dict[str, float]]:
    """One gate run; returns total seconds, the result and per-phase seconds."""
    phases: dict[str, float] = {}
    cpu0 = _cpu()
    t0 = time.perf_counter()
    cfg = gate_config({"langpair": "fr-en"})
    units = load_units([str(p) for p in paths], cfg)
    t1 = time.perf_counter()
    checked = run_checks(units, cfg, detectors=detectors, show_progress=False)
    t2 = time.perf_counter()
    result = judge(checked)
    t3 = time.perf_counter()
    for render in gate_formats().values():
        render(result)
    t4 = time.perf_counter()
    phases.update(read_and_pair=t1 - t0, detectors=t2 - t1, judge=t3 - t2, render_6_formats=t4 - t3,
                  cpu=_cpu() - cpu0)
    return t4 - t0, result, phases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        paths = make_feeds(args.items, Path(d))
        size = sum(p.stat().st_size for p in paths)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"feeds: {args.items} translated items, {sum(1 for _ in open(paths[0]) if '<item>' in _)} "
              f"source items, {size / 1e6:.1f} MB")
        classes = all_detectors()
        runs = [("without spaCy detectors", [c for c in classes if getattr(c, "requires_extra", None) != "nlp"]),
                ("with spaCy detectors", classes)]
        for label, chosen in runs:
            dets = instantiate(chosen)
            unavailable = {d.code: w for d in dets if (w := type(d).available())}
            gate_once(paths, dets)   # warm-up: model loading, lexicons
            best, result, phases = min((gate_once(paths, dets) for _ in range(args.repeat)), key=lambda x: x[0])
            ran = [d.code for d in dets if d.code not in unavailable]
            segs = sum(u.n_segments for u in result.units)
            paired = sum(1 for it in result.items if it.status != "unpaired")
            print(f"{label}: {best:.2f} s for {paired} translated items ({segs} segments; "
                  f"+{len(result.items) - paired} unpaired source items) = "
                  f"{paired / best:.0f} items/s; {len(ran)} detectors ran"
                  + (f"; unavailable: {', '.join(sorted(unavailable))}" if unavailable else "")
                  + f"; {len(result.records)} findings, exit {result.exit_code}")
            print("    " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()))


if __name__ == "__main__":
    main()
