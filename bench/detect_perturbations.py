"""Reference-free failure detection on perturbed WMT14 fr->en translations.

Originals: the French source and a real system's English output
(``onlineB``, a strong system) of newstest2014, lines ``--start`` to
``--start + --n``.  Each original gets four perturbed versions:

* ``drop``: one clause or sentence of the translation removed (the longest
  clause that is not the whole text; segments with one clause are skipped);
* ``append``: an unrelated sentence (the translation of a segment from
  another document) appended;
* ``copy``: the French source copied untranslated;
* ``shuffle``: the translation of another document's segment.

For each type, ROC AUC of telling perturbed from original pairs, with the
cross-lingual detectors' failure score (the largest margin over the
thresholds of XL001-XL004, see mt_eval.detectors.crosslingual) and with each
measurement alone; and the detectors' flag rates (what a user sees).

Run:  PYTHONPATH=. python bench/detect_perturbations.py [--n 500]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared_data import WMT14 as DATA  # noqa: E402


def auc(neg: np.ndarray, pos: np.ndarray) -> float:
    """P(score of a perturbed pair > score of an original), ties count half."""
    scores = np.concatenate([neg, pos])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):  # average ranks over ties
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = ranks[len(neg):].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def perturb(srcs, hyps, docs, seed=7):
    from mt_eval.detectors._crosslingual import clauses
    rng = random.Random(seed)
    n = len(hyps)
    out = {"drop": [], "append": [], "copy": [], "shuffle": []}

    def other(i):
        while True:
            j = rng.randrange(n)
            if docs[j] != docs[i]:
                return j
    for i, (s, h) in enumerate(zip(srcs, hyps)):
        cl = clauses(h)
        if len(cl) > 1:
            a, b = max(cl, key=lambda ab: ab[1] - ab[0])
            dropped = (h[:a].rstrip() + " " + h[b:].lstrip()).strip()
            if dropped.endswith(","):
                dropped = dropped[:-1] + "."
            out["drop"].append((i, dropped))
        out["append"].append((i, h.rstrip() + " " + hyps[other(i)].strip()))
        out["copy"].append((i, s))
        out["shuffle"].append((i, hyps[other(i)]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--start", type=int, default=1000)
    ap.add_argument("--system", default="onlineB.0")
    args = ap.parse_args()
    src_file = DATA / "fr-en" / "newstest2014-fren-src.fr"
    if not src_file.exists():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return 0
    from mt_eval.detectors.crosslingual import XL_DETECTORS, failure_margins, shared_encoder
    srcs = src_file.read_text(encoding="utf-8").splitlines()
    hyp_file = next((DATA / "fr-en" / "systems").glob(f"*{args.system}*"))
    hyps = hyp_file.read_text(encoding="utf-8").splitlines()
    docs = (DATA / "newstest2014-fren.docids").read_text().split()
    sl = slice(args.start, args.start + args.n)
    srcs, hyps, docs = srcs[sl], hyps[sl], docs[sl]
    variants = perturb(srcs, hyps, docs)
    from mt_eval.detectors._crosslingual import agreements
    encoder = shared_encoder()
    t0 = time.perf_counter()
    orig = agreements(list(zip(srcs, hyps)), encoder)
    results = {k: agreements([(srcs[i], h) for i, h in v], encoder) for k, v in variants.items()}
    secs = time.perf_counter() - t0
    print(f"WMT14 fr-en lines {args.start}-{args.start + args.n - 1}, system {args.system}: "
          f"{len(orig)} originals; encoded {encoder.encoded} texts in {secs:.0f}s")
    om = failure_margins(orig)
    comps = {"similarity low": lambda a: -a.similarity, "similarity high": lambda a: a.similarity,
             "omission gain": lambda a: a.omission, "addition gain": lambda a: a.addition}
    print(f"\n{'perturbation':10} {'n':>5} {'AUC (XL score)':>15} " +
          " ".join(f"{c:>16}" for c in comps) + "   flagged (orig / perturbed)")
    flag_orig = (om > 0).mean()
    for kind, res in results.items():
        idx = [i for i, _ in variants[kind]]
        pm = failure_margins(res)
        line = f"{kind:10} {len(res):5d} {auc(om[idx], pm):15.3f} "
        line += " ".join(f"{auc(np.array([f(orig[i]) for i in idx]), np.array([f(a) for a in res])):16.3f}"
                         for f in comps.values())
        line += f"   {(om[idx] > 0).mean():.1%} / {(pm > 0).mean():.1%}"
        print(line)
    print(f"\noriginals flagged by any XL detector: {flag_orig:.1%} (false alarms on real MT output)")
    print("detectors:", ", ".join(f"{d.code} {d.name}" for d in XL_DETECTORS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
