"""On-disk store of spaCy parses, so that checking the same texts again
(re-running a report or a CI gate on a feed that changed a little) skips
the parse: reading a stored Doc back costs a few per cent of parsing it.

One SQLite file, ``parses.sqlite3``, in the cache directory of the
statistics cache (:func:`mt_eval.engine.cache.default_dir`).  Each parse
call stores its new Docs as one ``DocBin`` (a batch: about 0.14 ms and 300
bytes a segment, against 0.6 ms and 4 kB for ``Doc.to_bytes`` one by one),
and an index maps (pipeline key, BLAKE2b digest of the text) to its batch
and position.  The pipeline key names the model package, its version and
spaCy's version, so a parse made by another model is never read back.
``MT_EVAL_CACHE=0`` (or ``--no-parse-cache``) turns it off, like the
statistics cache; deleting the file is always safe.  SQLite's locking lets
the worker processes of one run, and concurrent runs, share it.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Sequence

from .engine.cache import default_dir, open_db, select_in

_FILE = "parses.sqlite3"
# Tables carry the layout's version: a file written by another layout is
# ignored rather than misread.
_V = "v2"


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class ParseStore:
    def __init__(self, directory: str | os.PathLike | None = None):
        self.directory = Path(directory) if directory is not None else default_dir()
        self._db: sqlite3.Connection | None = None
        self._pid = 0

    @property
    def path(self) -> Path:
        return self.directory / _FILE

    def _conn(self) -> sqlite3.Connection:
        # a connection must not cross a fork: worker processes open their own
        if self._db is None or self._pid != os.getpid():
            db = open_db(
                self.directory, _FILE,
                f"CREATE TABLE IF NOT EXISTS batches_{_V} (id INTEGER PRIMARY KEY, docbin BLOB NOT NULL)",
                f"CREATE TABLE IF NOT EXISTS parses_{_V} (pipeline TEXT NOT NULL, key BLOB NOT NULL, "
                "batch INTEGER NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (pipeline, key)) WITHOUT ROWID")
            self._db, self._pid = db, os.getpid()
        return self._db

    def get(self, pipeline: str, vocab, texts: Sequence[str]) -> dict[str, object]:
        """The stored Docs of those ``texts`` that have one, by text.  The
        store only saves time: when it cannot be read, nothing is found."""
        try:
            return self._get(pipeline, vocab, texts)
        except (sqlite3.Error, OSError):
            return {}

    def put(self, pipeline: str, docs: Sequence) -> None:
        """Store ``docs`` (from one parse call); a store that cannot be
        written (read-only, full disk) is skipped, not an error."""
        try:
            self._put(pipeline, docs)
        except (sqlite3.Error, OSError):
            pass

    def _get(self, pipeline: str, vocab, texts: Sequence[str]) -> dict[str, object]:
        from spacy.tokens import DocBin
        by_key = {text_key(t): t for t in texts}
        keys = list(by_key)
        wanted: dict[int, dict[int, str]] = {}
        db = self._conn()
        q = f"SELECT key, batch, pos FROM parses_{_V} WHERE pipeline = ? AND key IN ({{keys}})"
        for key, batch, pos in select_in(db, q, [pipeline], keys):
            wanted.setdefault(batch, {})[pos] = by_key[key]
        out: dict[str, object] = {}
        for batch, where in wanted.items():
            row = db.execute(f"SELECT docbin FROM batches_{_V} WHERE id = ?", (batch,)).fetchone()
            if row is None:
                continue
            try:
                docs = list(DocBin().from_bytes(row[0]).get_docs(vocab))
            except Exception:  # unreadable (e.g. an interrupted disk write): parse again
                continue
            for pos, text in where.items():
                # a digest collision is astronomically rare; never trust one
                if pos < len(docs) and docs[pos].text == text:
                    out[text] = docs[pos]
        return out

    def _put(self, pipeline: str, docs: Sequence) -> None:
        from spacy.tokens import DocBin
        if not docs:
            return
        blob = DocBin(store_user_data=False, docs=docs).to_bytes()
        db = self._conn()
        with db:
            batch = db.execute(f"INSERT INTO batches_{_V} (docbin) VALUES (?)", (blob,)).lastrowid
            db.executemany(f"INSERT OR REPLACE INTO parses_{_V} (pipeline, key, batch, pos) VALUES (?, ?, ?, ?)",
                           ((pipeline, text_key(d.text), batch, i) for i, d in enumerate(docs)))

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None
