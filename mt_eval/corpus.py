"""The segment table every part of mt_eval works on.

A :class:`Corpus` wraps one pandas DataFrame with **one row per segment**:

==============  ==============================================================
column          meaning
==============  ==============================================================
``doc_id``      document the segment belongs to (a news article, a feed item)
``seg_id``      1-based position of the segment inside its document (int)
``source``      source text (``""`` when no source was given)
``references``  tuple of reference translations; any number, may differ per
                segment (``()`` when the segment has none)
``src_lang``    source language code or ``None``
``tgt_lang``    target language code or ``None``
``hyp:NAME``    the hypothesis of system ``NAME`` (one column per system)
``line``        line number of the segment in its input file(s), when the
                reader knows it (all aligned plain files share it)
``origin``      optional per-side locations ``{"hyp:A": "file:line", ...}``
                for formats where the sides sit on different lines (XML)
anything else   free metadata carried through unchanged
==============  ==============================================================

Rows keep input order; documents are contiguous runs of rows with the same
``doc_id``.  :meth:`Corpus.long` gives the tidy one-row-per-(segment, system)
view that detectors and pandas users like.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import pandas as pd

from .errors import InputError, UsageError

HYP_PREFIX = "hyp:"
CORE_COLUMNS = ("doc_id", "seg_id", "source", "references", "src_lang", "tgt_lang")


def hyp_column(system: str) -> str:
    return f"{HYP_PREFIX}{system}"


@dataclass
class Document:
    """A document's rows, handed to detectors that need context."""
    doc_id: str
    frame: pd.DataFrame

    @property
    def sources(self) -> list[str]:
        return self.frame["source"].tolist()

    def hypotheses(self, system: str) -> list[str]:
        return self.frame[hyp_column(system)].tolist()


class Corpus:
    """A validated segment table (see the module docstring for the columns)."""

    def __init__(self, frame: pd.DataFrame, *, name: str | None = None,
                 files: dict[str, str] | None = None):
        self.frame = _validate(frame)
        self.name = name
        # role ("source", "hyp:NAME", "ref:0", or "*" for one file holding
        # every side) -> path it was read from
        self.files = dict(files or {})

    def row_index(self) -> dict[tuple[str, int], int]:
        """``{(doc_id, seg_id): row}`` for every segment."""
        f = self.frame
        return {(d, int(s)): i for i, (d, s) in enumerate(zip(f["doc_id"].tolist(), f["seg_id"].tolist()))}

    def location(self, row: int, role: str) -> tuple[str, int | None] | None:
        """``(path, line)`` of one side of one row, when known."""
        rec = self.frame.iloc[row]
        origin = rec.get("origin")
        if isinstance(origin, dict) and role in origin:
            path, _, line = origin[role].rpartition(":")
            return path, int(line) if line.isdigit() else None
        path = self.files.get(role) or self.files.get("*")
        if path is None:
            return None
        line = rec.get("line")
        return path, int(line) if line is not None and line == line else None

    # -- construction -----------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[dict], *, name: str | None = None) -> "Corpus":
        """Build from dicts with keys ``doc_id``, ``seg_id``, ``source``,
        ``references`` (list), ``hypotheses`` ({system: text}) and metadata."""
        rows = []
        for rec in records:
            row = {k: v for k, v in rec.items() if k != "hypotheses"}
            for system, text in (rec.get("hypotheses") or {}).items():
                row[hyp_column(system)] = text
            rows.append(row)
        return cls(pd.DataFrame(rows), name=name)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, *, name: str | None = None,
                   files: dict[str, str] | None = None) -> "Corpus":
        """Accept a user's DataFrame in either shape:

        * wide: ``hyp:NAME`` columns (or a single ``hypothesis`` column, taken
          as system ``hyp``);
        * long: ``system`` and ``hypothesis`` columns, one row per
          (segment, system); rows are pivoted by ``doc_id``/``seg_id``.

        ``reference`` (one string) or ``references`` (sequence) columns are
        both understood, as are ``ref:*`` columns.
        """
        df = df.copy()
        if "system" in df.columns and "hypothesis" in df.columns:
            df = _pivot_long(df)
        elif "hypothesis" in df.columns:
            df = df.rename(columns={"hypothesis": hyp_column("hyp")})
        ref_cols = [c for c in df.columns if str(c).startswith("ref:")]
        if "reference" in df.columns or ref_cols:
            cols = (["reference"] if "reference" in df.columns else []) + ref_cols
            df["references"] = [
                tuple(_text(v) for v in vals if not _missing(v))
                for vals in df[cols].itertuples(index=False, name=None)]
            df = df.drop(columns=cols)
        return cls(df, name=name, files=files)

    # -- views ------------------------------------------------------------
    @property
    def systems(self) -> list[str]:
        return [c[len(HYP_PREFIX):] for c in self.frame.columns if c.startswith(HYP_PREFIX)]

    def __len__(self) -> int:
        return len(self.frame)

    def hypotheses(self, system: str) -> list[str]:
        col = hyp_column(system)
        if col not in self.frame.columns:
            raise UsageError(f"unknown system {system!r}; systems are: {', '.join(self.systems) or 'none'}")
        return self.frame[col].tolist()

    @property
    def sources(self) -> list[str]:
        return self.frame["source"].tolist()

    @property
    def references(self) -> list[tuple[str, ...]]:
        return self.frame["references"].tolist()

    @property
    def has_references(self) -> bool:
        return bool(len(self.frame)) and any(len(r) for r in self.frame["references"])

    @property
    def has_source(self) -> bool:
        return any(s for s in self.frame["source"])

    def reference_streams(self) -> list[list[str | None]]:
        """References as sacrebleu wants them: one stream per reference slot,
        ``None`` where a segment has fewer references than the slot."""
        refs = self.references
        n = max((len(r) for r in refs), default=0)
        return [[r[i] if i < len(r) else None for r in refs] for i in range(n)]

    def documents(self) -> Iterator[Document]:
        for doc_id, frame in self.frame.groupby("doc_id", sort=False):
            yield Document(str(doc_id), frame)

    def long(self) -> pd.DataFrame:
        """One row per (segment, system): ``system`` and ``hypothesis``."""
        base = [c for c in self.frame.columns if not c.startswith(HYP_PREFIX)]
        parts = []
        for system in self.systems:
            part = self.frame[base].copy()
            part.insert(2, "system", system)
            part.insert(4, "hypothesis", self.frame[hyp_column(system)].values)
            parts.append(part)
        if not parts:
            return self.frame[base].assign(system=pd.Series(dtype=object), hypothesis=pd.Series(dtype=object))
        return pd.concat(parts, ignore_index=True)

    def select_systems(self, systems: Sequence[str]) -> "Corpus":
        for s in systems:
            self.hypotheses(s)
        keep = [c for c in self.frame.columns
                if not c.startswith(HYP_PREFIX) or c[len(HYP_PREFIX):] in systems]
        return Corpus(self.frame[keep], name=self.name, files=self.files)

    def __repr__(self) -> str:
        docs = self.frame["doc_id"].nunique()
        return (f"<Corpus {self.name or ''} {len(self)} segments, {docs} documents, "
                f"systems={self.systems}, refs={self.has_references}>")


def _pivot_long(df: pd.DataFrame) -> pd.DataFrame:
    df = df.reset_index(drop=True)   # rows are named by position in messages
    # a NaN hypothesis is an empty translation, as in the wide shape; only a
    # row that is not there at all is a missing hypothesis
    df["hypothesis"] = [_text(v) for v in df["hypothesis"]]
    if "doc_id" not in df.columns:
        df["doc_id"] = "doc1"
    if "seg_id" not in df.columns:
        df["seg_id"] = df.groupby(["doc_id", "system"], sort=False).cumcount() + 1
    df["doc_id"] = df["doc_id"].astype(str)
    try:
        df["seg_id"] = df["seg_id"].astype(int)
    except (TypeError, ValueError):
        raise UsageError("seg_id must be integers (1-based position in the document)") from None
    keys = ["doc_id", "seg_id"]
    shared = [c for c in df.columns if c not in ("system", "hypothesis")]
    first = df.drop_duplicates(subset=keys, keep="first")[shared].reset_index(drop=True)
    wide = df.pivot_table(index=keys, columns="system", values="hypothesis",
                          aggfunc="first", sort=False)
    wide.columns = [hyp_column(str(c)) for c in wide.columns]
    missing = wide.isna()
    if missing.any().any():
        seg_pos, sys_pos = (int(x[0]) for x in missing.values.nonzero())
        doc_id, seg_id = wide.index[seg_pos]
        raise InputError(f"system {wide.columns[sys_pos][len(HYP_PREFIX):]!r} has no hypothesis for "
                         f"doc_id={doc_id} seg_id={seg_id}; every system must cover every segment")
    dupes = df.duplicated(subset=keys + ["system"])
    if dupes.any():
        i = int(dupes.idxmax())
        raise InputError(f"row {i + 1}: system {df.loc[i, 'system']!r} has two hypotheses for "
                         f"doc_id={df.loc[i, 'doc_id']!r} seg_id={int(df.loc[i, 'seg_id'])}")
    return first.merge(wide.reset_index(), on=keys, how="left", sort=False)


def _validate(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise UsageError("a Corpus needs a pandas DataFrame")
    df = df.reset_index(drop=True).copy()
    n = len(df)
    if "doc_id" not in df.columns:
        df["doc_id"] = "doc1"
    df["doc_id"] = df["doc_id"].astype(str)
    if "seg_id" not in df.columns:
        df["seg_id"] = df.groupby("doc_id", sort=False).cumcount() + 1
    try:
        df["seg_id"] = df["seg_id"].astype(int)
    except (TypeError, ValueError):
        raise UsageError("seg_id must be integers (1-based position in the document)") from None
    if "source" not in df.columns:
        df["source"] = ""
    df["source"] = [_text(v) for v in df["source"]]
    if "references" not in df.columns:
        df["references"] = [()] * n
    df["references"] = [_refs(v) for v in df["references"]]
    for lang in ("src_lang", "tgt_lang"):
        # Readers and user frames leave NaN or "" where a language is unknown;
        # detectors test ``lang is None``, so one spelling of "unknown" only.
        # object dtype: pandas 3's string dtype would turn None back into NaN.
        values = [_lang(v) for v in df[lang]] if lang in df.columns else [None] * n
        df[lang] = pd.Series(values, index=df.index, dtype=object)
    hyp_cols = [c for c in df.columns if str(c).startswith(HYP_PREFIX)]
    for c in hyp_cols:
        if not c[len(HYP_PREFIX):]:
            raise UsageError("a hypothesis column needs a system name after 'hyp:'")
        df[c] = [_text(v) for v in df[c]]
    dup = df.duplicated(subset=["doc_id", "seg_id"])
    if dup.any():
        i = int(dup.idxmax())
        raise UsageError(f"duplicate segment doc_id={df.loc[i, 'doc_id']!r} seg_id={df.loc[i, 'seg_id']}")
    order = list(CORE_COLUMNS) + hyp_cols
    rest = [c for c in df.columns if c not in order]
    return df[order + rest]


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _text(v) -> str:
    """A cell as text: missing is "", a number its usual spelling (pandas
    makes a column of whole numbers with a gap float: 12.0 is "12")."""
    if isinstance(v, str):
        return v
    if _missing(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _lang(v) -> str | None:
    text = _text(v).strip()
    return text or None


def _refs(v) -> tuple[str, ...]:
    if _missing(v):
        return ()
    if isinstance(v, str) or not hasattr(v, "__iter__"):
        return (_text(v),)
    return tuple(_text(x) for x in v if not _missing(x))
