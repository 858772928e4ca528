"""WMT test-set formats.

* **WMT XML** (WMT21 and later): one file holds documents with the source,
  any number of references (``<ref translator=...>``) and system outputs
  (``<hyp system=...>``), segments numbered inside ``<p>`` paragraphs.
* **SGML** (WMT up to 2020): one file per side, ``<doc docid=...>`` holding
  ``<seg id=...>`` lines; text is taken verbatim, as the ``.txt`` releases are.

Unlike tools that skip segments without a reference, every segment of the
source is kept: unreferenced segments are still checked by detectors and
simply carry no reference.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..corpus import Corpus, hyp_column
from ..errors import InputError
from .textfile import read_text
from .xmlsafe import parse_bytes


def _segments(side, path: str, what: str) -> dict[int, tuple[str, int]]:
    segs = {}
    for seg in side.iter("seg"):
        sid = seg.get("id")
        if sid is None or not sid.strip().isdigit():
            raise InputError(f"{what}: <seg> needs a numeric id, found {sid!r}", path, seg.sourceline)
        n = int(sid)
        if n in segs:
            raise InputError(f"{what}: duplicate segment id {n}", path, seg.sourceline)
        segs[n] = ("".join(seg.itertext()), seg.sourceline)
    return segs


def read_wmt_xml(path: str) -> Corpus:
    # read_text gives the uniform errors (missing file, bad UTF-8 with line).
    root = parse_bytes(read_text(path).encode("utf-8"), path)
    rows = []
    docs = root.findall(".//doc")
    if not docs:
        raise InputError("no <doc> elements: not a WMT XML test set", path, 1)
    for doc in docs:
        doc_id = doc.get("id")
        if not doc_id:
            raise InputError("<doc> without an id", path, doc.sourceline)
        srcs = doc.findall("src")
        if len(srcs) != 1:
            raise InputError(f"document {doc_id!r} must have exactly one <src>, found {len(srcs)}",
                             path, doc.sourceline)
        src = srcs[0]
        src_segs = _segments(src, path, f"document {doc_id!r} source")
        refs = []
        for i, ref in enumerate(doc.findall("ref")):
            name = ref.get("translator") or str(i)
            refs.append((name, ref.get("lang"), _segments(ref, path, f"document {doc_id!r} reference {name!r}")))
        hyps = []
        for hyp in doc.findall("hyp"):
            system = hyp.get("system")
            if not system:
                raise InputError(f"document {doc_id!r}: <hyp> without a system attribute",
                                 path, hyp.sourceline)
            segs = _segments(hyp, path, f"document {doc_id!r} system {system!r}")
            extra = set(segs) - set(src_segs)
            if extra:
                raise InputError(f"document {doc_id!r} system {system!r} has segment {min(extra)} "
                                 "that the source does not have", path, hyp.sourceline)
            hyps.append((system, hyp.get("lang"), segs))
        tgt_lang = next((lang for _, lang, _ in refs + hyps if lang), None)
        for n in sorted(src_segs):
            text, line = src_segs[n]
            row = {"doc_id": doc_id, "seg_id": n, "source": text,
                   "src_lang": src.get("lang"), "tgt_lang": tgt_lang,
                   "references": tuple(segs[n][0] for _, _, segs in refs
                                       if n in segs and segs[n][0].strip()),
                   "line": line}
            origin = {"source": f"{path}:{line}"}
            for system, _, segs in hyps:
                if n not in segs:
                    raise InputError(f"document {doc_id!r} system {system!r} has no segment {n}",
                                     path, line)
                row[hyp_column(system)] = segs[n][0]
                origin[hyp_column(system)] = f"{path}:{segs[n][1]}"
            for i, (_, _, segs) in enumerate(refs):
                if n in segs:
                    origin[f"ref:{i}"] = f"{path}:{segs[n][1]}"
            row["origin"] = origin
            for attr in ("origlang", "domain"):
                if doc.get(attr) is not None:
                    row[attr] = doc.get(attr)
            rows.append(row)
    return Corpus(pd.DataFrame(rows), name=root.get("id") or Path(path).stem, files={"*": str(path)})


_SGM_DOC = re.compile(r'<doc\b[^>]*\bdocid="([^"]*)"', re.IGNORECASE)
_SGM_SEG = re.compile(r'<seg\b[^>]*>(.*)</seg>\s*$', re.IGNORECASE)


def read_sgml(path: str) -> tuple[list[str], list[str]]:
    """``(segments, doc_ids)`` of one SGML side, in file order."""
    segs, ids = [], []
    doc = None
    for i, line in enumerate(read_text(path).split("\n"), 1):
        m = _SGM_DOC.search(line)
        if m:
            doc = m.group(1)
            continue
        m = _SGM_SEG.search(line)
        if m:
            if doc is None:
                raise InputError("<seg> outside a <doc docid=...>", path, i)
            segs.append(m.group(1).strip())
            ids.append(doc)
    if not segs:
        raise InputError("no <seg> lines: not a WMT SGML file", path)
    return segs, ids
