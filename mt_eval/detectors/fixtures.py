"""Fixture files: passing and failing cases of a detector, as data.

``tests/fixtures/detectors/<CODE>.yml``::

    code: SG001
    lang: en            # target language of every case (default en)
    src_lang: fr        # source language, when cases have a source
    cases:
      - id: doubled_stop
        text: "announced on Tuesday, November 14[[. .]] The capture"
      - id: ellipsis
        text: "And then... nothing."
      - id: with_source                 # source-side spans are marked in source
        source: "Le [[3 000]] manifestants"
        text: "The protesters"
      - id: footer                      # one document of several segments
        doc: ["The army took Kidal.", "[[Exit mobile version]]"]
      - id: recurring                   # several documents
        corpus: [["A.", "[[Share this:]]"], ["B.", "[[Share this:]]"]]
        options: {use_position: false}

``[[…]]`` marks a span the detector must report; a case without marks
must produce no finding of that code.  A segment is a string (the
translation) or ``{text: …, source: …}``.  ``lang``/``src_lang``/``options``
may be set per case.  The finding set must equal the marked set exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARK = re.compile(r"\[\[(.*?)\]\]", re.S)


@dataclass
class Case:
    code: str
    id: str
    documents: list[list[dict[str, str]]]     # clean texts
    expected: set[tuple[int, int, str, int, int]]   # (doc, seg, side, start, end)
    lang: str | None = "en"
    src_lang: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def failing(self) -> bool:
        return bool(self.expected)

    def corpus(self):
        import pandas as pd
        from ..corpus import Corpus
        rows = []
        for d, doc in enumerate(self.documents):
            for s, seg in enumerate(doc):
                rows.append({"doc_id": f"d{d}", "seg_id": s + 1, "source": seg.get("source", ""),
                             "hyp:fixture": seg["text"], "src_lang": self.src_lang, "tgt_lang": self.lang})
        return Corpus(pd.DataFrame(rows))

    def run(self) -> tuple[set, set, list]:
        """``(expected, found, findings)`` for this detector on this case."""
        from .runner import check_corpus
        result = check_corpus(self.corpus(), select=[self.code], options={self.code: self.options})
        if len(result.errors):
            raise AssertionError(f"{self.code} raised on case {self.id}: {result.errors['error'].iloc[0]}")
        found = {(int(f.doc_id[1:]), f.seg_id - 1, f.side, f.start, f.end)
                 for f in result.finding_objects if f.code == self.code}
        return self.expected, found, result.finding_objects


def _strip_marks(text: str) -> tuple[str, list[tuple[int, int]]]:
    spans, out, pos = [], [], 0
    for m in MARK.finditer(text):
        out.append(text[pos:m.start()])
        start = sum(len(p) for p in out)
        out.append(m.group(1))
        spans.append((start, start + len(m.group(1))))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def _segment(raw: Any, where: str) -> dict[str, str]:
    if isinstance(raw, str):
        return {"text": raw}
    if isinstance(raw, dict) and "text" in raw:
        return {"text": str(raw["text"]), **({"source": str(raw["source"])} if "source" in raw else {})}
    raise ValueError(f"{where}: a segment is a string or a mapping with 'text' (and 'source')")


def load_fixture(path: str | Path) -> list[Case]:
    """The cases of one fixture file (a malformed file raises ``ValueError``
    naming it)."""
    try:
        import yaml
    except ModuleNotFoundError:  # pragma: no cover - dev extra
        from ..errors import DependencyError
        raise DependencyError("fixture files need PyYAML: pip install 'mt_eval[dev]'") from None
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "code" not in data or not isinstance(data.get("cases"), list):
        raise ValueError(f"{path}: needs 'code' and a list of 'cases'")
    code = str(data["code"])
    cases, seen = [], set()
    for k, raw in enumerate(data["cases"]):
        where = f"{path} case {k + 1}"
        if not isinstance(raw, dict) or "id" not in raw:
            raise ValueError(f"{where}: every case needs an 'id'")
        cid = str(raw["id"])
        if cid in seen:
            raise ValueError(f"{where}: duplicate id {cid!r}")
        seen.add(cid)
        if "corpus" in raw:
            docs_raw = raw["corpus"]
        elif "doc" in raw:
            docs_raw = [raw["doc"]]
        elif "text" in raw:
            docs_raw = [[{"text": raw["text"], **({"source": raw["source"]} if "source" in raw else {})}]]
        else:
            raise ValueError(f"{where}: needs 'text', 'doc' or 'corpus'")
        documents, expected = [], set()
        for d, doc in enumerate(docs_raw):
            segs = []
            for s, seg_raw in enumerate(doc):
                seg = _segment(seg_raw, where)
                clean = {}
                for side, key in (("hypothesis", "text"), ("source", "source")):
                    if key in seg:
                        clean[key], spans = _strip_marks(seg[key])
                        expected |= {(d, s, side, a, b) for a, b in spans}
                segs.append(clean)
            documents.append(segs)
        cases.append(Case(code, cid, documents, expected, lang=raw.get("lang", data.get("lang", "en")),
                          src_lang=raw.get("src_lang", data.get("src_lang")),
                          options=dict(raw.get("options") or {})))
    return cases
