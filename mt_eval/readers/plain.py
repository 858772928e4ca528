"""Plain parallel text: one segment a line, one file per side."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence

from ..errors import InputError, UsageError
from .textfile import read_lines

if TYPE_CHECKING:
    from ..corpus import Corpus


def read_side(path: str) -> tuple[list[str], list[str] | None]:
    """Lines of one side, and its document ids when the file carries them
    (WMT SGML ``.sgm``)."""
    if Path(path).suffix.lower() in (".sgm", ".sgml"):
        from .wmt import read_sgml
        return read_sgml(path)
    return read_lines(path), None


def read_aligned(files: Sequence[tuple[str, str]]) -> tuple[dict[str, list[str]], int, list[str] | None]:
    """``(lines by role, line count, document ids)`` of line-aligned files
    given as ``(role, path)``; the ids come from the first file that carries
    them (``.sgm``).  Plain lists: scoring plain files needs no table."""
    if not files:
        raise UsageError("nothing to read: give --src, --hyp or --ref files")
    columns: dict[str, list[str]] = {}
    first_path = files[0][1]
    n = None
    file_docids = None
    for role, path in files:
        lines, ids = read_side(path)
        file_docids = file_docids or ids
        if n is None:
            n = len(lines)
        elif len(lines) != n:
            raise InputError(
                f"has {len(lines)} lines but {first_path} has {n}: the files are not aligned "
                f"(every side must have one line per segment)", path)
        columns[role] = lines
    assert n is not None
    return columns, n, file_docids


def system_name(path: str | os.PathLike, taken: set[str]) -> str:
    """A readable, unique system name from a file name."""
    base = Path(path).name
    name, i = base, 2
    while name in taken:
        name, i = f"{base}#{i}", i + 1
    return name


def read_parallel(*, src: str | None = None,
                  hyps: Mapping[str, str] | Sequence[str] = (),
                  refs: Sequence[str] = (),
                  docids: str | None = None,
                  src_lang: str | None = None,
                  tgt_lang: str | None = None) -> Corpus:
    """Read line-aligned files.

    ``hyps`` maps system names to files (a plain list names systems after
    their files).  ``docids`` is an optional file with one document id per
    line (the WMT ``.docids`` convention); without it the corpus is one
    document named after the first file.

    Every file must have the same number of lines: misaligned data is never
    scored (the error names both files and both counts).
    """
    if not isinstance(hyps, Mapping):
        named: dict[str, str] = {}
        for h in hyps:
            named[system_name(h, set(named))] = h
        hyps = named
    import pandas as pd

    from ..corpus import Corpus, hyp_column
    files: list[tuple[str, str]] = []  # (role, path)
    if src:
        files.append(("source", src))
    files += [(hyp_column(name), path) for name, path in hyps.items()]
    files += [(f"ref:{i}", path) for i, path in enumerate(refs)]
    columns, n, file_docids = read_aligned(files)
    first_path = files[0][1]
    data: dict[str, object] = {}
    if docids:
        ids = read_lines(docids)
        if len(ids) != n:
            raise InputError(f"has {len(ids)} document ids but {first_path} has {n} lines", docids)
        data["doc_id"] = ids
    elif file_docids:
        data["doc_id"] = file_docids
    else:
        data["doc_id"] = [Path(first_path).stem] * n
    data["source"] = columns.get("source", [""] * n)
    ref_streams = [columns[f"ref:{i}"] for i in range(len(refs))]
    data["references"] = [tuple(r) for r in zip(*ref_streams)] if ref_streams else [()] * n
    data["src_lang"] = [src_lang] * n
    data["tgt_lang"] = [tgt_lang] * n
    for role, path in files:
        if role.startswith("hyp:"):
            data[role] = columns[role]
    # Aligned files share line numbers: one int column and the file table
    # locate every side without a per-row dict (1M rows stay cheap).
    data["line"] = range(1, n + 1)
    return Corpus(pd.DataFrame(data), name=Path(first_path).stem,
                  files={role: str(path) for role, path in files})
