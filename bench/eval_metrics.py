"""How well do metrics agree with human MQM judgements?

Data: ../shared/data/mqm-ted-ende (Freitag et al. 2021; TED talks,
English->German, 529 segments x 13 systems, one expert rating each; the
``ref`` row is the reference itself and is left out).  For each metric,
computed through ``mt_eval.score``:

* item-wise Kendall tau: tau-b between metric and MQM over the 13 systems of
  one segment, averaged over segments (segments where all systems tie for
  the humans have no tau and are skipped);
* flat Kendall tau: tau-b over all (segment, system) items at once;
* system-level Pearson: corpus score vs mean MQM over the 13 systems;
* for item-wise tau, the 95% paired bootstrap interval (segments resampled,
  1000 draws) of the difference to sentence chrF, on all segments and on
  the held-out half (the even-numbered talks): settings chosen on the odd
  talks (``bench/neural_select.py``, e.g. ``bertscore-p``) are judged
  only on the held-out column, and the
  closing lines say which neural metric meets the issue's target there.

Metrics are ``metric[:model[:dtype]]``: ``bertscore:minilm:bf16``.

Run:  PYTHONPATH=. python bench/eval_metrics.py [--metrics ...] [--layers]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import mt_eval  # noqa: E402
from mt_eval.metrics import OPTION_GROUP  # noqa: E402

from mqm import bootstrap_diff, dev_mask, flat_tau, itemwise_tau, load_or_skip, segment_matrix  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--metrics", nargs="+", default=["bleu", "chrf", "ter", "bertscore", "sentsim",
                                                     "bertscore:minilm", "sentsim:minilm",
                                                     "bertscore-p"],
                    help="metric[:model[:dtype]] (neural metrics: model e5-small, minilm or a path; "
                         "dtype fp32 or bf16)")
    ap.add_argument("--layers", action="store_true", help="also sweep BERTScore layers (diagnostic)")
    ap.add_argument("--no-idf", action="store_true", help="BERTScore without idf as well")
    args = ap.parse_args()
    loaded = load_or_skip()
    if loaded is None:
        return 0
    corpus, systems, H = loaded
    print(f"MQM TED en-de: {len(corpus)} segments x {len(systems)} systems; "
          f"{int(np.isnan(itemwise_tau(H, H)).sum())} segments where every system ties for the raters")

    specs: list[tuple[str, str, dict]] = []
    for spec in args.metrics:
        name, _, rest = spec.partition(":")
        model, _, dtype = rest.partition(":")
        opts = {"model": model} if model else {}
        if dtype:
            opts["dtype"] = dtype
        specs.append((spec, name, opts))
        if name == "bertscore" and args.no_idf:
            specs.append((spec + " (no idf)", name, dict(opts, idf=False)))
    if args.layers:
        for model, n in (("e5-small", 12), ("minilm", 6)):
            for layer in range(1, n + 1):
                specs.append((f"bertscore:{model}@L{layer}", "bertscore", {"model": model, "layer": layer}))

    rows, per_seg = [], {}
    for label, name, opts in specs:
        t0 = time.perf_counter()
        if OPTION_GROUP.get(name) == "neural":
            from mt_eval.metrics import build_metric
            metric = build_metric(name, **opts)
            res = mt_eval.score(corpus, [metric], show_progress=False)
        else:
            res = mt_eval.score(corpus, [name], show_progress=False)
        secs = time.perf_counter() - t0
        m = res.metrics[0]
        seg = segment_matrix(res, m.name, corpus, systems)
        sign = 1.0 if m.higher_is_better else -1.0
        taus = itemwise_tau(seg, H)
        per_seg[label] = taus
        sys_scores = res.corpus.set_index("system").loc[systems, "score"].to_numpy() * sign
        pearson = float(np.corrcoef(sys_scores, H.mean(axis=0))[0, 1])
        rows.append({"metric": label, "name": m.name, "item_tau": float(np.nanmean(taus)),
                     "flat_tau": flat_tau(seg, H), "sys_pearson": pearson, "secs": secs,
                     "signature": m.sentence_signature()})
    base = per_seg.get("chrf")
    held = ~dev_mask(corpus)

    def diff(taus: np.ndarray, rows: np.ndarray) -> str:
        d, lo, hi = bootstrap_diff(taus[rows], base[rows])
        return f"{d:+.3f} [{lo:+.3f}, {hi:+.3f}]" + (" *" if lo > 0 or hi < 0 else "  ")

    print(f"\nheld-out half: the {held.sum()} segments of the even-numbered talks")
    print(f"{'metric':28} {'item tau':>9} {'flat tau':>9} {'sys r':>7}  {'Δ item tau vs chrF [95% CI]':>30}"
          f" {'held-out tau':>12} {'Δ held-out [95% CI]':>30} {'time':>7}")
    everything = np.ones(len(held), dtype=bool)
    for r in rows:
        taus = per_seg[r["metric"]]
        d_all = diff(taus, everything) if base is not None and r["metric"] != "chrf" else ""
        d_held = diff(taus, held) if base is not None and r["metric"] != "chrf" else ""
        print(f"{r['metric']:28} {r['item_tau']:9.3f} {r['flat_tau']:9.3f} {r['sys_pearson']:7.3f}  "
              f"{d_all:>30} {np.nanmean(taus[held]):12.3f} {d_held:>30} {r['secs']:6.1f}s")
    if base is not None:
        print("\nissue target (held-out Δ item tau vs chrF >= 0.02, 95% interval above zero):")
        for r in rows:
            if r["metric"] == "chrf" or OPTION_GROUP.get(r["metric"].split(":")[0].split()[0]) != "neural":
                continue
            d, lo, _ = bootstrap_diff(per_seg[r["metric"]][held], base[held])
            print(f"  {r['metric']:28} Δ {d:+.3f}, lower bound {lo:+.3f}: {'met' if d >= 0.02 and lo > 0 else 'missed'}")
    print("\n* interval excludes zero.  Signatures:")
    for r in rows:
        print(f"  {r['name']}: {r['signature']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
