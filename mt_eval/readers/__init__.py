"""Readers: every input format becomes the same :class:`~mt_eval.corpus.Corpus`.

``load_corpus`` picks the reader from the file extension (or ``fmt``):

========================  ==========================================
``.tsv`` ``.csv``         table with a header (:mod:`.table`)
``.jsonl`` ``.ndjson``    JSON lines (:mod:`.jsonl`)
``.xml``                  WMT XML test set (:mod:`.wmt`)
plain files               ``read_parallel(src=..., hyps=..., refs=...)``
========================  ==========================================
"""
from __future__ import annotations

from pathlib import Path

from ..corpus import Corpus
from ..errors import InputError, UsageError
from .jsonl import read_jsonl
from .plain import read_parallel
from .table import read_table
from .wmt import read_wmt_xml

FORMATS = {
    "tsv": lambda p: read_table(p, delimiter="\t"),
    "csv": lambda p: read_table(p, delimiter=","),
    "jsonl": read_jsonl,
    "wmt-xml": read_wmt_xml,
}
_BY_SUFFIX = {".tsv": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xml": "wmt-xml"}


def detect_format(path: str) -> str:
    fmt = _BY_SUFFIX.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(
            f"{path}: cannot tell the format from the extension; use --format "
            f"({', '.join(FORMATS)}) or give plain files with --src/--hyp/--ref")
    return fmt


def load_corpus(path: str, fmt: str | None = None) -> Corpus:
    """Read one corpus file in any structured format."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if not Path(path).exists():
        raise InputError("file not found", path)
    return FORMATS[fmt](path)


__all__ = ["load_corpus", "read_parallel", "read_table", "read_jsonl", "read_wmt_xml", "FORMATS"]
