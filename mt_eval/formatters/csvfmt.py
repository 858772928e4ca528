"""Findings as CSV (RFC 4180), one row per finding then per detector error."""
from __future__ import annotations

import csv
from typing import IO

from .base import RECORD_FIELDS, FindingsFormatter, records, register_formatter


@register_formatter
class CsvFormatter(FindingsFormatter):
    name = "csv"
    extension = ".csv"
    description = "CSV with a header; one row per finding, then detector errors (column 'type')"

    def write(self, result, out: IO[str], *, color: bool = False) -> None:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(RECORD_FIELDS)
        for r in records(result):
            w.writerow(["" if r.get(k) is None else r.get(k) for k in RECORD_FIELDS])
