"""Calibrate the length-ratio model of LR001/LR002 on human translations.

For each language pair, the log ratio of translation to source length (in
characters, smoothed by ``SMOOTH``) is modelled as normal with mean ``mu``
and a variance that shrinks with source length: ``var(L) = a + b / L``.
``mu`` is the median and the variance per length bin a robust estimate
(1.4826 * MAD)^2; ``a`` and ``b`` are fitted by least squares over the bins.

Data: WMT14 newstest2014 fr-en and en-fr (source vs reference, 3,003
segments each) and the TED en-de references of the MQM annotations.
Usage: python bench/calibrate_length.py [--write]
"""
from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import numpy as np

from shared_data import DATA  # noqa: E402  (bench/ is on sys.path when run as a script)
OUT = Path(__file__).resolve().parents[1] / "mt_eval" / "detectors" / "data" / "length_ratio.tsv"
SMOOTH = 10


def pairs():
    w = DATA / "wmt14-newstest-fr-en"
    for pair, src, ref in (("fr-en", "fr-en/newstest2014-fren-src.fr", "fr-en/newstest2014-fren-ref.en"),
                           ("en-fr", "en-fr/newstest2014-fren-src.en", "en-fr/newstest2014-fren-ref.fr")):
        s = (w / src).read_text(encoding="utf-8").splitlines()
        r = (w / ref).read_text(encoding="utf-8").splitlines()
        yield pair, f"WMT14 newstest2014 {pair} source/reference", list(zip(s, r))
    seen = {}
    with open(DATA / "mqm-ted-ende" / "mqm_ted_ende.segments.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            seen[row["source"]] = row["reference_refA"]
    yield "en-de", "MQM TED en-de (Freitag et al. 2021) source/refA", list(seen.items())


def fit(data):
    ls = np.array([len(s) for s, t in data if s.strip() and t.strip()], float)
    lt = np.array([len(t) for s, t in data if s.strip() and t.strip()], float)
    y = np.log((lt + SMOOTH) / (ls + SMOOTH))
    mu = float(np.median(y))
    edges = np.quantile(ls, np.linspace(0, 1, 11))
    xs, vs = [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (ls >= lo) & (ls <= hi)
        if m.sum() < 30:
            continue
        mad = np.median(np.abs(y[m] - mu))
        vs.append((1.4826 * mad) ** 2)
        xs.append(1.0 / np.median(ls[m]))
    A = np.vstack([np.ones(len(xs)), xs]).T
    (a, b), *_ = np.linalg.lstsq(A, np.array(vs), rcond=None)
    a, b = max(float(a), 1e-4), max(float(b), 0.0)
    z = (y - mu) / np.sqrt(a + b / ls)
    return mu, a, b, len(y), z


def main() -> None:
    rows = []
    for pair, source, data in pairs():
        mu, a, b, n, z = fit(data)
        tail = {k: float(np.mean(np.abs(z) > k)) for k in (3, 4, 5)}
        print(f"{pair}: n={n} mu={mu:.4f} (ratio {math.exp(mu):.3f}) a={a:.5f} b={b:.3f}  "
              + "  ".join(f"|z|>{k}: {v * 1000:.1f}/1000" for k, v in tail.items()))
        rows.append((pair, f"{mu:.5f}", f"{a:.6f}", f"{b:.4f}", str(n), source))
    if "--write" in sys.argv:
        lines = ["# Length-ratio model of LR001/LR002: log((len(translation)+10)/(len(source)+10)),",
                 "# in characters, ~ Normal(mu, a + b/len(source)). Fitted by bench/calibrate_length.py",
                 "# on human translations (median and robust per-length-bin variance).",
                 "# Columns: pair, mu, a, b, n (segments), data."]
        lines += ["\t".join(r) for r in rows]
        OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
