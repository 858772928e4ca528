"""Writing a report in its formats, each file atomically.

``html``     the self-contained review report (:mod:`.html`)
``md``       Markdown summary for pull requests and CI step summaries
``json``     the whole report document (schema: ``report.schema.json``)
``csv``      the segment table, one row per (segment, system)
``parquet``  the same table as Parquet (needs the ``parquet`` extra: pyarrow)
``mqm``      the findings as Google's MQM annotation TSV (the ``mqm`` findings
             formatter of ``mt-eval check``, fed from the report)
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import DependencyError, UsageError
from ..fileio import atomic_write
from .data import SEVERITIES

SUFFIXES = {"html": ".html", "md": ".md", "json": ".json", "csv": ".segments.csv",
            "parquet": ".segments.parquet", "mqm": ".mqm.tsv"}
DEFAULT_FORMATS = ("html", "md", "json")


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def segment_table(report: dict) -> pd.DataFrame:
    """One row per (segment, system): texts, sentence scores, finding counts
    by severity, the severity-weighted penalty and the detector codes."""
    metrics = [m["name"] for m in report["scores"]["metrics"]] if report["scores"] else []
    items = report["findings"]["items"] if report["findings"] else []
    n_refs = report["corpus"]["n_references"]
    rows = []
    for doc in report["documents"]:
        for seg in doc["segments"]:
            refs = seg["references"]
            for system, hyp in seg["hypotheses"].items():
                fs = [items[i] for i in seg["findings"] if items[i]["system"] == system]
                row = {"doc_id": doc["doc_id"], "seg_id": seg["seg_id"], "system": system,
                       "source": seg["source"], "hypothesis": hyp}
                for k in range(max(1, n_refs)):
                    row["reference" if k == 0 else f"reference_{k + 1}"] = refs[k] if k < len(refs) else None
                sc = seg["scores"].get(system, {})
                for m in metrics:
                    row[m] = sc.get(m)
                row["findings"] = len(fs)
                for s in SEVERITIES:
                    row[s] = sum(1 for f in fs if f["severity"] == s)
                row["penalty"] = seg["penalty"].get(system, 0.0)
                row["codes"] = " ".join(sorted({f["code"] for f in fs}))
                rows.append(row)
    df = pd.DataFrame(rows)
    for m in metrics:
        df[m] = df[m].astype(float)
    return df


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    with atomic_write(path) as fh:
        df.to_csv(fh, index=False, lineterminator="\n")


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise DependencyError("Parquet output needs pyarrow: pip install 'mt_eval[parquet]'") from None
    with atomic_write(path, "wb") as fh:
        df.to_parquet(fh, index=False)


def findings_view(report: dict):
    """What the findings formatters of ``mt-eval check`` read (``corpus``,
    ``findings``, ``systems``), rebuilt from a report document, so that the
    report exports findings with the same code as ``check``."""
    from types import SimpleNamespace

    from ..corpus import Corpus
    from ..detectors.runner import FINDING_COLUMNS
    if report["findings"] is None:
        raise UsageError("the MQM export lists findings, and no detector was run for this report")
    records = [{"doc_id": d["doc_id"], "seg_id": s["seg_id"], "source": s["source"],
                "references": s["references"], "hypotheses": s["hypotheses"]}
               for d in report["documents"] for s in d["segments"]]
    corpus = Corpus.from_records(records, name=report["corpus"]["name"])
    findings = pd.DataFrame(report["findings"]["items"], columns=FINDING_COLUMNS)
    return SimpleNamespace(corpus=corpus, findings=findings, systems=list(report["corpus"]["systems"]))


def _write_mqm(report: dict, path: Path) -> None:
    from ..formatters.mqm import MqmFormatter
    view = findings_view(report)
    with atomic_write(path) as fh:
        MqmFormatter().write(view, fh)


def output_paths(stem: str | Path, formats: Iterable[str]) -> dict[str, Path]:
    stem = Path(stem)
    if stem.suffix.lower() in (".html", ".htm", ".md", ".json"):
        stem = stem.with_suffix("")
    out = {}
    for fmt in formats:
        if fmt not in SUFFIXES:
            raise UsageError(f"unknown report format {fmt!r}; choose from {', '.join(SUFFIXES)}")
        out[fmt] = stem.with_name(stem.name + SUFFIXES[fmt])
    return out


def write_report(report: dict, stem: str | Path, formats: Iterable[str] = DEFAULT_FORMATS) -> dict[str, Path]:
    """Write ``report`` as ``stem.html``, ``stem.md`` … ; returns format -> path.

    Each file is complete or absent: it is written beside its target and
    renamed into place.
    """
    paths = output_paths(stem, formats)
    table = None
    for fmt, path in paths.items():
        if fmt == "html":
            from .html import render_html
            text = render_html(report)
        elif fmt == "md":
            from ..formatters.markdown import report_summary
            text = report_summary(report)
        elif fmt == "json":
            text = to_json(report)
        elif fmt == "mqm":
            _write_mqm(report, path)
            continue
        else:
            table = segment_table(report) if table is None else table
            (_write_csv if fmt == "csv" else _write_parquet)(table, path)
            continue
        with atomic_write(path) as fh:
            fh.write(text)
    return paths


def safe_stem(name: str | None) -> str:
    """A file name from a corpus name: letters, digits, ``.-_`` only."""
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in (name or "report")).strip("._")
    return cleaned[:100] or "report"
