"""Running detectors over a corpus: ``mt_eval.check``.

Every (detector, system, document or segment) unit runs in isolation: a
detector that raises on one segment produces an entry in ``errors`` for that
segment and the run goes on, so every input segment is accounted for.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import pandas as pd

from ..corpus import Corpus
from ..errors import UsageError
from .base import CorpusContext, Detector, DocumentContext, Finding, Segment
from .registry import instantiate, select as select_detectors

FINDING_COLUMNS = ["doc_id", "seg_id", "system", "code", "name", "severity", "category", "side",
                   "start", "end", "span_text", "message", "suggestion", "confidence", "data"]
ERROR_COLUMNS = ["doc_id", "seg_id", "system", "code", "error"]


@dataclass
class CheckResult:
    """Findings and bookkeeping of one run.

    ``findings``: one row per finding (columns :data:`FINDING_COLUMNS`,
    ``severity`` as a lower-case name).  ``errors``: detector failures, one
    row per failed unit.  ``skipped``: detectors not run and why (language
    not supported, optional extra missing).  ``n_segments`` and ``systems``
    say what was checked.
    """
    findings: pd.DataFrame
    errors: pd.DataFrame
    skipped: dict[str, str]
    detectors: list[Detector]
    n_segments: int
    systems: list[str]
    finding_objects: list[Finding] = field(default_factory=list, repr=False)


def build_segments(corpus: Corpus, systems: Sequence[str]) -> dict[str | None, list[list[Segment]]]:
    """Per system, the documents as lists of :class:`Segment`, in corpus order."""
    f = corpus.frame
    doc_ids = f["doc_id"].tolist()
    seg_ids = f["seg_id"].tolist()
    sources = f["source"].tolist()
    refs = f["references"].tolist()
    src_langs = f["src_lang"].tolist()
    tgt_langs = f["tgt_lang"].tolist()
    # Document boundaries: contiguous runs of one doc_id.
    bounds = []
    start = 0
    for i in range(1, len(doc_ids) + 1):
        if i == len(doc_ids) or doc_ids[i] != doc_ids[start]:
            bounds.append((start, i))
            start = i
    out: dict[str | None, list[list[Segment]]] = {}
    for system in systems:
        hyps = corpus.hypotheses(system)
        docs = []
        for a, b in bounds:
            docs.append([Segment(doc_ids[i], seg_ids[i], system, sources[i], hyps[i], refs[i],
                                 src_langs[i], tgt_langs[i], i, i - a, b - a) for i in range(a, b)])
        out[system] = docs
    return out


def run(corpus: Corpus, detectors: Sequence[Detector], systems: Sequence[str] | None = None,
        show_progress: bool | None = None) -> CheckResult:
    systems = list(systems) if systems is not None else corpus.systems
    if not systems:
        raise UsageError("the corpus has no system output (hypotheses) to check")
    documents = build_segments(corpus, systems)
    ctx = CorpusContext(documents)
    findings: list[Finding] = []
    errors: list[dict] = []
    skipped: dict[str, str] = {}
    tgt_langs = {t for t in corpus.frame["tgt_lang"] if t}
    active = []
    for det in detectors:
        why = type(det).available()
        if why:
            skipped[det.code] = why
            continue
        if tgt_langs and not any(det.supports(t) for t in tgt_langs):
            skipped[det.code] = (f"target language {', '.join(sorted(tgt_langs))} not supported "
                                 f"(supports {', '.join(det.languages or ())})")
            continue
        active.append(det)
    from ..progress import progress
    total = len(corpus) * len(systems) * len(active)
    with progress(total, "checking", show_progress) as advance:
        for system in systems:
            for doc_segments in documents[system]:
                doc = DocumentContext(doc_segments[0].doc_id, system, doc_segments, ctx)
                for det in active:
                    findings += _run_one(det, doc, errors)
                    advance(len(doc_segments))
    frame = pd.DataFrame([_row(f) for f in findings], columns=FINDING_COLUMNS)
    return CheckResult(frame, pd.DataFrame(errors, columns=ERROR_COLUMNS), skipped,
                       list(detectors), len(corpus), systems, findings)


def _applies(det: Detector, seg: Segment) -> bool:
    if not det.supports(seg.tgt_lang):
        return False
    if "source" in det.needs and not seg.source.strip():
        return False
    return True


def _run_one(det: Detector, doc: DocumentContext, errors: list[dict]) -> list[Finding]:
    if "document" in det.needs:
        segs = [s for s in doc.segments if det.supports(s.tgt_lang)]
        if not segs:
            return []
        try:
            return list(det.check_document(doc))
        except Exception as exc:  # isolate: one bad document never stops the run
            errors.append({"doc_id": doc.doc_id, "seg_id": 0, "system": doc.system,
                           "code": det.code, "error": _describe(exc)})
            return []
    out: list[Finding] = []
    for seg in doc.segments:
        if not _applies(det, seg):
            continue
        try:
            out.extend(det.check_segment(seg))
        except Exception as exc:  # isolate: one bad segment never stops the run
            errors.append({"doc_id": seg.doc_id, "seg_id": seg.seg_id, "system": seg.system,
                           "code": det.code, "error": _describe(exc)})
    return out


def _describe(exc: Exception) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    loc = f" at {where.filename.rsplit('/', 1)[-1]}:{where.lineno}" if where else ""
    return f"{type(exc).__name__}: {exc}{loc}"


def _row(f: Finding) -> dict:
    d = f.as_dict()
    return {k: d[k] for k in FINDING_COLUMNS}


def check_corpus(corpus, *, select: Iterable[str] | None = None, ignore: Iterable[str] = (),
          extend_select: Iterable[str] = (), options: Mapping[str, Mapping] | None = None,
          severities: Mapping[str, str] | None = None, systems: Sequence[str] | None = None,
          show_progress: bool | None = None) -> CheckResult:
    """Run the selected detectors on every system of ``corpus``.

    ``corpus`` is a :class:`~mt_eval.corpus.Corpus`, a DataFrame or a path.
    """
    from ..scoring import _as_corpus
    corpus = _as_corpus(corpus)
    classes = select_detectors(select, ignore, extend_select)
    detectors = instantiate(classes, options, severities)
    return run(corpus, detectors, systems, show_progress)


def check(corpus, **kwargs) -> pd.DataFrame:
    """``mt_eval.check``: the findings as a DataFrame (see :func:`check_corpus`
    for the arguments).  Detector failures and skipped detectors ride along
    in ``df.attrs["errors"]`` and ``df.attrs["skipped"]``."""
    result = check_corpus(corpus, **kwargs)
    df = result.findings
    df.attrs["errors"] = result.errors
    df.attrs["skipped"] = result.skipped
    return df
