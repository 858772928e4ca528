"""``mt_eval.score``: every system of a corpus against its references.

Statistics are computed once per (system, metric) and reused for the corpus
score, sentence scores, confidence intervals and paired tests.
:func:`score_texts` does the same for plain lists of texts, without building
a :class:`~mt_eval.corpus.Corpus` (nor importing pandas unless a table is
asked for): ``mt-eval score`` on plain files takes that path.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import numpy as np

from .engine import make_engine, spec_of
from .errors import UsageError
from .metrics import OPTION_GROUP, build_metric
from .metrics.base import Metric
from .progress import progress
from .stats import DEFAULT_SEED, PAIRED_TESTS, Resamples, bootstrap_interval

if TYPE_CHECKING:
    import pandas as pd

    from .corpus import Corpus

DEFAULT_METRICS = ("bleu", "chrf", "ter")
DEFAULT_PAIRED_N = {"bs": 1000, "ar": 10000}


@dataclass
class ScoreResult:
    """What :func:`score` returns.

    ``corpus``: a DataFrame (built from ``rows`` on first use) with one row
    per (system, metric): ``score``, ``signature``,
    segment counts, and when asked for, the bootstrap interval (``bs_mean``,
    ``ci_halfwidth``, ``ci_low``, ``ci_high``) and the paired test against the
    baseline (``baseline``, ``test``, ``p_value``).

    ``segments``: one row per (segment, system) with ``doc_id``, ``seg_id``,
    ``system`` and one column per metric (sentence-level scores; ``NaN`` for
    segments without a reference).

    ``sentence_signatures``: metric name -> signature of the sentence scores
    (sentence BLEU uses effective order, as ``sacrebleu --sentence-level``).
    """
    rows: list[dict[str, Any]]
    segments: pd.DataFrame | None
    sentence_signatures: dict[str, str]
    metrics: list[Metric]
    stats: dict[tuple[str, str], np.ndarray] = field(repr=False, default_factory=dict)
    scored_mask: np.ndarray | None = field(repr=False, default=None)

    @functools.cached_property
    def corpus(self) -> pd.DataFrame:
        import pandas as pd
        return pd.DataFrame(self.rows)

    def table(self, value: str = "score") -> pd.DataFrame:
        """Systems x metrics pivot of one column of :attr:`corpus`, in the
        order the systems and metrics were scored (pivot alone sorts them)."""
        t = self.corpus.pivot(index="system", columns="metric", values=value)
        return t.loc[list(dict.fromkeys(self.corpus["system"])), list(dict.fromkeys(self.corpus["metric"]))]


def _as_corpus(corpus: Any) -> Corpus:
    import pandas as pd

    from .corpus import Corpus
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
    if isinstance(metrics, (str, Metric)):
        metrics = [metrics]    # score(df, "chrf"): one metric, not its letters
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
    hyps = {}
    for s in systems:
        hyps[s] = corpus.hypotheses(s)  # unknown system -> clear error
    systems, rows, stats, seg_scores, scored_idx, mask = _score(
        hyps, corpus.references, len(corpus), metric_objs, sentence_level=sentence_level,
        confidence=confidence, confidence_n=confidence_n, paired=paired, paired_n=paired_n,
        baseline=baseline, seed=seed, show_progress=show_progress, engine=engine, cache=cache,
        workers=workers, scheduler=scheduler)
    segments = _segment_frame(corpus.frame[["doc_id", "seg_id"]], systems, metric_objs, seg_scores,
                              scored_idx) if sentence_level else None
    sent_sigs = {m.name: m.sentence_signature() for m in metric_objs} if sentence_level else {}
    return ScoreResult(rows, segments, sent_sigs, metric_objs, stats, mask)


def score_texts(hypotheses: Mapping[str, Sequence[str]],
                references: Sequence[Sequence[str]],
                metrics: Sequence[str | Metric] = DEFAULT_METRICS,
                *,
                doc_id: str = "doc1",
                sentence_level: bool = False,
                **kwargs) -> ScoreResult:
    """:func:`score` for texts in lists: ``hypotheses`` maps each system to
    one text per segment, ``references[i]`` holds the references of segment
    ``i`` (none: not scored).  Same numbers as :func:`score` on the
    equivalent corpus; sentence-level rows are numbered ``seg_id`` 1..n in
    document ``doc_id``.  Keyword arguments are those of :func:`score`."""
    options = kwargs.pop("options", None)
    metric_objs = build_metrics(metrics, options)
    systems = kwargs.pop("systems", None)
    systems = list(systems) if systems is not None else list(hypotheses)
    n = len(references)
    hyps = {}
    for s in systems:
        if s not in hypotheses:
            raise UsageError(f"unknown system {s!r}; systems are: {', '.join(hypotheses) or 'none'}")
        if len(hypotheses[s]) != n:
            raise UsageError(f"system {s!r} has {len(hypotheses[s])} segments for {n} references")
        hyps[s] = list(hypotheses[s])
    refs = [r if isinstance(r, tuple) and None not in r else tuple(x for x in r if x is not None)
            for r in references]
    systems, rows, stats, seg_scores, scored_idx, mask = _score(hyps, refs, n, metric_objs,
                                                                sentence_level=sentence_level, **kwargs)
    segments = None
    sent_sigs = {}
    if sentence_level:
        import pandas as pd
        ids = pd.DataFrame({"doc_id": [doc_id] * n, "seg_id": range(1, n + 1)})
        segments = _segment_frame(ids, systems, metric_objs, seg_scores, scored_idx)
        sent_sigs = {m.name: m.sentence_signature() for m in metric_objs}
    return ScoreResult(rows, segments, sent_sigs, metric_objs, stats, mask)


def _score(hyps: Mapping[str, list[str]], refs: Sequence[tuple[str, ...]], n_segments: int,
           metric_objs: list[Metric], *, sentence_level: bool = True, confidence: bool = False,
           confidence_n: int = 1000, paired: str | None = None, paired_n: int | None = None,
           baseline: str | None = None, seed: int | None = DEFAULT_SEED,
           show_progress: bool | None = None, engine: Any = "fast", cache: bool | str | None = None,
           workers: int | None = None, scheduler: str | None = None):
    """The shared core: ``(systems in output order, rows, stats, sentence
    scores, scored indices, mask)``."""
    systems = list(hyps)
    if not systems:
        raise UsageError("the corpus has no system output (hypotheses) to score")
    for name, n in (("confidence_n", confidence_n), ("paired_n", paired_n)):
        if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
            raise UsageError(f"{name} must be a whole number of at least 1, got {n!r}")
    if paired is not None:
        if paired not in PAIRED_TESTS:
            raise UsageError(f"unknown paired test {paired!r}; use 'bs' or 'ar'")
        if len(systems) < 2:
            raise UsageError("a paired test needs at least two systems")
        baseline = baseline or systems[0]
        if baseline not in systems:
            raise UsageError(f"baseline {baseline!r} is not among the systems: {', '.join(systems)}")
        systems = [baseline] + [s for s in systems if s != baseline]
        paired_n = paired_n if paired_n is not None else DEFAULT_PAIRED_N[paired]

    mask = np.fromiter((len(r) > 0 for r in refs), dtype=bool, count=len(refs))
    needs_ref = [m for m in metric_objs if m.needs_reference]
    if needs_ref and not mask.any():
        names = ", ".join(m.name for m in needs_ref)
        raise UsageError(f"{names} {'needs' if len(needs_ref) == 1 else 'need'} references and the corpus has none")
    scored_idx = np.flatnonzero(mask)
    everything = len(scored_idx) == len(refs)
    ref_rows = refs if everything else [refs[i] for i in scored_idx]
    n_slots = max(map(len, ref_rows)) if ref_rows else 0
    if n_slots == 1:
        streams = [[r[0] for r in ref_rows]]
    else:
        streams = [[r[i] if i < len(r) else None for r in ref_rows] for i in range(n_slots)]
    stats: dict[tuple[str, str], np.ndarray] = {}
    rows: list[dict[str, Any]] = []
    seg_scores: dict[tuple[str, str], np.ndarray] = {}
    total = len(scored_idx) * len(systems) * len(metric_objs)
    hyps_by_system = [hyps[s] if everything else [hyps[s][i] for i in scored_idx] for s in systems]
    resamples = None
    if confidence and paired is None or paired == "bs":
        # every system and metric shares one set of bootstrap draws
        resamples = Resamples(len(scored_idx), confidence_n if paired is None else paired_n, seed)
    with _engine(engine, cache, workers, scheduler) as eng, \
            progress(total, "scoring", show_progress) as advance:
        if resamples is not None:
            # drawn while the statistics are computed, once the engine's
            # worker processes exist (a thread is never forked into them);
            # without workers, when the first interval needs them
            if hasattr(eng, "when_started"):
                eng.when_started(resamples.start)
            else:
                resamples.start()
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
                       "n_segments": n_segments,
                       "n_scored": int(len(scored_idx)), "higher_is_better": m.higher_is_better,
                       "details": sc.details}
                if confidence and paired is None:
                    iv = bootstrap_interval(m, st, confidence_n, seed, resamples=resamples)
                    row.update(iv.as_dict())
                    info = {"bs": confidence_n, "seed": _seed_str(seed)}
                    row["signature"] = m.signature(**info)
                    row["signature_short"] = m.signature(short=True, **info)
                rows.append(row)
                if sentence_level:
                    seg_scores[(system, m.name)] = m.sentence_scores(st)

    if paired is not None:
        _add_paired(rows, metric_objs, stats, systems, paired, paired_n, seed, resamples)
    return systems, uniform_rows(rows), stats, seg_scores, scored_idx, mask


def uniform_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every row with every key (first-seen order), missing values as NaN,
    as a DataFrame of them would hold them: formatters can then write the
    rows without pandas and give the same output."""
    keys = list(dict.fromkeys(k for r in rows for k in r))
    nan = float("nan")
    out = [{k: r.get(k, nan) for k in keys} for r in rows]
    for r in out:
        if r.get("p_value", 0.0) is None:  # the baseline has no p-value
            r["p_value"] = nan
    return out


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


def _add_paired(rows, metric_objs, stats, systems, test, n, seed, resamples) -> None:
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
            bl_row.update(bootstrap_interval(m, bl_stats, n, seed, paired_style=True,
                                             resamples=resamples).as_dict())
        shared = {"resamples": resamples} if test == "bs" else {}
        for system in systems[1:]:
            res = test_fn(m, bl_stats, stats[(system, m.name)], n, seed, **shared)
            row = by_key[(system, m.name)]
            row.update(baseline=baseline, test=test, p_value=res.p_value, **sigs)
            if res.interval is not None:
                row.update(res.interval.as_dict())


def _segment_frame(base: pd.DataFrame, systems, metric_objs, seg_scores, scored_idx) -> pd.DataFrame:
    import pandas as pd
    parts = []
    for system in systems:
        part = base.copy()
        part.insert(2, "system", system)
        for m in metric_objs:
            col = np.full(len(base), np.nan)
            col[scored_idx] = seg_scores[(system, m.name)]
            part[m.name] = col
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
