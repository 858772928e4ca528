"""The self-contained HTML report.

One file: CSS, JavaScript, SVG charts and the data are inline, and a
Content-Security-Policy (``default-src 'none'``, the script and style
allowed by hash only) makes the browser refuse any request and any script
that is not ours, as a second wall behind the escaping.

The summary, charts and analyses are rendered here, so they read without
JavaScript; the document view (thousands of segments) is drawn a page at a
time by ``assets/report.js`` from the JSON island.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any, Sequence

from . import svg
from .data import SEVERITIES
from .svg import esc

_ASSETS = "assets"


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(_ASSETS, name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def json_island(obj: Any) -> str:
    """JSON that can sit inside ``<script type="application/json">``: no
    ``<`` (so no ``</script>`` or ``<!--``), ``>``, ``&`` or line separators
    appear literally.  They only occur inside JSON strings, where the
    ``\\uXXXX`` escapes mean the same characters."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def render_html(report: dict) -> str:
    css, js = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; script-src '{_sha256(js)}'; style-src '{_sha256(css)}'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    page_data = {k: v for k, v in report.items() if k != "analyses"}
    meta = report["meta"]
    return Template(_asset("report.html")).substitute(
        csp=csp, css=css, js=js, title=esc(meta["title"]), version=esc(meta["tool_version"]),
        created=esc(meta["created"]), overview=_overview(report), summary=_summary(report),
        charts=_charts(report), analyses=_analyses(report), documents=_documents_shell(report),
        data=json_island(page_data))


# -- small helpers -------------------------------------------------------------

def _fmt(v: float | None, digits: int = 2) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *, num_from: int = 1,
           caption: str | None = None, cls: str = "") -> str:
    """A table from already-escaped cell HTML; columns from ``num_from`` on
    are right-aligned numbers."""
    out = [f'<div class="scroll"><table class="{esc(cls)}">']
    if caption:
        out.append(f"<caption class=\"note\">{caption}</caption>")
    num = ' class="num"'
    out.append("<thead><tr>" + "".join(
        f'<th scope="col"{num if i >= num_from else ""}>{h}</th>' for i, h in enumerate(head))
        + "</tr></thead><tbody>")
    for r in rows:
        cells = []
        for i, c in enumerate(r):
            if i == 0:
                cells.append(f'<th scope="row">{c}</th>')
            else:
                cls_ = "num" + (" zero" if c == "0" else "") if i >= num_from else ""
                cells.append(f'<td class="{cls_}">{c}</td>' if cls_ else f"<td>{c}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _overview(report: dict) -> str:
    c = report["corpus"]
    items = [("Corpus", c["name"] or "–"),
             ("Segments", f"{c['n_segments']:,}"), ("Documents", f"{c['n_documents']:,}"),
             ("Systems", f"{len(c['systems'])}")]
    if c["src_lang"] or c["tgt_lang"]:
        items.append(("Languages", f"{c['src_lang'] or '?'} → {c['tgt_lang'] or '?'}"))
    items.append(("References", f"{c['n_references']} per segment" if c["n_references"] else "none"))
    items.append(("Created", report["meta"]["created"]))
    body = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items)
    files = c.get("files") or {}
    if files:
        body += "<div><dt>Files</dt><dd>" + esc(", ".join(sorted(set(files.values())))) + "</dd></div>"
    return f'<dl class="overview">{body}</dl>'


# -- summary -------------------------------------------------------------------

def _score_cell(row: dict) -> str:
    parts = [f'<span class="score">{_fmt(row["score"])}</span>']
    if row["ci_low"] is not None:
        parts.append(f'<span class="ci">[{_fmt(row["ci_low"])}, {_fmt(row["ci_high"])}]</span>')
    if row["p_value"] is not None:
        mark = ""
        if row["verdict"] == "better":
            mark = ' <span class="sig better" title="significantly better than the baseline">▲</span>'
        elif row["verdict"] == "worse":
            mark = ' <span class="sig worse" title="significantly worse than the baseline">▼</span>'
        parts.append(f'<span class="pv">p = {row["p_value"]:.4f}{mark}</span>')
    return "".join(parts)


def _scores_table(scores: dict) -> str:
    metrics = [m["name"] for m in scores["metrics"]]
    arrows = {m["name"]: ("↑" if m["higher_is_better"] else "↓") for m in scores["metrics"]}
    by = {(r["system"], r["metric"]): r for r in scores["rows"]}
    systems = list(dict.fromkeys(r["system"] for r in scores["rows"]))
    head = ["System"] + [f"{esc(m)} {arrows[m]}" for m in metrics]
    rows = []
    for s in systems:
        label = esc(s) + (' <span class="note">(baseline)</span>' if s == scores["baseline"] else "")
        cells = []
        for m in metrics:
            cell = _score_cell(by[(s, m)])
            cells.append(f'<span class="best">{cell}</span>' if by[(s, m)]["best"] else cell)
        rows.append([label] + cells)
    notes = []
    if scores["test"]:
        name = "paired bootstrap resampling" if scores["test"] == "bs" else "approximate randomization"
        notes.append(f"p: {name} against the baseline {esc(scores['baseline'])}; "
                     f"▲/▼ significantly better/worse at p &lt; {scores['alpha']:g}.")
    if any(r["ci_low"] is not None for r in scores["rows"]):
        notes.append("[low, high]: 95% bootstrap confidence interval.")
    notes.append("Best score per metric underlined; ↑ higher is better, ↓ lower is better.")
    if scores["n_scored"] != scores["n_segments"]:
        notes.append(f"Scored {scores['n_scored']:,} of {scores['n_segments']:,} segments "
                     f"({scores['n_segments'] - scores['n_scored']:,} have no reference).")
    return _table(head, rows, cls="scores") + "".join(f'<p class="note">{n}</p>' for n in notes)


def _signatures(scores: dict) -> str:
    out = ['<details class="sigs"><summary>Metric signatures</summary><dl>']
    for m in scores["metrics"]:
        out.append(f"<dt>{esc(m['name'])}</dt><dd><code>{esc(m['signature'])}</code></dd>")
        if m.get("sentence_signature"):
            out.append(f"<dd>sentence level: <code>{esc(m['sentence_signature'])}</code></dd>")
    out.append("</dl></details>")
    return "".join(out)


def _findings_summary(findings: dict) -> str:
    counts = findings["counts"]
    out = [f'<h3>Findings <span class="note">({counts["total"]:,} in all)</span></h3>']
    ran = [d for d in findings["detectors"] if d["status"] == "ran"]
    detail = {d["code"]: d for d in findings["detectors"]}
    rows = []
    for r in sorted(counts["by_detector"], key=lambda r: (-r["total"], r["code"])):
        d = detail[r["code"]]
        if d["status"] != "ran":
            continue
        rows.append([f'<abbr title="{esc(d["summary"])}">{esc(r["code"])}</abbr>', esc(r["name"]),
                     esc(d["category"])] + [str(r[s]) for s in SEVERITIES] + [str(r["total"])])
    head = ["Code", "Detector", "Category"] + [f'<span class="badge {s}">{s}</span>' for s in SEVERITIES] + ["Total"]
    if rows:
        out.append(_table(head, rows, num_from=3, cls="det-counts"))
    elif not ran:
        out.append('<p class="note">No detector ran.</p>')
    sys_rows = [[esc(r["system"])] + [str(r[s]) for s in SEVERITIES] + [str(r["total"])]
                for r in counts["by_system"]]
    if sys_rows:
        out.append(_table(["System"] + [f'<span class="badge {s}">{s}</span>' for s in SEVERITIES] + ["Total"],
                          sys_rows, cls="sys-counts"))
    skipped = [d for d in findings["detectors"] if d["status"] == "skipped"]
    if skipped:
        out.append(f"<details><summary>{len(skipped)} detector(s) not run</summary><ul>")
        out += [f"<li><code>{esc(d['code'])}</code> {esc(d['name'])}: {esc(d['reason'] or '')}</li>" for d in skipped]
        out.append("</ul></details>")
    errs = findings["errors"]
    if errs:
        out.append(f'<details><summary>{len(errs):,} detector failure(s) (those segments were not '
                   f'checked by that detector)</summary>')
        out.append(_table(["Code", "Document", "Segment", "System", "Error"],
                          [[esc(e.get("code")), esc(e.get("doc_id")), esc(e.get("seg_id")),
                            esc(e.get("system")), esc(e.get("error"))] for e in errs[:200]],
                          num_from=99))
        if len(errs) > 200:
            out.append(f'<p class="note">… and {len(errs) - 200:,} more (see the JSON export).</p>')
        out.append("</details>")
    return "".join(out)


def _summary(report: dict) -> str:
    out = []
    scores = report["scores"]
    if scores is not None:
        out.append("<h3>Scores</h3>")
        out.append(_scores_table(scores))
        out.append(_signatures(scores))
    else:
        out.append('<p class="note">No scores: the corpus has no references (findings below need none).</p>')
    if report["findings"] is not None:
        out.append(_findings_summary(report["findings"]))
    else:
        out.append('<p class="note">Detectors were not run for this report.</p>')
    return "".join(out)


# -- charts --------------------------------------------------------------------

def _severity_legend() -> str:
    return '<ul class="legend">' + "".join(
        f'<li><span class="sw badge {s}"></span>{s}</li>' for s in SEVERITIES) + "</ul>"


def _figure(svg_text: str, caption: str) -> str:
    return f"<figure>{svg_text}<figcaption>{caption}</figcaption></figure>"


def _charts(report: dict) -> str:
    """Charts in groups, each group a heading and a grid of figures of one kind."""
    groups: list[tuple[str, list[str]]] = []
    an = report["analyses"]
    systems = report["corpus"]["systems"]
    if an is not None:
        figs = []
        for m in report["scores"]["metrics"]:
            d = an["distributions"][m["name"]]
            hi = 100.0
            if not m["higher_is_better"]:
                hi = max(100.0, max((x.get("whisker_high", 0) for x in d.values()), default=100.0))
                hi = float(-(-hi // 50) * 50)
            figs.append(_figure(svg.box_plots(f"Sentence {m['name']} per system", [(s, d[s]) for s in systems],
                                              (0.0, hi), unit=f"sentence {m['name']}"),
                                f"Sentence-level {esc(m['name'])}: box = quartiles, bar = median, "
                                f"◇ = mean, whiskers = 1.5 IQR."))
        groups.append(("Score distributions", figs))
        lb = an["length_buckets"]
        labels = [b["label"] for b in lb["buckets"]]
        figs = []
        for m in report["scores"]["metrics"]:
            series = [(s, lb["scores"][m["name"]][s]) for s in systems]
            figs.append(_figure(svg.line_chart(f"{m['name']} by reference length", labels, series,
                                               y_label=m["name"], x_label=lb["unit"]),
                                f"Corpus {esc(m['name'])} of the segments in each reference-length bucket "
                                f"(segments per bucket: {esc(', '.join(str(b['count']) for b in lb['buckets']))})."))
        wf = an["word_frequency"]
        figs.append(_figure(svg.line_chart("Word F-measure by reference frequency",
                                           [b["label"] for b in wf["buckets"]],
                                           [(s, wf["systems"][s]["fmeasure"]) for s in systems],
                                           y_label="word F-measure", x_label=wf["unit"]),
                            "Word accuracy (F-measure of clipped word matches) by how often the word occurs "
                            "in the references; rare words are where systems differ most."))
        groups.append(("Scores by sentence length and word frequency", figs))
    f = report["findings"]
    if f is not None:
        colours = svg.SEVERITY_COLOURS
        by_det = sorted(f["counts"]["by_detector"], key=lambda r: (-r["total"], r["code"]))
        rows = [(f"{r['code']} {r['name']}", [(s, r[s], colours[s]) for s in SEVERITIES])
                for r in by_det if r["total"]]
        figs = [_figure(svg.stacked_bars("Findings per detector", rows, unit="findings"),
                        "Findings per detector, by severity." + _severity_legend())]
        rows = [(r["system"], [(s, r[s], colours[s]) for s in SEVERITIES]) for r in f["counts"]["by_system"]]
        figs.append(_figure(svg.stacked_bars("Findings per system", rows, unit="findings"),
                            "Findings per system, by severity." + _severity_legend()))
        groups.append(("Findings", figs))
    if not groups:
        return '<p class="note">No charts: no scores and no findings.</p>'
    return "".join(f'<h3>{esc(title)}</h3><div class="grid">{"".join(figs)}</div>' for title, figs in groups)


# -- analyses ------------------------------------------------------------------

def _analyses(report: dict) -> str:
    an = report["analyses"]
    if an is None:
        return '<p class="note">Reference-based analyses need references.</p>'
    systems = report["corpus"]["systems"]
    out = []
    lb = an["length_buckets"]
    for m in report["scores"]["metrics"]:
        head = ["System"] + [esc(b["label"]) for b in lb["buckets"]]
        rows = [[esc(s)] + [_fmt(v) for v in lb["scores"][m["name"]][s]] for s in systems]
        rows.append(['<span class="note">segments</span>'] + [f"{b['count']:,}" for b in lb["buckets"]])
        out.append(f"<h3>{esc(m['name'])} by reference length</h3>")
        out.append(_table(head, rows, caption=f"Buckets of {esc(lb['unit'])}; each cell is a corpus-level score."))
    lr = an["length_ratio"]
    out.append("<h3>Length of the hypothesis against the reference</h3>")
    out.append(_table(["System"] + [esc(b) for b in lr["buckets"]],
                      [[esc(s)] + [f"{c:,}" for c in lr["counts"][s]] for s in systems],
                      caption="Segments per ratio of hypothesis to reference words; far from 1 means "
                              "dropped or added content."))
    wf = an["word_frequency"]
    out.append("<h3>Word accuracy by frequency</h3>")
    head = ["System"] + [esc(b["label"]) for b in wf["buckets"]]
    rows = []
    for s in systems:
        d = wf["systems"][s]
        rows.append([esc(s)] + [f"{_fmt(None if fm is None else 100 * fm, 1)}"
                                f'<span class="ci">P {_fmt(None if p is None else 100 * p, 1)} '
                                f'R {_fmt(None if r is None else 100 * r, 1)}</span>'
                                for fm, p, r in zip(d["fmeasure"], d["precision"], d["recall"])])
    rows.append(['<span class="note">reference words</span>'] + [f"{n:,}" for n in wf["reference_words"]])
    out.append(_table(head, rows, caption="F-measure, precision (P) and recall (R), in %, of words bucketed by "
                                          "their frequency in the references (bucket 0: words no reference "
                                          "contains, so only precision is defined)."))
    pairs = an["ngram_differences"]["pairs"]
    if pairs:
        out.append("<h3>N-grams one system gets right and the other does not</h3>")
        out.append(f'<p class="note">Clipped reference matches of n-grams (n ≤ {an["ngram_differences"]["max_n"]}) '
                   f"in each system; ranked by (a + α) / (a + b + 2α) with α = {pairs[0]['alpha']:g}, "
                   "as compare-mt does.</p>")
        for k, p in enumerate(pairs):
            open_ = " open" if k == 0 else ""
            out.append(f"<details{open_}><summary>{esc(p['a'])} vs {esc(p['b'])}</summary><div class=\"pairs\">")
            for key, who in (("a_better", p["a"]), ("b_better", p["b"])):
                rows = [[f'<span class="ngram">{esc(r["ngram"])}</span>', str(r["a"]), str(r["b"])] for r in p[key]]
                out.append(_table(["n-gram", esc(p["a"]), esc(p["b"])], rows,
                                  caption=f"{esc(who)} matches more often"))
            out.append("</div></details>")
    return "".join(out)


# -- the document view shell ---------------------------------------------------

def _documents_shell(report: dict) -> str:
    docs = report["documents"]
    systems = report["corpus"]["systems"]
    weighted = sorted(enumerate(docs), key=lambda kv: (-max(kv[1]["penalty"].values(), default=0.0), kv[0]))
    doc_opts = ['<option value="">All documents</option>'] + [
        f'<option value="{esc(d["doc_id"])}">{esc(d["doc_id"])} ({len(d["segments"])} seg., '
        f'{d["n_findings"]} findings)</option>' for _, d in weighted]
    det_opts = ['<option value="">All detectors</option>']
    f = report["findings"]
    if f is not None:
        for r in sorted(f["counts"]["by_detector"], key=lambda r: r["code"]):
            if r["total"]:
                det_opts.append(f'<option value="{esc(r["code"])}">{esc(r["code"])} {esc(r["name"])} '
                                f'({r["total"]})</option>')
    sev_opts = "".join(f'<option value="{s}"{" selected" if s == "info" else ""}>{s} and worse</option>'
                       if s != "critical" else f'<option value="{s}">{s} only</option>'
                       for s in SEVERITIES)
    sys_boxes = "".join(f'<label><input type="checkbox" name="sys" value="{esc(s)}" checked> {esc(s)}</label>'
                        for s in systems)
    return f"""<div id="doc-view" hidden>
<p class="note">Documents ranked worst first (findings weighted by severity, then the lowest sentence
{esc(report['meta']['rank_metric'] or 'score')}); choose one to read it in order. Highlighted spans show the
finding on hover or keyboard focus.</p>
<form class="controls" aria-label="Filter segments">
<label>Document <select id="f-doc">{''.join(doc_opts)}</select></label>
<label>Order <select id="f-sort"><option value="worst" selected>worst first</option>
<option value="order">document order</option></select></label>
<label>Detector <select id="f-det">{''.join(det_opts)}</select></label>
<label>Severity <select id="f-sev">{sev_opts}</select></label>
<fieldset><legend>Systems</legend><div class="systems">{sys_boxes}</div></fieldset>
<label><span>Only with findings</span><input type="checkbox" id="f-only"></label>
<label>Per page <select id="f-size"><option>10</option><option selected>25</option><option>50</option>
<option>100</option></select></label>
</form>
<p class="keys" id="keys" hidden>Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous segment,
<kbd>n</kbd>/<kbd>p</kbd> next/previous page, <kbd>Tab</kbd> to the highlighted spans,
<kbd>/</kbd> document filter, <kbd>Esc</kbd> close the finding.</p>
<div class="pager"><button type="button" id="pg-prev">← Previous</button><span id="pg-page"></span>
<button type="button" id="pg-next">Next →</button><span class="status" id="seg-status" role="status"></span></div>
<div id="seg-list"></div>
<div id="tip" role="tooltip" hidden></div>
</div>"""
