"""MQM TED en-de as a metric benchmark: loading, the dev/held-out split, scoring, correlations.

Shared by ``bench/eval_metrics.py`` (the judged table) and
``bench/neural_select.py`` (the search on the development half), so that
both read the data, split it and compute tau the same way.

Data: ../shared/data/mqm-ted-ende (Freitag et al. 2021; TED talks,
English->German, 529 segments x 13 systems, one expert rating each; the
``ref`` row is the reference itself and is left out).
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from shared_data import DATA as _SHARED_DATA  # noqa: E402

DATA = _SHARED_DATA / "mqm-ted-ende" / "mqm_ted_ende.segments.tsv"


def load_or_skip():
    """``(corpus, systems, H)``, ``H`` the MQM scores as a segments x systems
    array in corpus order; ``None``, after saying so, without the data."""
    if not DATA.exists():
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return None
    corpus, human = load_mqm()
    systems = corpus.systems
    return corpus, systems, human[systems].to_numpy()


def load_mqm():
    """``(corpus, human)``: the corpus (source, reference, one ``hyp:`` column per
    system) and the MQM scores as a segments x systems frame in corpus order."""
    import pandas as pd
    from mt_eval.corpus import Corpus
    d = pd.read_csv(DATA, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False)
    d = d[d["system"] != "ref"]
    segs = d.drop_duplicates(["doc", "seg_id"])[["doc", "seg_id", "source", "reference_refA"]]
    frame = segs.rename(columns={"doc": "doc_id", "reference_refA": "reference"}).reset_index(drop=True)
    wide = d.pivot(index=["doc", "seg_id"], columns="system", values="target")
    human = d.pivot(index=["doc", "seg_id"], columns="system", values="mqm_score").astype(float)
    keys = list(zip(frame["doc_id"], frame["seg_id"]))
    for system in wide.columns:
        frame[f"hyp:{system}"] = wide.loc[keys, system].values
    frame["src_lang"], frame["tgt_lang"] = "en", "de"
    return Corpus.from_frame(frame), human.loc[keys].reset_index(drop=True)


def dev_mask(corpus) -> np.ndarray:
    """The development half: segments of the odd-numbered talks (fixed before any score was seen)."""
    talk = corpus.frame["doc_id"].str.extract(r"(\d+)$")[0].astype(int).to_numpy()
    return talk % 2 == 1


def segment_matrix(result, metric_name: str, corpus, systems) -> np.ndarray:
    """Sentence scores of one metric from a ``ScoreResult`` as a segments x
    systems matrix in corpus order, signed so that higher is better."""
    m = next(m for m in result.metrics if m.name == metric_name)
    seg = result.segments.pivot(index=["doc_id", "seg_id"], columns="system", values=m.name)
    seg = seg.loc[list(zip(corpus.frame["doc_id"], corpus.frame["seg_id"]))][list(systems)].to_numpy()
    return seg if m.higher_is_better else -seg


def _sign_pairs(x: np.ndarray) -> np.ndarray:
    """Signs of all pairwise differences along the last axis (i < j)."""
    i, j = np.triu_indices(x.shape[-1], k=1)
    return np.sign(x[..., j] - x[..., i])


def itemwise_tau(metric: np.ndarray, human: np.ndarray) -> np.ndarray:
    """Per segment tau-b (rows = segments, columns = systems); NaN if undefined."""
    sm, sh = _sign_pairs(metric), _sign_pairs(human)
    num = (sm * sh).sum(axis=1)
    den = np.sqrt((sm != 0).sum(axis=1) * (sh != 0).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def flat_tau(metric: np.ndarray, human: np.ndarray) -> float:
    """tau-b over all (segment, system) items at once."""
    x, y = metric.ravel(), human.ravel()
    num = nx = ny = 0.0
    step = 512
    for a in range(0, len(x), step):
        dx = np.sign(x[a:a + step, None] - x[None, :])
        dy = np.sign(y[a:a + step, None] - y[None, :])
        num += float((dx * dy).sum())
        nx += float((dx != 0).sum())
        ny += float((dy != 0).sum())
    return num / np.sqrt(nx * ny)


def bootstrap_diff(a: np.ndarray, b: np.ndarray, n: int = 1000, seed: int = 12345):
    """Mean difference of two per-segment taus and its 95% paired bootstrap interval."""
    ok = ~np.isnan(a) & ~np.isnan(b)
    a, b = a[ok], b[ok]
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(n, len(a)))
    diffs = a[idx].mean(axis=1) - b[idx].mean(axis=1)
    return float(a.mean() - b.mean()), float(np.percentile(diffs, 2.5)), float(np.percentile(diffs, 97.5))
