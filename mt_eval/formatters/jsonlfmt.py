"""Findings as JSON lines: one object per finding, then one per detector error
(``"type"`` tells them apart), for streaming into other tools."""
from __future__ import annotations

import json
from typing import IO

from .base import FindingsFormatter, records, register_formatter


@register_formatter
class JsonLinesFormatter(FindingsFormatter):
    name = "jsonl"
    extension = ".jsonl"
    description = "one JSON object per line: findings, then detector errors (field 'type')"

    def write(self, result, out: IO[str], *, color: bool = False) -> None:
        for r in records(result):
            out.write(json.dumps(r, ensure_ascii=False))
            out.write("\n")
