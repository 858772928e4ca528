"""A Markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Pure functions of the results (no I/O, no environment), so other reports can
reuse the pieces: :func:`findings_table` renders any list of
:class:`~mt_eval.gate.FindingRecord`, :func:`items_table` any list of
:class:`~mt_eval.gate.ItemResult`.  All text from the input is escaped
(:func:`._safe.markdown`): no HTML, link, mention or table break can come
from a feed.
"""
from __future__ import annotations

from typing import Sequence

from ..gate import FindingRecord, GateResult, ItemResult
from ._safe import markdown as md, truncate

STATUS_ICON = {"passed": "✅ passed", "failed": "❌ failed", "unpaired": "⚠️ unpaired"}


def findings_table(records: Sequence[FindingRecord], *, limit: int = 50) -> str:
    if not records:
        return "_No findings._\n"
    rows = ["| | code | severity | where | span | message |", "|---|---|---|---|---|---|"]
    for r in list(records)[:limit]:
        f = r.finding
        where = f"{r.path}:{r.line}" if r.line else (r.path or "")
        mark = "🛑" if r.blocking else ("·" if r.known else "⚠️")
        state = " (known)" if r.known else ""
        rows.append(f"| {mark} | {md(f.code)} | {md(str(f.severity))}{state} | {md(where)} | "
                    f"{md(truncate(f.span_text, 80), code=True)} | {md(truncate(f.message, 160))} |")
    if len(records) > limit:
        rows.append(f"\n_… and {len(records) - limit} more._")
    return "\n".join(rows) + "\n"


def items_table(items: Sequence[ItemResult]) -> str:
    rows = ["| item | status | new findings | title | notes |", "|---|---|---|---|---|"]
    for it in items:
        notes = "; ".join(m for _, m in it.notes)
        rows.append(f"| {md(it.doc_id, code=True)} | {STATUS_ICON.get(it.status, md(it.status))} | "
                    f"{len(it.new_findings)} | {md(truncate(it.title, 80))} | {md(truncate(notes, 160))} |")
    return "\n".join(rows) + "\n"


def render(result: GateResult, *, title: str = "mt-eval ci") -> str:
    counts = result.status_counts()
    verdict = "✅ **passed**" if result.passed else "❌ **failed**"
    out = [f"## {md(title)}: {verdict}", "",
           f"{len(result.items)} items: {counts['passed']} passed, {counts['failed']} failed, "
           f"{counts['unpaired']} unpaired.", ""]
    if result.reasons:
        out += ["**Why it failed**", ""] + [f"- {md(r)}" for r in result.reasons] + [""]
    metric_rows = [(u, c) for u in result.units for c in u.metrics]
    if metric_rows:
        out += ["| feed | metric | system | score | required |", "|---|---|---|---|---|"]
        for u, c in metric_rows:
            score = "not checked (no references)" if c.score is None else f"{c.score:.2f}"
            op = "≥" if c.higher_is_better else "≤"
            out.append(f"| {md(u.name)} | {md(c.metric)} | {md(c.system)} | {score} | {op} {c.threshold:g} |")
        out.append("")
    out += ["### Items", "", items_table(result.items)]
    blocking = [r for r in result.records if r.blocking]
    other_new = [r for r in result.records if not r.known and not r.blocking]
    if blocking:
        out += ["### Blocking findings", "", findings_table(blocking)]
    if other_new:
        out += ["### Other new findings", "", findings_table(other_new)]
    if result.baseline is not None:
        known = sum(1 for r in result.records if r.known)
        out += [f"Baseline {md(result.baseline, code=True)}: {len(result.records) - known} new, {known} known, "
                f"{len(result.fixed)} fixed.", ""]
        if result.fixed:
            out += ["| fixed | item | span |", "|---|---|---|"]
            out += [f"| {md(e.code)} | {md(e.doc_id, code=True)} | {md(truncate(e.span_text, 80), code=True)} |"
                    for e in result.fixed]
            out.append("")
    skipped = sorted({(code, why) for u in result.units for code, why in u.skipped.items()})
    if skipped:
        out += ["<details><summary>Detectors not run</summary>", ""]
        out += [f"- {md(code)}: {md(why)}" for code, why in skipped] + ["", "</details>", ""]
    return "\n".join(out).rstrip() + "\n"
