"""Columns of findings in their input file, where they can be told.

A finding knows its segment's line in the feed or corpus file; its span is
text extracted from (possibly escaped) markup, so the column is found by
searching the span on that line.  When a span occurs several times on the
line, the k-th finding of a detector with that span (in text order) takes
the k-th occurrence, provided the counts agree; otherwise no column is claimed.
Files larger than :data:`MAX_BYTES` are not re-read.
"""
from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Sequence

MAX_BYTES = 32 << 20


class LineSource:
    def __init__(self):
        self._lines: dict[str, list[str] | None] = {}

    def line(self, path: str, n: int) -> str | None:
        if path not in self._lines:
            try:
                if os.path.getsize(path) > MAX_BYTES:
                    self._lines[path] = None
                else:
                    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
                        self._lines[path] = fh.read().replace("\r\n", "\n").replace("\r", "\n").split("\n")
            except OSError:
                self._lines[path] = None
        lines = self._lines[path]
        return lines[n - 1] if lines is not None and 0 < n <= len(lines) else None


def _pattern(span: str) -> re.Pattern:
    left = r"(?<!\w)" if span[:1].isalnum() else ""
    right = r"(?!\w)" if span[-1:].isalnum() else ""
    return re.compile(left + re.escape(span) + right)


def columns(records: Sequence, source: LineSource | None = None) -> None:
    """Set ``column`` and ``end_column`` (1-based, end exclusive) on records
    that have ``path``, ``line`` and a one-line span found on that line."""
    source = source or LineSource()
    groups: dict[tuple, list] = defaultdict(list)
    for r in records:
        span = r.finding.span_text
        if r.path and r.line and span and "\n" not in span:
            groups[(r.path, r.line, span, r.finding.code)].append(r)
    for (path, line, span, _), recs in groups.items():
        text = source.line(path, line)
        if text is None:
            continue
        hits = [m.start() for m in _pattern(span).finditer(text)]
        if len(hits) != len(recs):
            continue
        recs = sorted(recs, key=lambda r: (r.finding.seg_id, r.finding.start))
        for r, start in zip(recs, hits):
            r.column, r.end_column = start + 1, start + 1 + len(span)
