"""Review reports: one self-contained HTML file, plus Markdown, JSON and tables.

>>> from mt_eval.report import make_report, write_report
>>> report = make_report(corpus)                    # scores + detectors + analyses
>>> write_report(report, "reports/news")            # news.html, news.md, news.json

:func:`build_report` assembles the report document from results you already
have (a :class:`~mt_eval.scoring.ScoreResult` and a
:class:`~mt_eval.detectors.CheckResult`); :func:`make_report` computes them.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from .data import SEVERITY_WEIGHTS, build_report
from .outputs import DEFAULT_FORMATS, SUFFIXES, output_paths, segment_table, write_report

__all__ = ["build_report", "make_report", "write_report", "segment_table", "render_html",
           "output_paths", "DEFAULT_FORMATS", "SUFFIXES", "SEVERITY_WEIGHTS"]


def render_html(report: dict) -> str:
    from .html import render_html as _render
    return _render(report)


def make_report(corpus, *, metrics: Sequence[str] = ("bleu", "chrf", "ter"),
                options: Mapping[str, Mapping] | None = None,
                systems: Sequence[str] | None = None,
                baseline: str | None = None, paired: str | None = "bs", paired_n: int | None = None,
                confidence_n: int = 1000, seed: int | None = 12345,
                detectors: "bool | Sequence" = True, select: Iterable[str] | None = None, ignore: Iterable[str] = (),
                extend_select: Iterable[str] = (), detector_options: Mapping[str, Mapping] | None = None,
                severities: Mapping[str, str] | None = None,
                title: str | None = None, rank_metric: str | None = None,
                show_progress: bool | None = None, workers: int | None = None) -> dict:
    """Score (when the corpus has references), run the detectors and build
    the report document.

    With references and several systems, scores carry bootstrap intervals
    and a paired test against ``baseline`` (``paired="bs"`` or ``"ar"``;
    ``None`` gives intervals only).  ``detectors``: ``True`` runs the
    selection (``select``/``ignore``/... as :func:`mt_eval.check`), ``False``
    none, or a list of ready detector instances (e.g. from the configuration
    file: :meth:`mt_eval.config.DetectorSettings.instantiate`).  ``workers``:
    processes for the scores and the detectors (default: as :func:`mt_eval.score`
    and :func:`mt_eval.check`).
    """
    from ..detectors import check_corpus
    from ..scoring import _as_corpus, score
    corpus = _as_corpus(corpus)
    chosen = list(systems) if systems is not None else corpus.systems
    result = None
    if corpus.has_references and metrics:
        use_paired = paired if paired and len(chosen) > 1 else None
        result = score(corpus, metrics, options=options, systems=chosen, sentence_level=True,
                       confidence=use_paired is None, confidence_n=confidence_n, paired=use_paired,
                       paired_n=paired_n, baseline=baseline, seed=seed, show_progress=show_progress,
                       workers=workers)
    checks = None
    if detectors is True:
        checks = check_corpus(corpus, select=select, ignore=ignore, extend_select=extend_select,
                              options=detector_options, severities=severities, systems=chosen,
                              show_progress=show_progress, workers=workers)
    elif detectors:
        checks = check_corpus(corpus, detectors=list(detectors), systems=chosen, show_progress=show_progress,
                              workers=workers)
    return build_report(corpus, result, checks, title=title, rank_metric=rank_metric)
