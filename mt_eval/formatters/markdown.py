"""A Markdown summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Pure functions of the results (no I/O, no environment), so other reports can
reuse the pieces: :func:`findings_table` renders any list of
:class:`~mt_eval.gate.FindingRecord`, :func:`items_table` any list of
:class:`~mt_eval.gate.ItemResult`; :func:`report_summary` renders a review
report document (:func:`mt_eval.report.build_report`).  All text from the input is escaped
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


# -- review reports (mt-eval report) ----------------------------------------------

SEVERITIES = ("critical", "major", "minor", "info")


def _num(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]) -> list[str]:
    return (["| " + " | ".join(head) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
            + ["| " + " | ".join(r) + " |" for r in rows] + [""])


def _report_scores(scores: dict) -> list[str]:
    metrics = scores["metrics"]
    by = {(r["system"], r["metric"]): r for r in scores["rows"]}
    systems = list(dict.fromkeys(r["system"] for r in scores["rows"]))
    rows = []
    for s in systems:
        cells = [md(s) + (" (baseline)" if s == scores["baseline"] else "")]
        for m in metrics:
            r = by[(s, m["name"])]
            cell = f"**{_num(r['score'])}**" if r["best"] else _num(r["score"])
            if r["ci_low"] is not None:
                cell += f" [{_num(r['ci_low'])}, {_num(r['ci_high'])}]"
            if r["p_value"] is not None:
                cell += f" p={r['p_value']:.4f}" + {"better": " ▲", "worse": " ▼"}.get(r["verdict"] or "", "")
            cells.append(cell)
        rows.append(cells)
    head = ["system"] + [md(m["name"]) + (" ↑" if m["higher_is_better"] else " ↓") for m in metrics]
    out = ["### Scores", ""] + _table(head, rows, [False] + [True] * len(metrics))
    notes = []
    if any(r["ci_low"] is not None for r in scores["rows"]):
        notes.append("[low, high]: 95% bootstrap confidence interval")
    if scores["test"]:
        name = "paired bootstrap" if scores["test"] == "bs" else "approximate randomization"
        notes.append(f"p: {name} against {md(scores['baseline'])}, ▲/▼ significantly better/worse "
                     f"(p < {scores['alpha']:g})")
    notes.append("bold: best")
    out += ["_" + "; ".join(notes) + "._", ""]
    if scores["n_scored"] != scores["n_segments"]:
        out += [f"Scored {scores['n_scored']:,} of {scores['n_segments']:,} segments "
                f"({scores['n_segments'] - scores['n_scored']:,} without a reference).", ""]
    out += ["Signatures:", ""] + [f"- {md(m['name'])}: {md(m['signature'], code=True)}" for m in metrics] + [""]
    return out


def _report_findings(findings: dict, limit: int) -> list[str]:
    counts = findings["counts"]
    out = [f"### Findings: {counts['total']:,}", ""]
    by_det = [r for r in sorted(counts["by_detector"], key=lambda r: (-r["total"], r["code"])) if r["total"]]
    if by_det:
        out += _table(["code", "detector", *SEVERITIES, "total"],
                      [[md(r["code"]), md(r["name"])] + [str(r[s]) for s in SEVERITIES] + [str(r["total"])]
                       for r in by_det], [False, False] + [True] * 5)
        out += _table(["system", *SEVERITIES, "total"],
                      [[md(r["system"])] + [str(r[s]) for s in SEVERITIES] + [str(r["total"])]
                       for r in counts["by_system"]], [False] + [True] * 5)
    else:
        out += ["_No findings._", ""]
    skipped = [d for d in findings["detectors"] if d["status"] == "skipped"]
    if skipped:
        out += ["<details><summary>Detectors not run</summary>", ""]
        out += [f"- {md(d['code'])}: {md(d['reason'] or '')}" for d in skipped] + ["", "</details>", ""]
    if findings["errors"]:
        out += [f"{len(findings['errors']):,} detector failure(s): those segments were not checked by that "
                "detector (see the JSON report).", ""]
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    worst = sorted(findings["items"], key=lambda f: (rank.get(f["severity"], 9), f["id"]))[:limit]
    if worst:
        out += [f"#### Most severe findings ({len(worst)} of {len(findings['items']):,})", ""]
        rows = [[md(f["severity"]), md(f["code"]),
                 md(f"{f['doc_id']} #{f['seg_id']}", code=True), md(f["system"] or ""),
                 md(truncate(f["span_text"], 80), code=True), md(truncate(f["message"], 160)),
                 "delete it" if f["suggestion"] == "" else md(truncate(f["suggestion"] or "", 80))]
                for f in worst]
        out += _table(["severity", "code", "segment", "system", "span", "message", "suggestion"], rows,
                      [False] * 7)
    return out


def report_summary(report: dict, *, max_findings: int = 20) -> str:
    """A review report in Markdown: scores with confidence intervals and
    significance, every metric's signature, finding counts by detector,
    severity and system, and the most severe findings."""
    c = report["corpus"]
    langs = (f", {md(c['src_lang'] or '?')} → {md(c['tgt_lang'] or '?')}"
             if c["src_lang"] or c["tgt_lang"] else "")
    out = [f"## {md(report['meta']['title'])}", "",
           f"{c['n_segments']:,} segments in {c['n_documents']:,} documents, "
           f"{len(c['systems'])} system(s){langs}.", ""]
    out += _report_scores(report["scores"]) if report["scores"] is not None else \
        ["_No references: no scores._", ""]
    if report["findings"] is not None:
        out += _report_findings(report["findings"], max_findings)
    out.append(f"_mt\\_eval {md(report['meta']['tool_version'])}, {md(report['meta']['created'])}._")
    return "\n".join(out).rstrip() + "\n"
