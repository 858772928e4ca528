"""On-disk embedding cache: re-scoring a corpus does not re-encode it.

One SQLite file (safe with several processes) maps a key derived from the
model fingerprint, what was stored (token vectors of one layer, or a
pooled sentence vector), the case setting and the text itself, to the
stored array.  Location: ``cache_dir`` argument, else ``$MT_EVAL_CACHE_DIR``,
else ``$XDG_CACHE_HOME/mt_eval`` (``~/.cache/mt_eval``), beside the
statistics cache of :mod:`mt_eval.engine`; ``MT_EVAL_CACHE=0`` turns both off.  When the file grows
past ``MT_EVAL_CACHE_MAX_MB`` (default 2048) the oldest quarter is dropped.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable

DEFAULT_MAX_MB = 2048
_CHUNK = 500  # SQLite's bound-parameter limit is 999 on old builds


def default_dir() -> Path:
    env = os.environ.get("MT_EVAL_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mt_eval"


def enabled_by_default() -> bool:
    return os.environ.get("MT_EVAL_CACHE", "1").lower() not in ("0", "false", "no", "off")


def make_key(namespace: str, text: str) -> bytes:
    return hashlib.blake2b(f"{namespace}\x00{text}".encode("utf-8"), digest_size=20).digest()


class EmbeddingCache:
    def __init__(self, directory: str | os.PathLike | None = None, max_mb: int | None = None):
        self.dir = Path(directory).expanduser() if directory else default_dir()
        self.path = self.dir / "embeddings.sqlite"
        env_max = os.environ.get("MT_EVAL_CACHE_MAX_MB")
        self.max_bytes = int(max_mb if max_mb is not None else (env_max or DEFAULT_MAX_MB)) << 20
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(self.path), timeout=60)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS emb (key BLOB PRIMARY KEY, value BLOB NOT NULL, "
                       "ts REAL NOT NULL)")
            self._db = db
        return self._db

    def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
        out: dict[bytes, bytes] = {}
        db = self._conn()
        for i in range(0, len(keys), _CHUNK):
            part = keys[i:i + _CHUNK]
            q = f"SELECT key, value FROM emb WHERE key IN ({','.join('?' * len(part))})"
            out.update(db.execute(q, part).fetchall())
        return out

    def put_many(self, items: Iterable[tuple[bytes, bytes]]) -> None:
        db = self._conn()
        now = time.time()
        with db:
            db.executemany("INSERT OR REPLACE INTO emb (key, value, ts) VALUES (?, ?, ?)",
                           ((k, v, now) for k, v in items))
        self._trim(db)

    def _trim(self, db: sqlite3.Connection) -> None:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
        if pages * size <= self.max_bytes:
            return
        with db:
            n = db.execute("SELECT COUNT(*) FROM emb").fetchone()[0]
            db.execute("DELETE FROM emb WHERE key IN (SELECT key FROM emb ORDER BY ts LIMIT ?)",
                       (max(1, n // 4),))
        db.execute("VACUUM")

    def __len__(self) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM emb").fetchone()[0]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
