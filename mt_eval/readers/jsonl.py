"""JSON lines: one JSON object per segment (or per segment and system)."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError
from .records import canonical, records_to_corpus
from .textfile import read_text


def read_jsonl(path: str) -> "Corpus":  # noqa: F821
    rows, lines = [], []
    for i, raw in enumerate(read_text(path).split("\n"), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path, i, exc.colno) from None
        if not isinstance(obj, dict):
            raise InputError(f"expected a JSON object, found {type(obj).__name__}", path, i)
        row = {canonical(k): v for k, v in obj.items()}
        for key in ("references", "reference"):
            v = row.get(key)
            if v is not None and not (isinstance(v, str) or (
                    isinstance(v, list) and all(isinstance(x, str) or x is None for x in v))):
                raise InputError(f"{key!r} must be a string or a list of strings", path, i)
        if "reference" in row and "references" not in row:
            row["references"] = [row.pop("reference")]
        h = row.get("hypotheses")
        if h is not None and not isinstance(h, dict):
            raise InputError("'hypotheses' must be an object {system: text}", path, i)
        for system, text in (h or {}).items():
            if not isinstance(text, str):
                raise InputError(f"'hypotheses': system {system!r} has {json.dumps(text)}, not a string "
                                 "(\"\" for an empty translation)", path, i)
        for key in ("source", "hypothesis"):
            if key in row and not isinstance(row[key], str):
                raise InputError(f"{key!r} must be a string", path, i)
        rows.append(row)
        lines.append(i)
    return records_to_corpus(rows, lines, path, name=Path(path).stem)
