"""Findings as one JSON document: summary, skipped detectors, errors, findings."""
from __future__ import annotations

import json
from typing import IO

from .base import FindingsFormatter, records, register_formatter, summary


@register_formatter
class JsonFormatter(FindingsFormatter):
    name = "json"
    extension = ".json"
    description = "one JSON document: summary, findings (with file/line/column), detector errors"

    def write(self, result, out: IO[str], *, color: bool = False) -> None:
        recs = list(records(result))
        doc = {"summary": summary(result),
               "findings": [{k: v for k, v in r.items() if k != "type"} for r in recs if r["type"] == "finding"],
               "errors": [{k: v for k, v in r.items() if k != "type"} for r in recs if r["type"] == "error"]}
        json.dump(doc, out, ensure_ascii=False, indent=1)
        out.write("\n")
