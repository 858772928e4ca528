"""On-disk cache of per-segment statistics, for incremental re-scoring.

One SQLite file maps (metric key, segment key) to the statistics row, where
the metric key covers the statistics-changing options, the sacrebleu version
and our format version (:meth:`Spec.cache_key`), and the segment key is a
BLAKE2b digest of the hypothesis and its references.  Re-scoring a corpus in
which a few segments changed computes only those.

Location: ``$MT_EVAL_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/mt_eval``,
else ``~/.cache/mt_eval``.  ``MT_EVAL_CACHE=0`` (or ``--no-cache``) turns it
off.  Deleting the directory is always safe.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

_FILE = "statistics.sqlite3"
_BATCH = 500  # host parameters per query (SQLite's default limit is 999+)


def default_dir() -> Path:
    env = os.environ.get("MT_EVAL_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "mt_eval" if xdg else Path.home() / ".cache" / "mt_eval"


def open_db(directory: Path, file: str, *schema: str) -> sqlite3.Connection:
    """A connection to ``directory/file`` with ``schema`` created: WAL, so
    the worker processes of a run and concurrent runs share the file."""
    directory.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(directory / file, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for statement in schema:
        db.execute(statement)
    return db


def select_in(db: sqlite3.Connection, query: str, params: Sequence, keys: Sequence) -> Iterator[tuple]:
    """Rows of ``query`` (whose ``{keys}`` is an ``IN`` list) for every key,
    asked ``_BATCH`` keys at a time to stay under SQLite's parameter limit."""
    for start in range(0, len(keys), _BATCH):
        part = keys[start:start + _BATCH]
        yield from db.execute(query.format(keys=",".join("?" * len(part))), [*params, *part])


def enabled_by_default() -> bool:
    return os.environ.get("MT_EVAL_CACHE", "1").lower() not in ("0", "false", "no", "off")


def _encode(text: str) -> bytes:
    b = text.encode("utf-8", "surrogatepass")
    return len(b).to_bytes(8, "little") + b


def reference_digests(refs: Sequence[Sequence[str]]) -> list[bytes]:
    """A digest per segment of its references (count and texts, in order)."""
    out = []
    for rs in refs:
        h = hashlib.blake2b(len(rs).to_bytes(4, "little"), digest_size=16)
        for r in rs:
            h.update(_encode(r))
        out.append(h.digest())
    return out


def segment_keys(hyps: Sequence[str], ref_digests: Sequence[bytes]) -> list[bytes]:
    return [hashlib.blake2b(rd + _encode(h), digest_size=16).digest()
            for h, rd in zip(hyps, ref_digests)]


class StatsCache:
    """The statistics store; safe to share between processes (SQLite locks)."""

    def __init__(self, directory: str | os.PathLike | None = None):
        self.directory = Path(directory) if directory is not None else default_dir()
        self._db: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        return self.directory / _FILE

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = open_db(self.directory, _FILE,
                               "CREATE TABLE IF NOT EXISTS stats (metric TEXT NOT NULL, seg BLOB NOT NULL, "
                               "row BLOB NOT NULL, PRIMARY KEY (metric, seg)) WITHOUT ROWID")
        return self._db

    def get(self, metric_key: str, keys: Sequence[bytes], width: int, dtype) -> tuple[np.ndarray, np.ndarray]:
        """``(rows, found)``: a row per key (garbage where not found)."""
        rows = np.zeros((len(keys), width), dtype=dtype)
        found = np.zeros(len(keys), dtype=bool)
        if not keys:
            return rows, found
        where: dict[bytes, list[int]] = {}
        for i, k in enumerate(keys):
            where.setdefault(k, []).append(i)
        db = self._conn()
        uniq = list(where)
        itemsize = np.dtype(dtype).itemsize * width
        q = "SELECT seg, row FROM stats WHERE metric = ? AND seg IN ({keys})"
        for seg, row in select_in(db, q, [metric_key], uniq):
            if len(row) != itemsize:
                continue  # written by an incompatible version: recompute
            value = np.frombuffer(row, dtype=dtype)
            for i in where[seg]:
                rows[i] = value
                found[i] = True
        return rows, found

    def put(self, metric_key: str, items: Iterable[tuple[bytes, np.ndarray]]) -> None:
        db = self._conn()
        with db:
            db.executemany("INSERT OR REPLACE INTO stats (metric, seg, row) VALUES (?, ?, ?)",
                           ((metric_key, k, np.ascontiguousarray(v).tobytes()) for k, v in items))

    def clear(self) -> None:
        if self.path.exists():
            db = self._conn()
            with db:
                db.execute("DELETE FROM stats")
            db.execute("VACUUM")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
