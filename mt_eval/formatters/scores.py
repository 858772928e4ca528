"""Score tables: a readable terminal table, JSON, CSV and TSV.

Corpus scores are written from ``result.rows`` (plain dicts, uniform keys,
NaN where a DataFrame of them would hold NaN), so that printing scores does
not import pandas; only sentence-level tables are DataFrames.
"""
from __future__ import annotations

import csv
import json
import math
from typing import IO, Any, Mapping

import numpy as np

SIGNIFICANCE = 0.05


def _present(v: Any) -> bool:
    return v is not None and not (isinstance(v, (float, np.floating)) and math.isnan(v))


def _num(v: Any) -> Any:
    """Plain Python numbers for JSON (numpy floats, float32 included)."""
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, dict):
        return {k: _num(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_num(x) for x in v]
    return v


def _cell(row: Mapping[str, Any], width: int) -> str:
    text = f"{row['score']:.{width}f}"
    if _present(row.get("ci_halfwidth")):
        text += f" (μ = {row['bs_mean']:.{width}f} ± {row['ci_halfwidth']:.{width}f})"
    if _present(row.get("p_value")):
        mark = "*" if row["p_value"] < SIGNIFICANCE else ""
        text += f" (p = {row['p_value']:.4f}){mark}"
    return text


def _align(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, r in enumerate(rows):
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append("  ".join(cells).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def text_report(result, width: int = 2, short: bool = False, sentence_level: bool = False) -> str:
    records = result.rows
    metrics = list(dict.fromkeys(r["metric"] for r in records))
    systems = list(dict.fromkeys(r["system"] for r in records))
    by = {(r["system"], r["metric"]): r for r in records}
    rows = [["system"] + metrics]
    baseline = next((r["baseline"] for r in records if _present(r.get("baseline"))), None)
    for s in systems:
        label = f"{s} (baseline)" if s == baseline else s
        rows.append([label] + [_cell(by[(s, m)], width) for m in metrics])
    lines = _align(rows)
    first = records[0]
    if first["n_scored"] != first["n_segments"]:
        lines.append(f"scored {first['n_scored']} of {first['n_segments']} segments: "
                     f"{first['n_segments'] - first['n_scored']} have no reference")
    if baseline is not None:
        test = next(r["test"] for r in records if _present(r.get("test")))
        name = "paired bootstrap resampling" if test == "bs" else "approximate randomization"
        lines.append(f"p-values: {name} against {baseline}; * marks p < {SIGNIFICANCE}")
    arrows = {m: ("↑" if by[(systems[0], m)]["higher_is_better"] else "↓ lower is better") for m in metrics}
    lines.append("")
    lines.append("signatures:")
    key = "signature_short" if short else "signature"
    for m in metrics:
        sig = by[(systems[0], m)][key]
        lines.append(f"  {m}: {sig}" + ("" if arrows[m] == "↑" else f"  ({arrows[m]})"))
    if sentence_level and result.segments is not None:
        lines.append("")
        lines.append("sentence-level signatures:")
        for m, sig in result.sentence_signatures.items():
            lines.append(f"  {m}: {sig}")
        seg = result.segments
        srows = [["doc_id", "seg_id", "system"] + metrics]
        for r in seg.itertuples(index=False):
            srows.append([str(r[0]), str(r[1]), str(r[2])] +
                         [f"{v:.{width}f}" if _present(v) else "-" for v in r[3:]])
        lines.append("")
        lines.extend(_align(srows))
    return "\n".join(lines) + "\n"


def json_report(result) -> dict:
    corpus = [{k: _num(v) for k, v in row.items() if not (isinstance(v, float) and math.isnan(v))}
              for row in result.rows]
    doc: dict[str, Any] = {"corpus": corpus}
    if result.segments is not None:
        doc["sentence_signatures"] = result.sentence_signatures
        doc["segments"] = [{k: _num(v) for k, v in row.items()}
                           for row in result.segments.to_dict(orient="records")]
    return doc


def write_scores(result, out: IO[str], fmt: str = "text", width: int = 2, short: bool = False,
                 sentence_level: bool = False, color: bool = False) -> None:
    if fmt == "text":
        out.write(text_report(result, width, short, sentence_level))
    elif fmt == "json":
        json.dump(json_report(result), out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        if sentence_level and result.segments is not None:
            columns = list(result.segments.columns)
            rows = result.segments.itertuples(index=False)
        else:
            columns = [c for c in result.rows[0] if c != "details"] if result.rows else []
            rows = ([r[c] for c in columns] for r in result.rows)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if (isinstance(v, float) and math.isnan(v)) else v for v in row])
    else:  # pragma: no cover - argparse restricts the choice
        raise ValueError(fmt)
