"""TSV and CSV files with a header row (see :mod:`.records` for the names)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError
from .records import canonical, records_to_corpus
from .textfile import read_text


def read_table(path: str, *, delimiter: str | None = None) -> "Corpus":  # noqa: F821
    """Read a TSV (tab-separated, no quoting, as WMT and MQM files are) or a
    CSV (comma-separated, RFC 4180 quoting) with a header row."""
    text = read_text(path)
    if delimiter is None:
        delimiter = "," if Path(path).suffix.lower() == ".csv" else "\t"
    quoting = csv.QUOTE_MINIMAL if delimiter == "," else csv.QUOTE_NONE
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                        quoting=quoting, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("file is empty", path) from None
    except csv.Error as exc:
        raise InputError(f"malformed header: {exc}", path, 1) from None
    names = [canonical(h) for h in header]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError(f"column {dup!r} appears twice in the header", path, 1)
    if not {"hypothesis", "source", "reference"} & set(names) and not any(
            n.startswith(("hyp:", "ref:")) for n in names):
        raise InputError(
            "header names no text column; expected e.g. source, reference, hypothesis "
            f"(with system) or hyp:NAME, got {', '.join(header)}", path, 1)
    rows, lines = [], []
    try:
        for fields in reader:
            line = reader.line_num
            if not fields or fields == [""]:
                continue
            if len(fields) != len(names):
                raise InputError(
                    f"expected {len(names)} fields like the header, found {len(fields)}",
                    path, line)
            rows.append(dict(zip(names, fields)))
            lines.append(line)
    except csv.Error as exc:
        raise InputError(f"malformed row: {exc}", path, reader.line_num) from None
    return records_to_corpus(rows, lines, path, name=Path(path).stem)
