"""Reading the detector data files in ``data/`` (TSV with ``#`` comments)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")


@lru_cache(maxsize=None)
def data_rows(name: str, columns: int) -> tuple[tuple[str, ...], ...]:
    """Rows of ``data/NAME``: tab-separated, ``#`` lines and blank lines
    skipped; every row must have ``columns`` fields (the last may hold tabs
    no more than the others: a malformed row is a bug in the data file)."""
    rows = []
    path = DATA / name
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns:
            raise ValueError(f"{path}:{n}: expected {columns} tab-separated fields, found {len(fields)}")
        rows.append(tuple(f.strip() for f in fields))
    return tuple(rows)
