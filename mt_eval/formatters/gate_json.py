"""The gate result as one JSON document (machine-readable; every item with
its status, findings, notes; units with counts, limits, metric checks)."""
from __future__ import annotations

from typing import Any

from ..gate import FindingRecord, GateResult
from ._safe import json_dumps


def finding_dict(r: FindingRecord) -> dict[str, Any]:
    f = r.finding
    return {"code": f.code, "name": f.name, "severity": str(f.severity), "category": f.category,
            "side": f.side, "start": f.start, "end": f.end, "span_text": f.span_text, "message": f.message,
            "suggestion": f.suggestion, "confidence": f.confidence, "doc_id": f.doc_id, "seg_id": f.seg_id,
            "system": f.system, "part": r.part, "path": r.path, "line": r.line, "column": r.column,
            "end_column": r.end_column,
            "fingerprint": r.fingerprint, "status": r.status, "blocking": r.blocking}


def as_dict(result: GateResult) -> dict[str, Any]:
    return {
        "passed": result.passed,
        "exit_code": result.exit_code,
        "reasons": result.reasons,
        "counts": result.status_counts(),
        "units": [{
            "name": u.name, "passed": u.passed, "items": u.n_items, "segments": u.n_segments,
            "new_findings": u.counts, "known_findings": u.known_counts, "limits": u.limits,
            "metrics": [vars(c) for c in u.metrics], "reasons": u.reasons, "detectors": u.detectors,
            "skipped_detectors": u.skipped, "detector_errors": u.errors,
        } for u in result.units],
        "items": [{
            "unit": it.unit, "doc_id": it.doc_id, "title": it.title, "status": it.status, "path": it.path,
            "line": it.line, "notes": [{"kind": k, "message": m} for k, m in it.notes],
            "findings": [finding_dict(r) for r in it.findings],
        } for it in result.items],
        "baseline": None if result.baseline is None else {
            "path": result.baseline,
            "new": sum(1 for r in result.records if not r.known),
            "known": sum(1 for r in result.records if r.known),
            "fixed": [e.as_dict() for e in result.fixed],
        },
    }


def render(result: GateResult) -> str:
    # ensure_ascii=False keeps text readable; JSON escaping keeps it inert.
    return json_dumps(as_dict(result)) + "\n"
