"""Turning rows of a table or JSON lines into a corpus.

Tables and JSON lines share one vocabulary of field names, so a user can move
between CSV, TSV and JSONL without renaming anything:

* ``source`` (alias ``src``)
* ``reference`` / ``ref`` (one string), ``references`` / ``refs`` (a list, in
  JSONL), or several ``ref:NAME`` columns
* ``hypothesis`` / ``hyp`` / ``mt`` / ``translation`` with a ``system``
  column (long shape), or one ``hyp:NAME`` column per system (wide shape),
  or in JSONL a ``hypotheses`` object ``{system: text}``
* ``doc_id`` (``docid``, ``document``), ``seg_id`` (``segid``, ``segment``)
* ``src_lang``, ``tgt_lang`` (or ``lp`` / ``langpair`` like ``fr-en``)

Any other field is metadata and is kept.
"""
from __future__ import annotations

import pandas as pd

from ..corpus import Corpus, HYP_PREFIX
from ..errors import InputError, UsageError

ALIASES = {
    "src": "source",
    "ref": "reference",
    "refs": "references",
    "hyp": "hypothesis",
    "mt": "hypothesis",
    "translation": "hypothesis",
    "docid": "doc_id",
    "document": "doc_id",
    "segid": "seg_id",
    "segment": "seg_id",
    "source_lang": "src_lang",
    "target_lang": "tgt_lang",
    "langpair": "lp",
}


def canonical(name: str) -> str:
    key = name.strip()
    return ALIASES.get(key.lower(), key if ":" in key else key.lower())


def _check_every_system(hypotheses: list[dict], lines: list[int], path: str) -> None:
    """A system missing from one record is an error, not an empty
    translation: a record can say "" for that."""
    systems = list(dict.fromkeys(k for h in hypotheses for k in h))
    for h, line in zip(hypotheses, lines):
        missing = [s for s in systems if s not in h]
        if missing:
            names = ", ".join(repr(s) for s in missing)
            raise InputError(f"no hypothesis for system {names}, which other records have; give every "
                             "system in every record (\"\" for an empty translation)", path, line)


def records_to_corpus(rows: list[dict], lines: list[int], path: str, *, name: str | None = None) -> Corpus:
    """``rows`` are dicts with canonical keys; ``lines`` their line numbers."""
    if not rows:
        raise InputError("no segments found", path)
    df = pd.DataFrame(rows)
    df["line"] = lines
    if "lp" in df.columns:
        lp = df.pop("lp").astype(str)
        pairs = lp.str.split("-", n=1, expand=True)
        if pairs.shape[1] == 2:
            df["src_lang"] = df.get("src_lang", pairs[0]).fillna(pairs[0])
            df["tgt_lang"] = df.get("tgt_lang", pairs[1]).fillna(pairs[1])
    if "hypotheses" in df.columns:
        given = [h if isinstance(h, dict) else {} for h in df.pop("hypotheses")]
        _check_every_system(given, lines, path)
        expanded = pd.DataFrame(given)
        expanded.columns = [f"{HYP_PREFIX}{c}" for c in expanded.columns]
        df = pd.concat([df, expanded], axis=1)
    long_shape = "system" in df.columns and "hypothesis" in df.columns
    if not long_shape and "system" in df.columns:
        df = df.drop(columns="system")
    try:
        # In the long shape a segment's ``line`` is that of its first row.
        return Corpus.from_frame(df, name=name, files={"*": path})
    except InputError as exc:
        raise InputError(exc.message, path) from None
    except UsageError as exc:
        raise InputError(str(exc), path) from None
    except Exception as exc:  # a user's odd table must still get one line
        raise InputError(f"cannot build the segment table: {exc}", path) from None
