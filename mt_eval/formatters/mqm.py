"""Findings in the TSV format of Google's MQM annotations
(github.com/google/wmt-mqm-human-evaluation).

Columns ``system doc doc_id seg_id rater source target category severity
comment``, one row per error with its span marked ``<v>…</v>`` in the
target (or in the source, for source-side findings), and a ``No-error`` row
for every (system, segment) without findings, as in the published files.
``doc_id`` is the segment's position in its document and ``seg_id`` its
position in the corpus (both 1-based), like Google's ``doc_id``/``seg_id``.
The rater is ``mt_eval``; the comment names the detector.  Severities map
to ``Critical``, ``Major``, ``Minor`` and (info) ``Neutral``.  The format has
no quoting, so tabs and line breaks inside texts become spaces.
Source-side findings (which belong to no system) are repeated for every
system, as human raters annotate the source afresh for each.
"""
from __future__ import annotations

from collections import defaultdict
from typing import IO

from .base import FindingsFormatter, register_formatter

COLUMNS = ["system", "doc", "doc_id", "seg_id", "rater", "source", "target", "category", "severity", "comment"]
SEVERITY = {"critical": "Critical", "major": "Major", "minor": "Minor", "info": "Neutral"}


def _flat(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def mark(text: str, start: int, end: int) -> str:
    return f"{text[:start]}<v>{text[start:end]}</v>{text[end:]}"


@register_formatter
class MqmFormatter(FindingsFormatter):
    name = "mqm"
    extension = ".tsv"
    description = "Google MQM annotation TSV (span marked <v>…</v>; No-error rows for clean segments)"

    def write(self, result, out: IO[str], *, color: bool = False) -> None:
        corpus = result.corpus
        out.write("\t".join(COLUMNS) + "\n")
        if corpus is None:
            return
        frame = corpus.frame
        by_seg: dict[tuple, list[dict]] = defaultdict(list)
        for f in result.findings.to_dict(orient="records"):
            system = f["system"] if isinstance(f["system"], str) else None
            by_seg[(f["doc_id"], int(f["seg_id"]), system)].append(f)
        sources = frame["source"].tolist()
        for system in result.systems:
            hyps = corpus.hypotheses(system)
            for row, (doc, seg_id) in enumerate(zip(frame["doc_id"], frame["seg_id"])):
                src, hyp = sources[row], hyps[row]
                found = by_seg.get((doc, int(seg_id), system), []) + by_seg.get((doc, int(seg_id), None), [])
                base = [system, doc, str(int(seg_id)), str(row + 1), "mt_eval"]
                if not found:
                    out.write("\t".join(base + [_flat(src), _flat(hyp), "No-error", "No-error", ""]) + "\n")
                    continue
                for f in sorted(found, key=lambda f: (f["side"] != "hypothesis", f["start"], f["code"])):
                    s, e = int(f["start"]), int(f["end"])
                    if f["side"] == "source":
                        s_text, t_text = mark(src, s, e), hyp
                    else:
                        s_text, t_text = src, mark(hyp, s, e)
                    comment = f"{f['code']} {f['name']}: {f['message']}"
                    out.write("\t".join(base + [_flat(s_text), _flat(t_text), f["category"],
                                                SEVERITY.get(f["severity"], f["severity"]), _flat(comment)]) + "\n")
