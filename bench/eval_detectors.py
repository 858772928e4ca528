"""Measure the detectors on real data; print every figure the issue asks for.

1. **WMT14 newstest2014 fr-en and en-fr** (all systems, sources, document
   ids from ``newstest2014-fren.docids``): findings per 1,000 segments for
   every detector, and a random sample of findings (fixed seed) with the
   source and the hypothesis, the span marked ``[[…]]``, so false
   positives are visible.  WMT news sentences hold no web boilerplate, so
   BP001/BP002 findings there are false positives by construction.
2. **Boilerplate precision and recall** on trafilatura's evaluation set
   (``trafilatura_eval.snippets.tsv``: snippets labelled ``main`` or
   ``boilerplate``, grouped by page).  Snippets carry no line order, so the
   position signal is switched off (``use_position=false``); each page is a
   document and the 990 pages form the corpus, so recurrence across pages
   counts (snippets are shuffled within a page with a fixed seed; their
   order does not matter once position is off).  A snippet is predicted
   boilerplate when BP001 flags it.  Pages are split in two halves by a
   hash of their URL: the feature weights were fitted and the threshold
   chosen on ``dev`` only (``bench/fit_boilerplate.py``); ``test`` is
   reported as the held-out figure.  The figures without recurrence show
   what the context-free signals alone give.
3. **Throughput** of ``mt-eval check`` (every detector but the gender ones)
   on both WMT directions: wall-clock and CPU seconds, segments per second,
   where a segment is one system's translation of one source sentence.

Usage: python bench/eval_detectors.py [--sample 8] [--seed 1] [--only wmt|bp|speed]
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from shared_data import DATA, HINT  # noqa: E402
WMT = DATA / "wmt14-newstest-fr-en"
TRAF = DATA / "boilerplate-trafilatura" / "trafilatura_eval.snippets.tsv"

from mt_eval.corpus import Corpus  # noqa: E402
from mt_eval.detectors import all_detectors  # noqa: E402
from mt_eval.detectors._langid import identify  # noqa: E402
from mt_eval.detectors.runner import check_corpus  # noqa: E402
from mt_eval.readers import read_parallel  # noqa: E402

GENDER = [d.code for d in all_detectors() if d.code.startswith("GN")]


def wmt_corpus(pair: str) -> Corpus:
    s, t = pair.split("-")
    hyps = {Path(p).name.split(".")[1]: p for p in sorted(glob.glob(str(WMT / pair / "systems" / "*")))}
    return read_parallel(src=str(WMT / pair / f"newstest2014-fren-src.{s}"), hyps=hyps,
                         docids=str(WMT / "newstest2014-fren.docids"), src_lang=s, tgt_lang=t)


def marked(text: str, start: int, end: int, width: int = 220) -> str:
    a = max(0, start - width // 2)
    b = min(len(text), end + width // 2)
    return ("…" if a else "") + text[a:start] + "[[" + text[start:end] + "]]" + text[end:b] + ("…" if b < len(text) else "")


def wmt(sample: int, seed: int) -> None:
    print("== WMT14 newstest2014 (findings per 1,000 segments; segment = one system's translation)")
    rows, samples = [], {}
    totals = {}
    for pair in ("fr-en", "en-fr"):
        corpus = wmt_corpus(pair)
        n = len(corpus) * len(corpus.systems)
        totals[pair] = n
        result = check_corpus(corpus, ignore=GENDER)
        f = result.findings
        counts = f.groupby("code").size()
        for det in result.detectors:
            rows.append({"pair": pair, "code": det.code, "findings": int(counts.get(det.code, 0)),
                         "per_1000": 1000 * counts.get(det.code, 0) / n,
                         "skipped": result.skipped.get(det.code, "")})
        index = {(d, s): i for i, (d, s) in enumerate(zip(corpus.frame.doc_id, corpus.frame.seg_id))}
        for fo in result.finding_objects:
            samples.setdefault(fo.code, []).append((pair, corpus, index, fo))
        print(f"{pair}: {len(corpus)} segments x {len(corpus.systems)} systems = {n}; "
              f"{len(f)} findings; errors {len(result.errors)}")
    table = pd.DataFrame(rows)
    wide = table.pivot(index="code", columns="pair", values="per_1000").fillna(0.0)
    found = table.groupby("code").findings.sum()
    wide["both"] = 1000 * found / sum(totals.values())
    wide["findings"] = found
    print(wide[["fr-en", "en-fr", "both", "findings"]].round(2).to_string())
    for code, why in sorted({(r["code"], r["skipped"]) for r in rows if r["skipped"]}):
        print(f"  ({code} skipped in a direction: {why})")
    rng = random.Random(seed)
    print(f"\n== Random sample of findings (seed {seed}, up to {sample} per detector)")
    for code in sorted(samples):
        items = samples[code]
        pick = rng.sample(items, min(sample, len(items)))
        print(f"\n-- {code} ({len(items)} findings)")
        for pair, corpus, index, f in pick:
            i = index[(f.doc_id, f.seg_id)]
            src = corpus.frame.source.iat[i]
            hyp = corpus.hypotheses(f.system)[i] if f.system else ""
            print(f"[{pair} {f.system or 'source'} {f.doc_id[:8]}:{f.seg_id}] {f.message}")
            if f.side == "source":
                print(f"   SRC: {marked(src, f.start, f.end)}")
                if hyp:
                    print(f"   HYP: {hyp[:300]}")
            else:
                print(f"   SRC: {src[:300]}")
                print(f"   HYP: {marked(hyp, f.start, f.end)}")


def trafilatura_corpus(seed: int) -> tuple[Corpus, pd.DataFrame]:
    df = pd.read_csv(TRAF, sep="\t", quoting=3, dtype=str, keep_default_na=False)
    df["split"] = ["dev" if int(hashlib.md5(u.encode()).hexdigest(), 16) % 2 == 0 else "test" for u in df.url]
    rng = random.Random(seed)
    parts = []
    for url, g in df.groupby("url", sort=True):
        g = g.sample(frac=1.0, random_state=rng.randrange(1 << 30))
        parts.append(g.assign(doc_id=url, seg_id=range(1, len(g) + 1)))
    df = pd.concat(parts, ignore_index=True)
    # Each page's language is identified from its own snippets, as a feed's
    # language would be known (the set mixes German, English, French, …).
    lang = {url: identify(" ".join(g.snippet), min_words=4)[0] for url, g in df.groupby("doc_id")}
    # Snippets are single lines; a stray line break would split one.
    frame = pd.DataFrame({"doc_id": df.doc_id, "seg_id": df.seg_id, "tgt_lang": df.doc_id.map(lang),
                          "hyp:page": df.snippet.str.replace("\n", " ", regex=False)})
    return Corpus(frame), df


def bp_scores(corpus: Corpus, df: pd.DataFrame, **options) -> pd.Series:
    result = check_corpus(corpus, select=["BP001"], options={"BP001": {"use_position": False, **options}})
    flagged = {(f.doc_id, f.seg_id) for f in result.finding_objects}
    return pd.Series([(d, s) in flagged for d, s in zip(df.doc_id, df.seg_id)], index=df.index)


def pr(pred: pd.Series, gold: pd.Series) -> str:
    tp = int((pred & gold).sum())
    p = tp / max(1, int(pred.sum()))
    r = tp / max(1, int(gold.sum()))
    return f"P {p:.3f}  R {r:.3f}  (flagged {int(pred.sum())}, true {tp}, boilerplate {int(gold.sum())})"


def boilerplate(seed: int) -> None:
    print("\n== Boilerplate (BP001) on trafilatura's evaluation snippets "
          "(no position signal; pages as documents; recurrence across the 990 pages)")
    corpus, df = trafilatura_corpus(seed)
    gold = df.label == "boilerplate"
    for label, opts in (("with recurrence", {}), ("context-free (no recurrence)", {"use_recurrence": False})):
        pred = bp_scores(corpus, df, **opts)
        print(f"{label}:")
        for split in ("dev", "test"):
            m = df.split == split
            print(f"  {split:4s} {pr(pred[m], gold[m])}")
        print(f"  all  {pr(pred, gold)}")
    from mt_eval.detectors._boilerplate_features import weights
    default = weights()[1]
    print(f"threshold sweep (with recurrence; default threshold {default}):")
    for th in [round(default + d, 1) for d in (-0.5, -0.2, -0.1, 0.0, 0.1, 0.2, 0.5, 1.0)]:
        pred = bp_scores(corpus, df, threshold=th)
        for split in ("dev", "test"):
            m = df.split == split
            print(f"  threshold {th:4.1f} {split:4s} {pr(pred[m], gold[m])}")


def speed() -> None:
    print("\n== Throughput of `mt-eval check` (every detector but gender), both WMT directions")
    out = Path(os.devnull)
    total_seg = total_wall = total_cpu = 0.0
    for pair in ("fr-en", "en-fr"):
        s, t = pair.split("-")
        hyps = sorted(glob.glob(str(WMT / pair / "systems" / "*")))
        argv = [sys.executable, "-m", "mt_eval", "check", "--src", str(WMT / pair / f"newstest2014-fren-src.{s}"),
                "--docids", str(WMT / "newstest2014-fren.docids"), "-l", pair, "-f", "jsonl", "-o", str(out),
                "--no-progress", "--no-config"]
        for h in hyps:
            argv += ["--hyp", h]
        if GENDER:
            argv += ["--ignore", ",".join(GENDER)]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        t0 = time.perf_counter()
        c0 = os.times()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True)
        c1 = os.times()
        wall = time.perf_counter() - t0
        cpu = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
        if proc.returncode != 0:
            print(proc.stderr)
            raise SystemExit(f"mt-eval check failed on {pair}")
        n = 3003 * len(hyps)
        total_seg += n
        total_wall += wall
        total_cpu += cpu
        print(f"{pair}: {n} segments in {wall:.1f} s wall ({n / wall:.0f} seg/s), {cpu:.1f} s CPU "
              f"({n / cpu:.0f} seg/s per CPU-second)")
    print(f"both: {total_seg:.0f} segments, {total_seg / total_wall:.0f} seg/s wall, "
          f"{total_seg / total_cpu:.0f} seg/s per CPU-second (load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=8, help="findings shown per detector")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=["wmt", "bp", "speed"])
    args = ap.parse_args()
    if not WMT.exists() or not TRAF.exists():
        raise SystemExit(f"shared data not found under {DATA} ({HINT})")
    if args.only in (None, "wmt"):
        wmt(args.sample, args.seed)
    if args.only in (None, "bp"):
        boilerplate(args.seed)
    if args.only in (None, "speed"):
        speed()


if __name__ == "__main__":
    main()
