"""SARIF 2.1.0 (the OASIS static-analysis format GitHub code scanning and
many IDEs read).

* every finding is a result with its rule (the detector: code, name,
  documentation, MQM category as a tag), a level (``error`` when it blocks
  the gate, ``warning`` otherwise, ``note`` for info), a location in the
  input file (the feed or corpus line of the segment) and a logical location
  (unit / document / segment);
* fingerprints go to ``partialFingerprints``; with a baseline, known
  findings carry ``baselineState: unchanged`` and an external suppression,
  new ones ``new``, and fixed ones come back as ``absent`` results;
* unpaired items are results of the ``mt-eval/unpaired-item`` rule;
* the run's ``properties`` list every item with its status, so each input
  item is accounted for.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..detectors.base import Severity
from ..gate import FindingRecord, GateResult
from ._safe import json_dumps, plain

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
UNPAIRED_RULE = "mt-eval/unpaired-item"
GATE_RULE = "mt-eval/gate-threshold"


def _level(r: FindingRecord) -> str:
    if r.blocking:
        return "error"
    return "note" if r.finding.severity == Severity.INFO else "warning"


def _rule(code: str, name: str, category: str, severity: Severity) -> dict[str, Any]:
    doc = summary = ""
    try:
        from ..detectors.registry import get
        cls = get(code)
        summary, doc = cls.summary(), cls.doc()
    except Exception:  # a detector outside the registry (API use) still gets a rule
        pass
    rule: dict[str, Any] = {"id": code, "name": name,
                            "shortDescription": {"text": summary or name},
                            "defaultConfiguration": {"level": "note" if severity == Severity.INFO else "warning"},
                            "properties": {"tags": [category], "mqmCategory": category}}
    if doc:
        rule["fullDescription"] = {"text": doc}
    return rule


def uri(path: str) -> str:
    """A URI reference for a path: relative paths stay relative (GitHub
    resolves them against the repository), with spaces and the like
    percent-encoded."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(p.as_posix(), safe="/-._~")


def _location(path: str | None, line: int | None, logical: str, snippet: str | None = None,
              column: int | None = None, end_column: int | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": logical, "kind": "element"}]}
    if path:
        phys: dict[str, Any] = {"artifactLocation": {"uri": uri(path)}}
        if line:
            region: dict[str, Any] = {"startLine": int(line)}
            if column and end_column:
                region.update(startColumn=int(column), endColumn=int(end_column))
            if snippet:
                region["snippet"] = {"text": snippet}
            phys["region"] = region
        loc["physicalLocation"] = phys
    return loc


def as_dict(result: GateResult) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def rule_index(code: str, name: str, category: str, severity: Severity) -> int:
        if code not in index:
            index[code] = len(rules)
            rules.append(_rule(code, name, category, severity))
        return index[code]

    results = []
    baselined = result.baseline is not None
    for it in result.items:
        for r in it.findings:
            f = r.finding
            res: dict[str, Any] = {
                "ruleId": f.code, "ruleIndex": rule_index(f.code, f.name, f.category, f.severity),
                "level": _level(r),
                "message": {"text": plain(f"{f.message}: “{f.span_text}”" if f.span_text else f.message)},
                "locations": [_location(r.path, r.line, f"{it.unit}/{f.doc_id}/{f.seg_id}", plain(f.span_text) or None,
                                        r.column, r.end_column)],
                "partialFingerprints": {"mtEvalFinding/v1": r.fingerprint},
                "properties": {"severity": str(f.severity), "category": f.category, "side": f.side,
                               "docId": f.doc_id, "segId": int(f.seg_id), "system": f.system, "part": r.part,
                               "start": f.start, "end": f.end, "confidence": f.confidence,
                               "blocking": r.blocking},
            }
            if f.suggestion:
                res["properties"]["suggestion"] = f.suggestion
            if baselined:
                res["baselineState"] = "unchanged" if r.known else "new"
                if r.known:
                    res["suppressions"] = [{"kind": "external", "justification": f"in baseline {result.baseline}"}]
            results.append(res)
        if it.status == "unpaired":
            idx = rule_index(UNPAIRED_RULE, "unpaired-item", "Other", Severity.INFO)
            rules[idx]["shortDescription"] = {"text": "A feed item that no item of the other feed pairs with"}
            fails = any(u.name == it.unit and u.config.unpaired == "fail" for u in result.units)
            results.append({"ruleId": UNPAIRED_RULE, "ruleIndex": idx, "level": "error" if fails else "note",
                            "message": {"text": plain(f"unpaired item {it.doc_id}: " + "; ".join(m for _, m in it.notes))},
                            "locations": [_location(it.path, it.line, f"{it.unit}/{it.doc_id}")]})
    for u in result.units:
        for reason in u.reasons:
            idx = rule_index(GATE_RULE, "gate-threshold", "Other", Severity.MAJOR)
            rules[idx]["shortDescription"] = {"text": "A threshold of the mt-eval gate is exceeded"}
            results.append({"ruleId": GATE_RULE, "ruleIndex": idx, "level": "error",
                            "message": {"text": plain(reason)},
                            "locations": [_location(u.name, None, u.name)]})
    for e in result.fixed:
        results.append({"ruleId": e.code, "level": "none", "baselineState": "absent",
                        "message": {"text": plain(f"fixed: {e.message}: “{e.span_text}”")},
                        "locations": [_location(None, None, e.doc_id)],
                        "partialFingerprints": {"mtEvalFinding/v1": e.fingerprint}})
    notifications = [{"level": "error", "message": {"text": plain(f"{e['code']} failed on {e['doc_id']}/{e['seg_id']}: {e['error']}")}}
                     for u in result.units for e in u.errors]
    notifications += [{"level": "note", "message": {"text": plain(f"{code} not run: {why}")}}
                      for u in result.units for code, why in sorted(u.skipped.items())]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "mt-eval", "version": __version__, "semanticVersion": __version__,
                            "informationUri": "https://pypi.org/project/mt_eval/", "rules": rules}},
        "invocations": [{"executionSuccessful": not any(u.errors for u in result.units),
                         "exitCode": result.exit_code,
                         "toolExecutionNotifications": notifications}],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"passed": result.passed, "reasons": result.reasons, "counts": result.status_counts(),
                       "items": [{"unit": it.unit, "docId": it.doc_id, "title": it.title, "status": it.status,
                                  "path": it.path, "line": it.line} for it in result.items]},
    }
    artifacts = sorted({loc["physicalLocation"]["artifactLocation"]["uri"] for res in results
                        for loc in res["locations"] if "physicalLocation" in loc})
    if artifacts:
        run["artifacts"] = [{"location": {"uri": a}} for a in artifacts]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: GateResult) -> str:
    return json_dumps(as_dict(result)) + "\n"
