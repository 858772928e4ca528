"""The gate's concise terminal summary: verdict, reasons, then each item
that needs attention (failed, unpaired, with new findings or with a note
such as a duplicate id) with its findings as ``path:line: CODE severity message``."""
from __future__ import annotations

from ..gate import GateResult
from ._safe import plain, truncate


def render(result: GateResult, *, verbose: bool = False) -> str:
    out = []
    counts = result.status_counts()
    n = len(result.items)
    out.append(f"mt-eval ci: {'PASSED' if result.passed else 'FAILED'} — {n} item{'s' if n != 1 else ''}: "
               f"{counts['passed']} passed, {counts['failed']} failed, {counts['unpaired']} unpaired")
    for reason in result.reasons:
        out.append(f"  ✗ {plain(reason)}")
    for unit in result.units:
        for c in unit.metrics:
            if c.passed is None:
                out.append(f"  · {unit.name}: {c.metric} not checked ({c.note})")
            elif c.passed:   # a failing score is among the reasons above
                op = "≥" if c.higher_is_better else "≤"
                out.append(f"  ✓ {unit.name}: {c.metric} {c.score:.2f} for {c.system} (required {op} {c.threshold:g})")
        for code, why in sorted(unit.skipped.items()):
            if why.startswith("target language"):
                continue  # expected for a language pair; JSON and SARIF still list it
            out.append(f"  · {unit.name}: {code} not run: {plain(why)}")
        for e in unit.errors:
            out.append(f"  ! {unit.name}: {e['code']} failed on {plain(e['doc_id'])}/{e['seg_id']}: {plain(e['error'])}")
    for it in result.items:
        shown = [r for r in it.findings if verbose or not r.known]
        if it.status == "passed" and not shown and not it.notes:
            continue
        where = f"{it.path}:{it.line}" if it.line else (it.path or it.unit)
        out.append("")
        out.append(f"{it.status.upper():8} {plain(it.doc_id)} — {plain(truncate(it.title, 70))} ({where})")
        for kind, msg in it.notes:
            out.append(f"         note: {plain(msg)}")
        for r in shown:
            f = r.finding
            loc = f"{r.path}:{r.line}" if r.line else (r.path or "")
            if r.line and r.column:
                loc += f":{r.column}"
            tag = "known " if r.known else ""
            out.append(f"         {loc}: {f.code} {tag}{f.severity} {plain(f.message)} "
                       f"[{plain(truncate(f.span_text, 60))}]")
    passed = [it for it in result.items if it.status == "passed" and not it.notes and not any(
        verbose or not r.known for r in it.findings)]
    if passed:
        # Every item is accounted for, the quiet ones in one compact line.
        out.append("")
        out.append(f"passed ({len(passed)}): " + ", ".join(plain(it.doc_id) for it in passed))
    if result.baseline:
        known = sum(1 for r in result.records if r.known)
        new = sum(1 for r in result.records if not r.known)
        out.append("")
        out.append(f"baseline {result.baseline}: {new} new, {known} known, {len(result.fixed)} fixed")
        for e in result.fixed:
            out.append(f"  fixed: {e.code} {plain(e.doc_id)} [{plain(truncate(e.span_text, 60))}]")
    return "\n".join(out) + "\n"
