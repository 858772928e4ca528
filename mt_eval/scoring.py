"""``mt_eval.score``: every system of a corpus against its references.

Statistics are computed once per (system, metric) and reused for the corpus
score, sentence scores, confidence intervals and paired tests.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .corpus import Corpus
from .engine import make_engine, spec_of
from .errors import UsageError
from .metrics import OPTION_GROUP, build_metric
from .metrics.base import Metric
from .progress import progress
from .stats import DEFAULT_SEED, PAIRED_TESTS, bootstrap_interval

DEFAULT_METRICS = ("bleu", "chrf", "ter")
DEFAULT_PAIRED_N = {"bs": 1000, "ar": 10000}


@dataclass
class ScoreResult:
    """What :func:`score` returns.

    ``corpus``: one row per (system, metric): ``score``, ``signature``,
    segment counts, and when asked for, the bootstrap interval (``bs_mean``,
    ``ci_halfwidth``, ``ci_low``, ``ci_high``) and the paired test against the
    baseline (``baseline``, ``test``, ``p_value``).

    ``segments``: one row per (segment, system) with ``doc_id``, ``seg_id``,
    ``system`` and one column per metric (sentence-level scores; ``NaN`` for
    segments without a reference).

    ``sentence_signatures``: metric name -> signature of the sentence scores
    (sentence BLEU uses effective order, as ``sacrebleu --sentence-level``).
    """
    corpus: pd.DataFrame
    segments: pd.DataFrame | None
    sentence_signatures: dict[str, str]
    metrics: list[Metric]
    stats: dict[tuple[str, str], np.ndarray] = field(repr=False, default_factory=dict)
    scored_mask: np.ndarray | None = field(repr=False, default=None)

    def table(self, value: str = "score") -> pd.DataFrame:
        """Systems x metrics pivot of one column of :attr:`corpus`."""
        return self.corpus.pivot(index="system", columns="metric", values=value)


def _as_corpus(corpus: Any) -> Corpus:
    if isinstance(corpus, Corpus):
        return corpus
    if isinstance(corpus, pd.DataFrame):
        return Corpus.from_frame(corpus)
    if isinstance(corpus, str):
        from .readers import load_corpus
        return load_corpus(corpus)
    raise UsageError("score() takes a Corpus, a pandas DataFrame or a corpus file path")


def build_metrics(metrics: Iterable[str | Metric],
                  options: Mapping[str, Mapping[str, Any]] | None = None) -> list[Metric]:
    """Metric objects from names, each with its option group
    (``options={"bleu": {...}, "chrf": {...}, "ter": {...}}``)."""
    options = options or {}
    unknown = set(options) - set(OPTION_GROUP.values())
    if unknown:
        raise UsageError(f"unknown metric option group(s): {', '.join(sorted(unknown))}")
    out = []
    for m in metrics:
        if isinstance(m, Metric):
            out.append(m)
        else:
            out.append(build_metric(m, **dict(options.get(OPTION_GROUP.get(m.lower(), ""), {}))))
    names = [m.name for m in out]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise UsageError(f"metric asked for twice: {', '.join(sorted(dup))}")
    return out


def score(corpus: Corpus | pd.DataFrame | str,
          metrics: Sequence[str | Metric] = DEFAULT_METRICS,
          *,
          options: Mapping[str, Mapping[str, Any]] | None = None,
          systems: Sequence[str] | None = None,
          sentence_level: bool = True,
          confidence: bool = False,
          confidence_n: int = 1000,
          paired: str | None = None,
          paired_n: int | None = None,
          baseline: str | None = None,
          seed: int | None = DEFAULT_SEED,
          show_progress: bool | None = None,
          engine: Any = "fast",
          cache: bool | str | None = None,
          workers: int | None = None,
          scheduler: str | None = None) -> ScoreResult:
    """Score every system of ``corpus`` with ``metrics``.

    ``paired`` is ``"bs"`` (paired bootstrap) or ``"ar"`` (approximate
    randomization); each system is compared with ``baseline`` (default: the
    first system).  ``seed`` fixes every resampling (sacrebleu's default
    12345); ``None`` draws fresh entropy.

    ``engine`` computes the per-segment statistics (identical numbers
    whichever): ``"fast"`` (default, every core, statistics cache),
    ``"sacrebleu"`` (sacrebleu's own code), ``"dask"`` (a Dask cluster at
    ``scheduler``, or a local one), or an engine object.  ``cache``: ``None``
    for the default statistics cache (off with ``MT_EVAL_CACHE=0``),
    ``False`` for none, or a directory.  See :mod:`mt_eval.engine`.
    """
    corpus = _as_corpus(corpus)
    metric_objs = build_metrics(metrics, options)
    systems = list(systems) if systems is not None else corpus.systems
    if not systems:
        raise UsageError("the corpus has no system output (hypotheses) to score")
    for s in systems:
        corpus.hypotheses(s)  # unknown system -> clear error
    if paired is not None:
        if paired not in PAIRED_TESTS:
            raise UsageError(f"unknown paired test {paired!r}; use 'bs' or 'ar'")
        if len(systems) < 2:
            raise UsageError("a paired test needs at least two systems")
        baseline = baseline or systems[0]
        if baseline not in systems:
            raise UsageError(f"baseline {baseline!r} is not among the systems: {', '.join(systems)}")
        systems = [baseline] + [s for s in systems if s != baseline]
        paired_n = paired_n or DEFAULT_PAIRED_N[paired]

    refs = corpus.references
    mask = np.array([len(r) > 0 for r in refs], dtype=bool)
    needs_ref = [m for m in metric_objs if m.needs_reference]
    if needs_ref and not mask.any():
        raise UsageError(f"{', '.join(m.name for m in needs_ref)} need references and the corpus has none")
    scored_idx = np.flatnonzero(mask)
    ref_rows = [refs[i] for i in scored_idx]
    n_slots = max(len(r) for r in ref_rows) if ref_rows else 0
    streams = [[r[i] if i < len(r) else None for r in ref_rows] for i in range(n_slots)]
    stats: dict[tuple[str, str], np.ndarray] = {}
    rows: list[dict[str, Any]] = []
    seg_scores: dict[tuple[str, str], np.ndarray] = {}
    total = len(scored_idx) * len(systems) * len(metric_objs)
    hyps_by_system = []
    for system in systems:
        hyps_all = corpus.hypotheses(system)
        hyps_by_system.append([hyps_all[i] for i in scored_idx])
    with _engine(engine, cache, workers, scheduler) as eng, \
            progress(total, "scoring", show_progress) as advance:
        for m in needs_ref:
            if eng is not None and spec_of(m) is not None:
                m.engine = eng
            m.prepare(streams)
        # Per metric, all systems at once: an engine then handles each chunk
        # of references once for every system.
        for m in metric_objs:
            for system, st in zip(systems, m.segment_statistics_many(hyps_by_system, progress=advance)):
                stats[(system, m.name)] = st
        for system in systems:
            for m in metric_objs:
                st = stats[(system, m.name)]
                sc = m.aggregate(st)
                row = {"system": system, "metric": m.name, "score": sc.value,
                       "signature": sc.signature, "signature_short": m.signature(short=True),
                       "n_segments": len(corpus),
                       "n_scored": int(len(scored_idx)), "higher_is_better": m.higher_is_better,
                       "details": sc.details}
                if confidence and paired is None:
                    iv = bootstrap_interval(m, st, confidence_n, seed)
                    row.update(iv.as_dict())
                    info = {"bs": confidence_n, "seed": _seed_str(seed)}
                    row["signature"] = m.signature(**info)
                    row["signature_short"] = m.signature(short=True, **info)
                rows.append(row)
                if sentence_level:
                    seg_scores[(system, m.name)] = m.sentence_scores(st)

    if paired is not None:
        _add_paired(rows, metric_objs, stats, systems, paired, paired_n, seed)

    corpus_df = pd.DataFrame(rows)
    segments = _segment_frame(corpus, systems, metric_objs, seg_scores, scored_idx) if sentence_level else None
    sent_sigs = {m.name: m.sentence_signature() for m in metric_objs} if sentence_level else {}
    return ScoreResult(corpus_df, segments, sent_sigs, metric_objs, stats, mask)


@contextmanager
def _engine(engine: Any, cache, workers, scheduler):
    """The engine object for ``score``'s arguments, closed afterwards when
    ``score`` made it."""
    if engine is None or not isinstance(engine, str):
        yield engine
        return
    made = make_engine(engine, workers=workers, scheduler=scheduler, cache=cache)
    try:
        yield made
    finally:
        if made is not None:
            made.close()


def _seed_str(seed: int | None) -> str:
    return str(seed).lower()


def _add_paired(rows, metric_objs, stats, systems, test, n, seed) -> None:
    baseline = systems[0]
    by_key = {(r["system"], r["metric"]): r for r in rows}
    test_fn = PAIRED_TESTS[test]
    for m in metric_objs:
        bl_stats = stats[(baseline, m.name)]
        # sacrebleu's signature for paired runs: seed, trials, and for the
        # bootstrap test the resample count.
        sig_info = {"seed": _seed_str(seed), test: n}
        bl_row = by_key[(baseline, m.name)]
        sigs = {"signature": m.signature(**sig_info), "signature_short": m.signature(short=True, **sig_info)}
        bl_row.update(baseline=baseline, test=test, p_value=None, **sigs)
        if test == "bs":
            bl_row.update(bootstrap_interval(m, bl_stats, n, seed, paired_style=True).as_dict())
        for system in systems[1:]:
            res = test_fn(m, bl_stats, stats[(system, m.name)], n, seed)
            row = by_key[(system, m.name)]
            row.update(baseline=baseline, test=test, p_value=res.p_value, **sigs)
            if res.interval is not None:
                row.update(res.interval.as_dict())


def _segment_frame(corpus: Corpus, systems, metric_objs, seg_scores, scored_idx) -> pd.DataFrame:
    base = corpus.frame[["doc_id", "seg_id"]]
    parts = []
    for system in systems:
        part = base.copy()
        part.insert(2, "system", system)
        for m in metric_objs:
            col = np.full(len(corpus), np.nan)
            col[scored_idx] = seg_scores[(system, m.name)]
            part[m.name] = col
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
