"""Baselines: accept today's findings, fail only on new ones.

A finding's **fingerprint** is a hash of its detector code, system, document
id, side and normalised span text (Unicode NFKC, case-folded, spaces
collapsed; the message when the span is empty), plus its occurrence index
among findings sharing all of those.  Line numbers, segment numbers and
character offsets are left out on purpose: adding or editing an unrelated
paragraph, or re-wrapping the feed file, keeps every fingerprint.

The baseline file is JSON, sorted, with no timestamp, so that it diffs well
under version control.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .detectors.base import Finding
from .errors import InputError
from .fileio import atomic_write

FORMAT_VERSION = 1


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _key(f: Finding) -> str:
    anchor = normalise(f.span_text) or "msg:" + normalise(f.message)
    return "\x1f".join((f.code, f.system or "", f.doc_id, f.side, anchor))


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding, in the order given.  Occurrence indices
    follow document order (segment, then offset), not the input order."""
    order = sorted(range(len(findings)), key=lambda i: (findings[i].doc_id, findings[i].seg_id,
                                                        findings[i].start, findings[i].code))
    seen: Counter[str] = Counter()
    out = [""] * len(findings)
    for i in order:
        key = _key(findings[i])
        n = seen[key]
        seen[key] += 1
        out[i] = hashlib.sha256(f"{key}\x1e{n}".encode("utf-8")).hexdigest()[:24]
    return out


@dataclass(frozen=True)
class BaselineEntry:
    fingerprint: str
    code: str
    doc_id: str
    system: str | None
    severity: str
    span_text: str
    message: str

    def as_dict(self) -> dict:
        return {"fingerprint": self.fingerprint, "code": self.code, "doc_id": self.doc_id,
                "system": self.system, "severity": self.severity, "span_text": self.span_text,
                "message": self.message}


def entries(findings: Sequence[Finding], prints: Sequence[str]) -> list[BaselineEntry]:
    return [BaselineEntry(fp, f.code, f.doc_id, f.system, str(f.severity), f.span_text, f.message)
            for f, fp in zip(findings, prints)]


def write_baseline(path: str, items: Iterable[BaselineEntry]) -> int:
    rows = sorted((e.as_dict() for e in items), key=lambda d: (d["doc_id"], d["code"], d["fingerprint"]))
    doc = {"mt_eval_baseline": FORMAT_VERSION,
           "about": "Findings accepted as known; `mt-eval ci --baseline FILE` fails only on findings not listed.",
           "findings": rows}
    with atomic_write(path) as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return len(rows)


def read_baseline(path: str) -> list[BaselineEntry]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise InputError("baseline file not found (create it with --write-baseline)", path) from None
    except OSError as exc:
        raise InputError(f"cannot read baseline ({exc.strerror or exc})", path) from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("baseline is not UTF-8", path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path, exc.lineno, exc.colno) from None
    if not isinstance(doc, dict) or doc.get("mt_eval_baseline") != FORMAT_VERSION:
        raise InputError(f"not an mt_eval baseline (version {FORMAT_VERSION} expected)", path, 1)
    rows = doc.get("findings")
    if not isinstance(rows, list):
        raise InputError("baseline has no \"findings\" list", path, 1)
    out = []
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or not isinstance(r.get("fingerprint"), str):
            raise InputError(f"baseline entry {i + 1} has no fingerprint", path)
        out.append(BaselineEntry(r["fingerprint"], str(r.get("code", "")), str(r.get("doc_id", "")),
                                 r.get("system"), str(r.get("severity", "")), str(r.get("span_text", "")),
                                 str(r.get("message", ""))))
    return out


def match(current: Sequence[str], baseline: Sequence[BaselineEntry]) -> tuple[list[bool], list[BaselineEntry]]:
    """``(known, fixed)``: for each current fingerprint whether the baseline
    holds it (as a multiset), and the baseline entries no longer found."""
    pool = Counter(e.fingerprint for e in baseline)
    known = []
    for fp in current:
        if pool[fp] > 0:
            pool[fp] -= 1
            known.append(True)
        else:
            known.append(False)
    fixed = []
    for e in baseline:
        if pool[e.fingerprint] > 0:
            pool[e.fingerprint] -= 1
            fixed.append(e)
    return known, fixed
