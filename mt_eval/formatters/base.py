"""The findings-formatter interface: one small class per output format.

A formatter turns a :class:`~mt_eval.detectors.runner.CheckResult` into text
on a stream.  To add one, create a module in this package::

    from .base import FindingsFormatter, register_formatter

    @register_formatter
    class Sarif(FindingsFormatter):
        name = "sarif"                  # the --format value
        extension = ".sarif"
        description = "SARIF 2.1.0 for code-scanning UIs"

        def write(self, result, out, *, color=False):
            ...

Modules of this package are discovered on first use (no list to edit);
:func:`records` gives every formatter the same flat view of a finding,
including where it is in the input files.
"""
from __future__ import annotations

import math
from typing import IO, Any, ClassVar, Iterator

FORMATTERS: dict[str, type["FindingsFormatter"]] = {}


class FindingsFormatter:
    name: ClassVar[str] = ""
    extension: ClassVar[str] = ".txt"
    description: ClassVar[str] = ""

    def write(self, result, out: IO[str], *, color: bool = False) -> None:  # pragma: no cover - interface
        raise NotImplementedError


def register_formatter(cls: type[FindingsFormatter]) -> type[FindingsFormatter]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} needs a name")
    other = FORMATTERS.get(cls.name)
    if other is not None and other is not cls:
        raise ValueError(f"formatter name {cls.name!r} used by {other.__name__} and {cls.__name__}")
    FORMATTERS[cls.name] = cls
    return cls


RECORD_FIELDS = ["type", "doc_id", "seg_id", "system", "code", "name", "severity", "category", "side",
                 "start", "end", "span_text", "message", "suggestion", "confidence", "file", "line", "column"]


def _clean(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def location(result, f) -> tuple[str | None, int | None, int | None]:
    """``(file, line, column)`` of a finding's span start (1-based), as far
    as it can be told.  Plain files hold a segment per line, so the column
    is the offset in the text.  Elsewhere (XML, JSON lines, tables) the
    segment's first line is looked up on its file line as written there
    (as is, XML-escaped, JSON-escaped or with CSV's doubled quotes); when it
    is not found there exactly once, no column is claimed."""
    corpus = result.corpus
    if corpus is None:
        return None, None, None
    row = result.segment_row(f["doc_id"], f["seg_id"])
    if row is None:
        return None, None, None
    role = "source" if f["side"] == "source" else f"hyp:{f['system']}"
    loc = corpus.location(row, role)
    if loc is None:
        return None, None, None
    path, line = loc
    text = result.text_of(f)
    before = text[:int(f["start"])]
    extra_lines = before.count("\n")
    if line is None:
        return path, None, None
    if corpus.files.get(role) == path:      # a plain file: the line is the text
        return path, line + extra_lines, len(before) - (before.rfind("\n") + 1) + 1
    if not hasattr(result, "_file_lines"):
        from ..locate import LineSource
        result._file_lines = LineSource()
    written = result._file_lines.line(path, line)
    first = text.split("\n", 1)[0]
    for escape in _ESCAPES:
        shown = escape(first)
        if not shown or written is None or written.count(shown) != 1:
            continue
        if escape is _json_escape or not extra_lines:   # JSON keeps the whole text on its line
            return path, line, written.index(shown) + len(escape(before)) + 1
        return path, line + extra_lines, len(escape(before.rsplit("\n", 1)[1])) + 1
    return path, line + (0 if path.endswith((".jsonl", ".ndjson")) else extra_lines), None


def _json_escape(text: str) -> str:
    import json
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_ESCAPES = (lambda t: t, _xml_escape, _json_escape, lambda t: t.replace('"', '""'))


def records(result, *, with_location: bool = True) -> Iterator[dict]:
    """Every finding as a flat dict (fields :data:`RECORD_FIELDS`, ``type``
    ``"finding"``), then every detector error (``type`` ``"error"``)."""
    for f in result.findings.to_dict(orient="records"):
        rec = {k: _clean(f.get(k)) for k in RECORD_FIELDS if k in f}
        rec["type"] = "finding"
        rec["seg_id"] = int(rec["seg_id"])
        rec["start"], rec["end"] = int(rec["start"]), int(rec["end"])
        if with_location:
            rec["file"], rec["line"], rec["column"] = location(result, f)
        yield {k: rec.get(k) for k in RECORD_FIELDS}
    for e in result.errors.to_dict(orient="records"):
        yield {"type": "error", "doc_id": e["doc_id"], "seg_id": int(e["seg_id"]), "system": _clean(e["system"]),
               "code": e["code"], "message": e["error"]}


def summary(result) -> dict:
    """Counts a report can show: findings by severity and code, segments,
    systems, skipped detectors and errors."""
    f = result.findings
    by_sev = {s: int((f["severity"] == s).sum()) for s in ("critical", "major", "minor", "info")}
    by_code = {str(k): int(v) for k, v in f.groupby("code").size().items()} if len(f) else {}
    return {"findings": int(len(f)), "by_severity": by_sev, "by_code": by_code,
            "segments": int(result.n_segments), "systems": list(result.systems),
            "detectors": [d.code for d in result.detectors if d.code not in result.skipped],
            "skipped": dict(result.skipped), "errors": int(len(result.errors)),
            "languages": dict(result.languages), "inferred_languages": list(result.inferred)}
