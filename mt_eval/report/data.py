"""Assemble everything a report shows into one JSON-ready document.

The HTML, Markdown, JSON and table outputs are all renderings of the dict
:func:`build_report` returns, so they cannot disagree.  Its shape is
documented (and checked in the tests) by ``report.schema.json`` in this
package.

Ranking "worst first": a segment's *penalty* for a system is the sum of its
findings' severity weights (MQM-style: critical 10, major 5, minor 1,
info 0); segments are ranked by penalty, then by the lowest sentence score
of the ranking metric (chrF when computed).
"""
from __future__ import annotations

import datetime as _dt
import math
from collections import defaultdict
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .. import __version__
from ..corpus import CORE_COLUMNS, HYP_PREFIX, Corpus
from . import analysis

FORMAT = "mt_eval.report"
FORMAT_VERSION = 1
SEVERITIES = ("critical", "major", "minor", "info")
SEVERITY_WEIGHTS = {"critical": 10.0, "major": 5.0, "minor": 1.0, "info": 0.0}
ALPHA = 0.05
# Columns of the segment table that are bookkeeping, not metadata to show.
_NOT_METADATA = set(CORE_COLUMNS) | {"line", "origin"}
MAX_NGRAM_PAIRS = 12


def build_report(corpus: Corpus, scores=None, checks=None, *, title: str | None = None,
                 rank_metric: str | None = None, alpha: float = ALPHA, top_ngrams: int = 25,
                 analyses: bool = True, created: str | None = None) -> dict[str, Any]:
    """The report document of ``corpus`` with its :class:`~mt_eval.scoring.ScoreResult`
    (``scores``) and :class:`~mt_eval.detectors.CheckResult` (``checks``);
    either may be ``None`` (no references, or detectors not run)."""
    systems = _systems(corpus, scores, checks)
    metric_names = [m.name for m in scores.metrics] if scores is not None else []
    if rank_metric is None:
        rank_metric = next((m for m in metric_names if m.lower().startswith("chrf")),
                           metric_names[0] if metric_names else None)
    else:
        rank_metric = _metric_name(rank_metric, metric_names)
    items, by_segment = _finding_items(checks, systems)
    seg_scores = _segment_scores(corpus, scores, systems)
    documents = _documents(corpus, systems, seg_scores, items, by_segment)
    report = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "meta": {
            "title": title or f"Translation quality report: {corpus.name or 'corpus'}",
            "tool": "mt_eval", "tool_version": __version__,
            "created": created or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "rank_metric": rank_metric,
            "severity_weights": dict(SEVERITY_WEIGHTS),
            "alpha": alpha,
        },
        "corpus": _corpus_info(corpus, systems),
        "scores": _scores(scores, alpha) if scores is not None else None,
        "findings": _findings(checks, items, systems) if checks is not None else None,
        "analyses": (_analyses(corpus, scores, systems, top_ngrams)
                     if analyses and scores is not None else None),
        "documents": documents,
    }
    return report


# -- pieces ------------------------------------------------------------------

def _metric_name(asked: str, computed: list[str]) -> str:
    """A computed metric's display name from what a user typed: ``chrF2``,
    ``chrf2`` or the metric's registry name (``chrf``, ``chrf++``)."""
    from ..errors import UsageError
    from ..metrics import REGISTRY, build_metric
    for name in computed:
        if name == asked or name.casefold() == asked.casefold():
            return name
    if asked.lower() in REGISTRY:
        try:
            display = build_metric(asked).name
        except Exception:  # a metric that cannot be built here was not computed either
            display = None
        if display in computed:
            return display
    raise UsageError(f"ranking metric {asked!r} was not computed; computed: {', '.join(computed) or 'none'}")


def _systems(corpus: Corpus, scores, checks) -> list[str]:
    order: list[str] = []
    if scores is not None:
        order += list(dict.fromkeys(scores.corpus["system"]))
    if checks is not None:
        order += [s for s in checks.systems if s not in order]
    if not order:
        order = corpus.systems
    return order


def _corpus_info(corpus: Corpus, systems: list[str]) -> dict:
    f = corpus.frame
    refs = f["references"]
    langs = {k: next((v for v in f[k] if v), None) for k in ("src_lang", "tgt_lang")}
    return {
        "name": corpus.name,
        "files": {k: str(v) for k, v in corpus.files.items()},
        "n_segments": len(corpus),
        "n_documents": int(f["doc_id"].nunique()),
        "systems": systems,
        "src_lang": langs["src_lang"],
        "tgt_lang": langs["tgt_lang"],
        "has_source": corpus.has_source,
        "n_references": int(max((len(r) for r in refs), default=0)),
        "n_with_reference": int(sum(1 for r in refs if len(r))),
    }


def _num(v) -> float | None:
    """A finite float, or None (JSON has no NaN or infinity)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _scores(scores, alpha: float) -> dict:
    df = scores.corpus
    metrics = []
    for m in scores.metrics:
        first = df[df["metric"] == m.name].iloc[0]
        metrics.append({"name": m.name, "higher_is_better": bool(m.higher_is_better),
                        "signature": str(first["signature"]),
                        "sentence_signature": scores.sentence_signatures.get(m.name)})
    baseline = None
    test = None
    if "baseline" in df.columns and df["baseline"].notna().any():
        baseline = str(df["baseline"].dropna().iloc[0])
        test = str(df["test"].dropna().iloc[0])
    by = {(r["system"], r["metric"]): r for r in df.to_dict(orient="records")}
    rows = []
    for m in scores.metrics:
        vals = {s: by[(s, m.name)]["score"] for s in dict.fromkeys(df["system"])}
        best = (max if m.higher_is_better else min)(vals.values())
        for s, v in vals.items():
            r = by[(s, m.name)]
            p = _num(r.get("p_value"))
            row = {"system": s, "metric": m.name, "score": float(v),
                   "bs_mean": _num(r.get("bs_mean")), "ci_low": _num(r.get("ci_low")),
                   "ci_high": _num(r.get("ci_high")), "ci_halfwidth": _num(r.get("ci_halfwidth")),
                   "p_value": p, "best": bool(v == best), "baseline": baseline == s,
                   "delta": None, "significant": None, "verdict": None}
            if baseline is not None and s != baseline:
                d = float(v) - float(vals[baseline])
                row["delta"] = d
                row["significant"] = p is not None and p < alpha
                gain = d if m.higher_is_better else -d
                if not row["significant"]:
                    row["verdict"] = "same"
                else:
                    row["verdict"] = "better" if gain > 0 else "worse" if gain < 0 else "same"
            rows.append(row)
    first = df.iloc[0]
    return {"metrics": metrics, "baseline": baseline, "test": test, "alpha": alpha,
            "n_segments": int(first["n_segments"]), "n_scored": int(first["n_scored"]),
            "rows": rows}


def _clean(v: Any) -> Any:
    """JSON-ready values from whatever a detector or a reader put there."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return _num(v)
    if isinstance(v, dict):
        return {str(k): _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, np.ndarray)):
        return [_clean(x) for x in v]
    return str(v)


def _finding_items(checks, systems: list[str]):
    """Finding dicts with an ``id`` each, and (doc_id, seg_id) -> ids."""
    by_segment: dict[tuple[str, int], list[int]] = defaultdict(list)
    if checks is None or checks.findings.empty:
        return [], by_segment
    df = checks.findings
    keep = set(systems)
    items = []
    for rec in df.to_dict(orient="records"):
        # Source-side findings belong to no system (None, or NaN in a frame).
        system = rec.get("system") if isinstance(rec.get("system"), str) else None
        if system is not None and system not in keep:
            continue
        sugg = rec.get("suggestion")
        item = {
            "id": len(items),
            "doc_id": str(rec["doc_id"]), "seg_id": int(rec["seg_id"]),
            "system": system, "code": str(rec["code"]), "name": str(rec["name"]),
            "severity": str(rec["severity"]), "category": str(rec["category"]),
            "side": str(rec["side"]), "start": int(rec["start"]), "end": int(rec["end"]),
            "span_text": str(rec.get("span_text") or ""), "message": str(rec["message"]),
            "suggestion": None if sugg is None or (isinstance(sugg, float) and math.isnan(sugg)) else str(sugg),
            "confidence": _num(rec.get("confidence")),
            "data": _clean(rec.get("data") or {}),
        }
        items.append(item)
        by_segment[(item["doc_id"], item["seg_id"])].append(item["id"])
    return items, by_segment


def _findings(checks, items: list[dict], systems: list[str]) -> dict:
    detectors = []
    ran = {d.code for d in checks.detectors} - set(checks.skipped)
    for det in checks.detectors:
        cls = type(det)
        detectors.append({"code": cls.code, "name": cls.name, "groups": list(cls.groups),
                          "severity": str(det.effective_severity), "category": cls.category,
                          "summary": cls.summary(), "status": "ran" if cls.code in ran else "skipped",
                          "reason": checks.skipped.get(cls.code)})
    known = {d["code"] for d in detectors}
    for it in items:  # findings handed in without their detector objects
        if it["code"] not in known:
            known.add(it["code"])
            detectors.append({"code": it["code"], "name": it["name"], "groups": [], "severity": it["severity"],
                              "category": it["category"], "summary": "", "status": "ran", "reason": None})
    by_det: dict[str, dict[str, int]] = {d["code"]: {s: 0 for s in SEVERITIES} for d in detectors}
    by_sys: dict[str, dict[str, int]] = {s: {v: 0 for v in SEVERITIES} for s in systems}
    by_det_sys: dict[tuple[str, str], int] = defaultdict(int)
    for it in items:
        by_det[it["code"]][it["severity"]] += 1
        if it["system"] in by_sys:
            by_sys[it["system"]][it["severity"]] += 1
            by_det_sys[(it["code"], it["system"])] += 1
    names = {d["code"]: d["name"] for d in detectors}
    counts = {
        "by_detector": [{"code": c, "name": names[c], **v, "total": sum(v.values())} for c, v in by_det.items()],
        "by_system": [{"system": s, **v, "total": sum(v.values())} for s, v in by_sys.items()],
        "by_detector_system": [{"code": c, "system": s, "count": n} for (c, s), n in sorted(by_det_sys.items())],
        "total": len(items),
    }
    errors = [{k: _clean(v) for k, v in r.items()} for r in checks.errors.to_dict(orient="records")]
    return {"detectors": detectors, "counts": counts, "errors": errors, "items": items}


def _segment_scores(corpus: Corpus, scores, systems) -> dict[str, dict[str, np.ndarray]]:
    """system -> metric -> sentence scores aligned with the corpus rows."""
    if scores is None or scores.segments is None:
        return {}
    seg = scores.segments
    n = len(corpus)
    out: dict[str, dict[str, np.ndarray]] = {}
    metric_cols = [m.name for m in scores.metrics]
    doc_ids = corpus.frame["doc_id"].to_numpy()
    for system, part in seg.groupby("system", sort=False):
        if len(part) != n or not np.array_equal(part["doc_id"].to_numpy(), doc_ids):
            raise ValueError(f"sentence scores of {system!r} do not follow the corpus rows")
        out[str(system)] = {m: part[m].to_numpy(dtype=float) for m in metric_cols}
    return out


def _metadata_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in _NOT_METADATA and not str(c).startswith(HYP_PREFIX)]


def _documents(corpus: Corpus, systems, seg_scores, items, by_segment) -> list[dict]:
    f = corpus.frame
    meta_cols = _metadata_columns(f)
    doc_level = _constant_within_documents(f, meta_cols)
    doc_ids = f["doc_id"].tolist()
    seg_ids = f["seg_id"].tolist()
    sources = f["source"].tolist()
    refs = f["references"].tolist()
    lines = f["line"].tolist() if "line" in f.columns else [None] * len(f)
    hyps = {s: f[HYP_PREFIX + s].tolist() for s in systems if HYP_PREFIX + s in f.columns}
    meta_values = {c: f[c].tolist() for c in meta_cols}
    origins = f["origin"].tolist() if "origin" in f.columns else None
    metric_names = list(next(iter(seg_scores.values())).keys()) if seg_scores else []
    docs: list[dict] = []
    index: dict[str, dict] = {}
    for i in range(len(f)):
        d = doc_ids[i]
        doc = index.get(d)
        if doc is None:
            doc = index[d] = {"doc_id": d,
                              "metadata": {c: _clean(meta_values[c][i]) for c in meta_cols if c in doc_level},
                              "segments": []}
            docs.append(doc)
        ids = by_segment.get((d, int(seg_ids[i])), [])
        penalty = {s: 0.0 for s in systems}
        for k in ids:
            it = items[k]
            if it["system"] in penalty:
                penalty[it["system"]] += SEVERITY_WEIGHTS.get(it["severity"], 0.0)
        seg = {"seg_id": int(seg_ids[i]), "row": i, "line": _line(lines[i]),
               "source": sources[i], "references": list(refs[i]),
               "hypotheses": {s: hyps[s][i] for s in hyps},
               "scores": {s: {m: _num(seg_scores[s][m][i]) for m in metric_names} for s in seg_scores},
               "penalty": penalty, "findings": ids,
               "metadata": {c: _clean(meta_values[c][i]) for c in meta_cols if c not in doc_level}}
        if origins is not None and isinstance(origins[i], dict):
            seg["origin"] = {str(k): str(v) for k, v in origins[i].items()}
        doc["segments"].append(seg)
    for doc in docs:
        doc["penalty"] = {s: sum(seg["penalty"][s] for seg in doc["segments"]) for s in systems}
        doc["n_findings"] = sum(len(seg["findings"]) for seg in doc["segments"])
    return docs


def _constant_within_documents(f: pd.DataFrame, cols: list[str]) -> set[str]:
    """Metadata columns whose value is the same on every row of each
    document: they describe the document (URL, date), the rest segments.
    Values are compared as JSON, since readers may give lists or dicts."""
    import json
    out = set()
    docs = f["doc_id"].to_numpy()
    for c in cols:
        keys = [json.dumps(_clean(v), sort_keys=True, default=str) for v in f[c]]
        frame = pd.DataFrame({"d": docs, "k": keys})
        if frame.groupby("d", sort=False)["k"].nunique().max() <= 1:
            out.add(c)
    return out


def _line(v) -> int | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _analyses(corpus: Corpus, scores, systems: Sequence[str], top_ngrams: int) -> dict:
    mask = scores.scored_mask if scores.scored_mask is not None else np.ones(len(corpus), bool)
    idx = np.flatnonzero(mask)
    refs = corpus.references
    # The first reference stands for the segment in word-level analyses, as
    # in compare-mt (which takes one reference file).
    ref_tok = analysis.tokenize([refs[i][0] for i in idx])
    hyp_tok = {s: analysis.tokenize([h for j, h in enumerate(corpus.hypotheses(s)) if mask[j]]) for s in systems}
    ref_len = [len(t) for t in ref_tok]
    out: dict[str, Any] = {"n_segments": int(len(idx)), "tokenizer": "13a"}
    dist = {}
    for m in scores.metrics:
        seg = scores.segments
        per = {}
        for s in systems:
            vals = seg.loc[seg["system"] == s, m.name].to_numpy(dtype=float)
            per[s] = analysis.distribution(vals)
        dist[m.name] = per
    out["distributions"] = dist
    out["length_buckets"] = analysis.length_buckets(ref_len, scores.stats, scores.metrics, systems)
    out["length_ratio"] = analysis.length_ratio_buckets({s: [len(t) for t in hyp_tok[s]] for s in systems}, ref_len)
    tokens = analysis.Tokens(ref_tok, hyp_tok)
    out["word_frequency"] = analysis.word_accuracy_by_frequency(tokens)
    pairs = []
    if len(systems) > 1:
        table = analysis.NgramTable(tokens)
        for other in systems[1:1 + MAX_NGRAM_PAIRS]:
            pairs.append({"a": systems[0], "b": other, **table.differences(systems[0], other, top=top_ngrams)})
    out["ngram_differences"] = {"max_n": analysis.NGRAM_ORDER, "pairs": pairs}
    return out
