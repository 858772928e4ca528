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
from typing import TYPE_CHECKING

from .._lazy import lazy_getattr
from ..errors import InputError, UsageError

if TYPE_CHECKING:
    from ..corpus import Corpus

# The readers (and pandas, which building a Corpus needs) are imported when
# a format is read, not when this package is: plain-file scoring never
# builds a Corpus and should not pay for it.
_READERS = {"read_table": ".table", "read_jsonl": ".jsonl", "read_wmt_xml": ".wmt",
            "read_parallel": ".plain"}


__getattr__ = lazy_getattr(__name__, globals(), _READERS)


FORMATS = {
    "tsv": lambda p: __getattr__("read_table")(p, delimiter="\t"),
    "csv": lambda p: __getattr__("read_table")(p, delimiter=","),
    "jsonl": lambda p: __getattr__("read_jsonl")(p),
    "wmt-xml": lambda p: __getattr__("read_wmt_xml")(p),
}
_BY_SUFFIX = {".tsv": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xml": "wmt-xml"}


def detect_format(path: str) -> str:
    fmt = _BY_SUFFIX.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(
            f"{path}: cannot tell the format from the extension; use --input-format "
            f"({', '.join(FORMATS)}; fmt= in Python) or give plain files with --src/--hyp/--ref")
    return fmt


def load_corpus(path: str, fmt: str | None = None) -> Corpus:
    """Read one corpus file in any structured format."""
    if not Path(path).exists():
        raise InputError("file not found", path)
    if Path(path).is_dir():
        raise InputError("is a directory; give a corpus file", path)
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    return FORMATS[fmt](path)


__all__ = ["load_corpus", "read_parallel", "read_table", "read_jsonl", "read_wmt_xml", "FORMATS"]
