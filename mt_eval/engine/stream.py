"""Corpus scores of plain files too big to hold: read, score and forget
block by block (``mt-eval score --stream``).

The normal path builds the corpus table (every text in memory, which is what
documents, detectors and reports need).  For corpus-level scores of very
large line-aligned files only the per-segment statistics are needed: the
files are read in blocks of lines, each block goes through the engine (and
its cache), and only the statistics matrix is kept (a few dozen bytes per
segment), so memory no longer grows with the text.  Lines are read exactly
as the plain-text reader reads them (BOM dropped, universal newlines,
right-stripped, strict UTF-8 with the line in errors).
"""
from __future__ import annotations

from contextlib import ExitStack
from typing import Iterator, Mapping, Sequence

import numpy as np

from ..errors import InputError, UsageError
from ..fileio import open_input

BLOCK = 50000  # lines per block: the text of one block is all that is held


def _lines(path: str, f) -> Iterator[str]:
    """Lines of an open binary file as ``readers.textfile.read_lines`` gives them."""
    physical = 0
    for raw in f:
        if physical == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        physical += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = len(raw[:exc.start].decode("utf-8", "replace")) + 1
            raise InputError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); convert the file to UTF-8",
                             path, physical, column) from None
        if text.endswith("\n"):
            text = text[:-1]
        if text.endswith("\r"):
            text = text[:-1]
        # a lone CR ends a line too (universal newlines, as sacrebleu reads)
        for part in text.split("\r"):
            yield part.rstrip()


def _open(path: str, stack: ExitStack):
    return stack.enter_context(open_input(path))


def read_blocks(paths: Sequence[str], block: int = BLOCK) -> Iterator[list[list[str]]]:
    """Blocks of aligned lines: ``[lines of file 0, lines of file 1, ...]``."""
    with ExitStack() as stack:
        iters = [_lines(p, _open(p, stack)) for p in paths]
        seen_text = [False] * len(paths)
        total = 0
        while True:
            cols: list[list[str]] = [[] for _ in paths]
            for k, it in enumerate(iters):
                col = cols[k]
                for line in it:
                    col.append(line)
                    if len(col) == block:
                        break
                seen_text[k] = seen_text[k] or any(col)
            counts = {len(c) for c in cols}
            if len(counts) > 1:
                n = [total + len(c) + sum(1 for _ in iters[k]) for k, c in enumerate(cols)]
                a = min(range(len(paths)), key=n.__getitem__)
                b = max(range(len(paths)), key=n.__getitem__)
                raise InputError(f"{n[a]} lines, but {paths[b]} has {n[b]}: files must be line-aligned",
                                 paths[a])
            size = counts.pop()
            if size == 0:
                break
            total += size
            yield cols
        for k, p in enumerate(paths):
            if not seen_text[k]:
                raise InputError("file is empty", p)


def score_files(hyps: Mapping[str, str], refs: Sequence[str], metrics=("bleu", "chrf", "ter"), *,
                options=None, engine="fast", cache=None, workers=None, scheduler=None,
                confidence: bool = False, confidence_n: int = 1000, seed: int | None = 12345,
                block: int = BLOCK, progress=None):
    """Corpus scores of line-aligned plain files, streamed.

    Returns a :class:`~mt_eval.scoring.ScoreResult` without segment rows
    (``segments`` is ``None``); corpus scores, signatures and bootstrap
    intervals are those :func:`mt_eval.score` gives for the same files.
    """
    from ..scoring import ScoreResult, _seed_str, build_metrics, uniform_rows
    from ..stats import Resamples, bootstrap_interval
    from . import make_engine, spec_of

    if not hyps or not refs:
        raise UsageError("--stream needs --hyp and --ref files")
    metric_objs = build_metrics(metrics, options)
    unsupported = [m.name for m in metric_objs if spec_of(m) is None]
    if unsupported:
        raise UsageError(f"--stream supports BLEU, chrF and TER only, not {', '.join(unsupported)}")
    eng = make_engine(engine, workers=workers, scheduler=scheduler, cache=cache) \
        if isinstance(engine, str) else engine
    if eng is None:
        raise UsageError("--stream needs the fast or dask engine")
    names = list(hyps)
    parts: dict[tuple[str, str], list[np.ndarray]] = {(s, m.name): [] for s in names for m in metric_objs}
    n = 0
    try:
        for m in metric_objs:
            m.engine = eng
        for cols in read_blocks([hyps[s] for s in names] + list(refs), block):
            hyp_cols, streams = cols[:len(names)], cols[len(names):]
            n += len(cols[0])
            for m in metric_objs:
                m.prepare(streams)
                for s, st in zip(names, m.segment_statistics_many(hyp_cols, progress=progress)):
                    # counts fit in int32; halving the only thing we keep
                    parts[(s, m.name)].append(st.astype(np.int32) if st.dtype == np.int64 else st)
    finally:
        if isinstance(engine, str):
            eng.close()
    rows, stats = [], {}
    resamples = Resamples(n, confidence_n, seed) if confidence else None
    for s in names:
        for m in metric_objs:
            st = np.concatenate(parts.pop((s, m.name)))
            stats[(s, m.name)] = st
            sc = m.aggregate(st.astype(np.int64) if st.dtype == np.int32 else st)
            row = {"system": s, "metric": m.name, "score": sc.value, "signature": sc.signature,
                   "signature_short": m.signature(short=True), "n_segments": n, "n_scored": n,
                   "higher_is_better": m.higher_is_better, "details": sc.details}
            if confidence:
                row.update(bootstrap_interval(m, st, confidence_n, seed, resamples=resamples).as_dict())
                info = {"bs": confidence_n, "seed": _seed_str(seed)}
                row["signature"] = m.signature(**info)
                row["signature_short"] = m.signature(short=True, **info)
            rows.append(row)
    return ScoreResult(uniform_rows(rows), None, {}, metric_objs, stats, None)

