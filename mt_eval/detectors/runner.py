"""Running detectors over a corpus: ``mt_eval.check``.

Every (detector, system, document or segment) unit runs in isolation: a
detector that raises on one segment produces an entry in ``errors`` for that
segment and the run goes on, so every input segment is accounted for.
"""
from __future__ import annotations

import time
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
    say what was checked; ``languages`` the source and target languages used
    (``inferred`` lists those guessed from the text because the corpus did
    not say); ``timings`` the seconds spent in each detector; ``corpus`` the
    checked corpus (formatters show the segment text from it).
    """
    findings: pd.DataFrame
    errors: pd.DataFrame
    skipped: dict[str, str]
    detectors: list[Detector]
    n_segments: int
    systems: list[str]
    finding_objects: list[Finding] = field(default_factory=list, repr=False)
    corpus: Corpus | None = field(default=None, repr=False)
    languages: dict[str, str | None] = field(default_factory=dict)
    inferred: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def segment_row(self, doc_id: str, seg_id: int) -> int | None:
        """Row of the corpus holding segment ``(doc_id, seg_id)``."""
        if self.corpus is None:
            return None
        if not hasattr(self, "_rows"):
            self._rows = self.corpus.row_index()
        return self._rows.get((doc_id, int(seg_id)))

    def text_of(self, f: Finding | dict) -> str:
        """The text a finding's offsets index (its side of its segment)."""
        get = f.get if isinstance(f, dict) else lambda k: getattr(f, k)
        row = self.segment_row(get("doc_id"), get("seg_id"))
        if row is None:
            return ""
        if get("side") == "source":
            if not hasattr(self, "_sources"):
                self._sources = self.corpus.frame["source"].tolist()
            return self._sources[row]
        system = get("system")
        if system is None or system != system:
            return ""
        if not hasattr(self, "_hyps"):
            self._hyps = {}
        if system not in self._hyps:
            self._hyps[system] = self.corpus.hypotheses(system)
        return self._hyps[system][row]


def build_segments(corpus: Corpus, systems: Sequence[str]) -> dict[str | None, list[list[Segment]]]:
    """Per system, the documents as lists of :class:`Segment`, in corpus order."""
    f = corpus.frame
    doc_ids = f["doc_id"].tolist()
    seg_ids = f["seg_id"].tolist()
    sources = f["source"].tolist()
    refs = f["references"].tolist()
    # Missing languages may arrive as NaN from pandas; detectors expect None.
    src_langs = [l if isinstance(l, str) and l else None for l in f["src_lang"].tolist()]
    tgt_langs = [l if isinstance(l, str) and l else None for l in f["tgt_lang"].tolist()]
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


def infer_languages(corpus: Corpus, documents: dict[str | None, list[list[Segment]]]) -> tuple[dict, list]:
    """Fill in missing source/target languages from the text itself, so
    language-specific checks run on unlabelled input (plain ``--hyp`` files)."""
    from ._langid import guess_language
    f = corpus.frame
    langs: dict[str, str | None] = {}
    inferred = []
    src = next((l for l in f["src_lang"] if isinstance(l, str) and l), None)
    if src is None and corpus.has_source:
        src = guess_language([s for s in f["source"] if s])
        if src:
            inferred.append("source")
    langs["source"] = src
    given_tgt = next((l for l in f["tgt_lang"] if isinstance(l, str) and l), None)
    for system, docs in documents.items():
        tgt = given_tgt
        if tgt is None:
            tgt = guess_language([s.hypothesis for d in docs for s in d if s.hypothesis])
            if tgt:
                inferred.append(f"target ({system})")
        langs[f"target:{system}"] = tgt
        for d in docs:
            for seg in d:
                if seg.src_lang is None:
                    seg.src_lang = src
                if seg.tgt_lang is None:
                    seg.tgt_lang = tgt
    return langs, inferred


# Below this many (segment, system) units a second process costs more than it
# saves.  Measured with `mt-eval ci --ignore GN` on bench/ci_bench.py's feeds
# (cold command line, one process -> two): 465 segments 2.0-2.1 -> 1.9 s,
# 1,940 segments 3.8-4.3 -> 2.8-3.5 s, 7,750 segments 10.3-12.1 -> 6.7-8.4 s;
# with the spaCy checks (GN) 7,750 segments 19.6-24.0 -> 18.7-19.4 s (each
# process loads the pipelines first).  The workers inherit what the parent
# loaded (see _run_parallel), so a process that checks input after input
# does not load the models again (bench/ci_bench.py, warm, with GN:
# 11.7 -> 7.9 s).
PARALLEL_MIN_UNITS = 1000


def run(corpus: Corpus, detectors: Sequence[Detector], systems: Sequence[str] | None = None,
        show_progress: bool | None = None, workers: int | None = None) -> CheckResult:
    """Run ``detectors`` on ``corpus``.  ``workers``: processes to use
    (default: every core for large inputs, one otherwise)."""
    systems = list(systems) if systems is not None else corpus.systems
    if not systems:
        raise UsageError("the corpus has no system output (hypotheses) to check")
    documents = build_segments(corpus, systems)
    languages, inferred = infer_languages(corpus, documents)
    skipped: dict[str, str] = {}
    tgt_langs = {v for k, v in languages.items() if k.startswith("target:") and v}
    active = []
    for det in detectors:
        why = type(det).available()
        if why:
            skipped[det.code] = why
            continue
        if "source" in det.needs and not corpus.has_source:
            skipped[det.code] = "needs the source text, and none was given"
            continue
        if tgt_langs and not any(det.supports(t) for t in tgt_langs):
            skipped[det.code] = (f"target language {', '.join(sorted(tgt_langs))} not supported "
                                 f"(supports {', '.join(det.languages or ())})")
            continue
        active.append(det)
    # Work units: (system index, document index), document by document so
    # that a process gets every system of its documents and parses their
    # shared source once; source-only detectors run with the first system only.
    units = [(k, d) for d in range(len(documents[systems[0]])) for k in range(len(systems))]
    n_workers = _workers(workers, len(corpus) * len(systems))
    if n_workers > 1 and len(units) > 1:
        findings, errors, timings = _run_parallel(documents, systems, active, units, n_workers, show_progress)
    else:
        findings, errors, timings = _execute(documents, systems, active, units, show_progress)
    # input order: system by system as given (source-only checks first), then
    # row by row as in the file, whatever order the workers finished in
    row_of = corpus.row_index()
    rank = {s: k for k, s in enumerate(systems)}

    def place(system, doc_id, seg_id) -> tuple[int, int]:
        return -1 if system is None else rank.get(system, len(rank)), row_of.get((doc_id, int(seg_id)), -1)

    findings.sort(key=lambda x: (*place(x.system, x.doc_id, x.seg_id), x.side, x.start, x.code))
    errors.sort(key=lambda e: (*place(e["system"], e["doc_id"], e["seg_id"]), e["code"]))
    frame = pd.DataFrame([_row(f) for f in findings], columns=FINDING_COLUMNS)
    return CheckResult(frame, pd.DataFrame(errors, columns=ERROR_COLUMNS), skipped,
                       list(detectors), len(corpus), systems, findings, corpus=corpus,
                       languages=languages, inferred=inferred, timings=timings)


def _workers(requested: int | None, n_units: int) -> int:
    import os
    if requested is not None:
        return max(1, requested)
    env = os.environ.get("MT_EVAL_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    if n_units < PARALLEL_MIN_UNITS:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


# Segments per group of units handed to Detector.prepare: enough for full
# spaCy batches, few enough that the parses held in memory stay modest.
PREPARE_SEGMENTS = 4000


def _execute(documents, systems, active, units, show_progress=None, ctx: CorpusContext | None = None):
    """Run every active detector on the given (system, document) units.  The
    corpus context covers every document, so recurrence counts stay exact
    whatever share of the units a process runs; a worker keeps one for all
    its chunks, as its corpus-wide facts are computed over the whole corpus."""
    from ..progress import progress
    ctx = ctx if ctx is not None else CorpusContext(documents)
    findings: list[Finding] = []
    errors: list[dict] = []
    timings = {det.code: 0.0 for det in active}
    clock = time.perf_counter
    total = sum(len(documents[systems[k]][d]) for k, d in units) * len(active)
    preparing = [det for det in active if type(det).prepare is not Detector.prepare]
    with progress(total, "checking", show_progress) as advance:
        for group in _groups(units, documents, systems):
            contexts = []
            for k, d in group:
                doc_segments = documents[systems[k]][d]
                contexts.append((k, DocumentContext(doc_segments[0].doc_id, systems[k], doc_segments, ctx)))
            for det in preparing:
                mine = [doc for k, doc in contexts if (det.per_system or not k)
                        and any(det.supports(s.tgt_lang) for s in doc.segments)]
                if not mine:
                    continue
                t0 = clock()
                try:
                    det.prepare(mine)
                except Exception:  # the checks meet the same failure and report it per document
                    pass
                timings[det.code] += clock() - t0
            for k, doc in contexts:
                for det in active:
                    if k and not det.per_system:
                        continue
                    t0 = clock()
                    findings += _run_one(det, doc, errors)
                    timings[det.code] += clock() - t0
                    advance(len(doc.segments))
    return findings, errors, timings


def _groups(units, documents, systems):
    """Consecutive runs of units holding about PREPARE_SEGMENTS segments."""
    group, size = [], 0
    for k, d in units:
        group.append((k, d))
        size += len(documents[systems[k]][d])
        if size >= PREPARE_SEGMENTS:
            yield group
            group, size = [], 0
    if group:
        yield group


_SHARED: tuple | None = None  # what forked workers read instead of unpickling it


def _work(chunk):
    documents, systems, active, ctx = _SHARED
    return _execute(documents, systems, active, chunk, show_progress=False, ctx=ctx)


def _run_parallel(documents, systems, active, units, n_workers, show_progress):
    """Split the units into contiguous chunks of similar size, checked by
    ``n_workers - 1`` forked processes and by this one.

    The parent checks chunks too, rather than only waiting: the models and
    tables that loads (spaCy pipelines, lexicons) stay in this process, so
    the workers a later call forks inherit them instead of loading their
    own, and a process that checks input after input loads them once.  On a
    cold start the parent and the workers load at the same time, as workers
    alone would."""
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from ..progress import progress
    global _SHARED
    try:
        ctx = mp.get_context("fork")
    except ValueError:  # no fork (Windows, macOS spawn): one process
        return _execute(documents, systems, active, units, show_progress)
    sizes = [len(documents[systems[k]][d]) for k, d in units]
    # small enough that no process idles long at the end, large enough for
    # full parse batches in Detector.prepare
    n_chunks = n_workers * 8
    target = sum(sizes) / n_chunks
    chunks, cur, acc = [], [], 0
    for u, size in zip(units, sizes):
        cur.append(u)
        acc += size
        if acc >= target:
            chunks.append(cur)
            cur, acc = [], 0
    if cur:
        chunks.append(cur)
    corpus_ctx = CorpusContext(documents)
    _SHARED = (documents, systems, active, corpus_ctx)
    findings: list[Finding] = []
    errors: list[dict] = []
    timings = {det.code: 0.0 for det in active}

    def merge(chunk, result) -> None:
        f, e, t = result
        findings.extend(f)
        errors.extend(e)
        for code, secs in t.items():
            timings[code] += secs
        advance(sum(len(documents[systems[k]][d]) for k, d in chunk) * len(active))

    todo, pending = deque(chunks), deque()
    try:
        # one bar, in the parent: the workers' own bars would overwrite each other
        with progress(sum(sizes) * len(active), "checking", show_progress) as advance, \
                ProcessPoolExecutor(max_workers=n_workers - 1, mp_context=ctx) as pool:
            while todo or pending:
                # every worker has a chunk running and one queued; the parent checks the next
                while todo and len(pending) < 2 * (n_workers - 1):
                    chunk = todo.popleft()
                    pending.append((chunk, pool.submit(_work, chunk)))
                if todo:
                    chunk = todo.popleft()
                    merge(chunk, _execute(documents, systems, active, chunk, show_progress=False, ctx=corpus_ctx))
                while pending and (pending[0][1].done() or not todo):
                    chunk, future = pending.popleft()
                    merge(chunk, future.result())
    finally:
        _SHARED = None
    return findings, errors, timings


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
    needs_source = "source" in det.needs
    supported: dict[str | None, bool] = {}
    check = det.check_segment
    for seg in doc.segments:
        ok = supported.get(seg.tgt_lang)
        if ok is None:
            ok = supported[seg.tgt_lang] = det.supports(seg.tgt_lang)
        if not ok or (needs_source and not seg.source.strip()):
            continue
        try:
            out.extend(check(seg))
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
          show_progress: bool | None = None, detectors: Sequence[Detector] | None = None,
          workers: int | None = None) -> CheckResult:
    """Run the selected detectors on every system of ``corpus``.

    ``corpus`` is a :class:`~mt_eval.corpus.Corpus`, a DataFrame or a path.
    Selection works like the configuration file: ``select``/``ignore``/
    ``extend_select`` take code prefixes, names or groups; ``options`` maps
    a code to its options; ``severities`` maps a selector to a level.
    ``detectors`` (ready instances, e.g. from
    :meth:`mt_eval.config.DetectorSettings.instantiate`) replaces all of these.
    ``workers``: processes (default: every core for large inputs).
    """
    from ..scoring import _as_corpus
    corpus = _as_corpus(corpus)
    if systems is not None:
        for s in systems:
            corpus.hypotheses(s)  # unknown system -> clear error
    if detectors is None:
        classes = select_detectors(select, ignore, extend_select)
        detectors = instantiate(classes, options, severities)
    return run(corpus, detectors, systems, show_progress, workers)


def check(corpus, **kwargs) -> pd.DataFrame:
    """``mt_eval.check``: the findings as a DataFrame (see :func:`check_corpus`
    for the arguments).  Detector failures and skipped detectors ride along
    in ``df.attrs["errors"]`` and ``df.attrs["skipped"]``."""
    result = check_corpus(corpus, **kwargs)
    df = result.findings
    df.attrs["errors"] = result.errors
    df.attrs["skipped"] = result.skipped
    return df
