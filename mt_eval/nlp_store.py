"""On-disk store of spaCy parses, so that checking the same texts again
(re-running a report or a CI gate on a feed that changed a little) skips
the parse: reading a stored Doc back costs about a tenth of parsing it.

One SQLite file, ``parses.sqlite3``, in the cache directory of the
statistics cache (:func:`mt_eval.engine.cache.default_dir`) maps (pipeline
key, BLAKE2b digest of the text) to ``Doc.to_bytes()``.  The pipeline key
names the model package, its version and spaCy's version, so a parse made
by another model is never read back.  ``MT_EVAL_CACHE=0`` turns it off,
like the statistics cache; deleting the file is always safe.  SQLite's
locking lets the worker processes of one run, and concurrent runs, share it.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Sequence

_FILE = "parses.sqlite3"
_BATCH = 500  # host parameters per query (SQLite's default limit is 999+)
# Doc.to_bytes without these is what the detectors read: the tensor is the
# largest part and only similarity() would use it.
_EXCLUDE = ["tensor", "user_data"]


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ParseStore:
    def __init__(self, directory: str | os.PathLike | None = None):
        from .engine.cache import default_dir
        self.directory = Path(directory) if directory is not None else default_dir()
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    @property
    def path(self) -> Path:
        return self.directory / _FILE

    def _conn(self) -> sqlite3.Connection:
        # a connection must not cross a fork: worker processes open their own
        if self._db is None or self._pid != os.getpid():
            self.directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS parses (pipeline TEXT NOT NULL, key BLOB NOT NULL, "
                       "doc BLOB NOT NULL, PRIMARY KEY (pipeline, key)) WITHOUT ROWID")
            self._db, self._pid = db, os.getpid()
        return self._db

    def get(self, pipeline: str, vocab, texts: Sequence[str]) -> dict[str, object]:
        """The stored Docs of those ``texts`` that have one, by text."""
        from spacy.tokens import Doc
        by_key = {text_key(t): t for t in texts}
        keys = list(by_key)
        out: dict[str, object] = {}
        db = self._conn()
        for start in range(0, len(keys), _BATCH):
            part = keys[start:start + _BATCH]
            q = f"SELECT key, doc FROM parses WHERE pipeline = ? AND key IN ({','.join('?' * len(part))})"
            for key, blob in db.execute(q, [pipeline, *part]):
                text = by_key[key]
                try:
                    doc = Doc(vocab).from_bytes(blob, exclude=_EXCLUDE)
                except Exception:  # unreadable (e.g. an interrupted disk write): parse again
                    continue
                if doc.text == text:  # a digest collision is astronomically rare; never trust it
                    out[text] = doc
        return out

    def put(self, pipeline: str, docs: Sequence) -> None:
        if not docs:
            return
        db = self._conn()
        with db:
            db.executemany("INSERT OR REPLACE INTO parses (pipeline, key, doc) VALUES (?, ?, ?)",
                           ((pipeline, text_key(d.text), d.to_bytes(exclude=_EXCLUDE)) for d in docs))

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
