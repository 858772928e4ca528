"""Speed and memory of the neural metrics on WMT14 newstest (3,003 segments).

For each metric (in its own process, so peak memory is its own): load the
model, encode the 3,003 English references once (``prepare``), then score
one system's output (onlineB, fr->en).  Prints segments/s of the scoring
step (hypotheses encoded, references cached in memory) by wall clock and by
CPU time (the machine may be shared: CPU seconds / cores is what an idle
machine would take), the same with a warm on-disk cache, and peak RSS.

Metrics are ``metric:model[:dtype]`` (dtype fp32, the default, or bf16).

Run:  PYTHONPATH=. python bench/neural_speed.py [--metrics bertscore:minilm:bf16 ...] [--n 3003]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from shared_data import WMT14 as DATA  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def one(spec: str, n: int, cache_dir: str) -> dict:
    from mt_eval.metrics import build_metric
    name, _, rest = spec.partition(":")
    model, _, dtype = rest.partition(":")
    opts = {"model": model or None, "dtype": dtype or "fp32"}
    refs = (DATA / "fr-en" / "newstest2014-fren-ref.en").read_text(encoding="utf-8").splitlines()[:n]
    hyps = next((DATA / "fr-en" / "systems").glob("*onlineB.0*")).read_text(encoding="utf-8").splitlines()[:n]
    out = {"metric": spec, "n": len(hyps)}
    t, c = time.perf_counter(), _cpu()
    m = build_metric(name, cache_dir=cache_dir, show_progress=False, **opts)
    out["load_s"] = time.perf_counter() - t
    t, c = time.perf_counter(), _cpu()
    m.prepare([refs])
    out["refs_wall_s"], out["refs_cpu_s"] = time.perf_counter() - t, _cpu() - c
    t, c = time.perf_counter(), _cpu()
    stats = m.segment_statistics(hyps)
    out["score_wall_s"], out["score_cpu_s"] = time.perf_counter() - t, _cpu() - c
    out["score"] = m.aggregate(stats).value
    # again, everything now in the on-disk cache (a re-scored corpus)
    m2 = build_metric(name, cache_dir=cache_dir, show_progress=False, **opts)
    t = time.perf_counter()
    m2.prepare([refs])
    stats2 = m2.segment_statistics(hyps)
    out["warm_wall_s"] = time.perf_counter() - t
    out["warm_equal"] = bool((stats2 == stats).all())
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["signature"] = m.signature()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--metrics", nargs="+",
                    default=["bertscore:minilm", "sentsim:minilm", "bertscore:e5-small", "sentsim:e5-small",
                             "bertscore-p:e5-small"])
    ap.add_argument("--n", type=int, default=3003)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--cache-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    if args.one:
        print(json.dumps(one(args.one, args.n, args.cache_dir)))
        return 0
    cores = len(os.sched_getaffinity(0))
    print(f"WMT14 fr-en, {args.n} segments, {cores} cores, load average {os.getloadavg()[0]:.1f} at start")
    print(f"{'metric':20} {'load':>6} {'refs':>7} {'score':>7} {'seg/s':>7} {'seg/s (cpu)':>12} "
          f"{'warm':>6} {'peak RSS':>9}")
    for spec in args.metrics:
        with tempfile.TemporaryDirectory() as cache:
            proc = subprocess.run([sys.executable, __file__, "--one", spec, "--n", str(args.n),
                                   "--cache-dir", cache], capture_output=True, text=True,
                                  env=dict(os.environ, PYTHONPATH=str(ROOT)))
        if proc.returncode:
            print(f"{spec:20} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rate = r["n"] / r["score_wall_s"]
        rate_cpu = r["n"] / (r["score_cpu_s"] / cores)
        print(f"{spec:20} {r['load_s']:5.1f}s {r['refs_wall_s']:6.1f}s {r['score_wall_s']:6.1f}s {rate:7.1f} "
              f"{rate_cpu:12.1f} {r['warm_wall_s']:5.1f}s {r['peak_rss_mb']:7.0f}MB"
              f"{'' if r['warm_equal'] else '  (warm cache gave different statistics!)'}")
        print(f"{'':20} score {r['score']:.2f}  {r['signature']}")
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
