"""Reading text files the way every reader needs: strict UTF-8 with line
numbers in errors, a BOM and CRLF line ends accepted silently."""
from __future__ import annotations

import os

from ..errors import InputError
from ..fileio import open_input


def read_text(path: str | os.PathLike, *, allow_empty: bool = False) -> str:
    """Return the whole file decoded as UTF-8, without a BOM, with ``\\n``
    line ends.

    Invalid UTF-8 is reported with the line and column of the first bad byte.
    """
    with open_input(path) as fh:
        data = fh.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        raise InputError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); convert the file to UTF-8",
            path, line, column) from None
    # Only a file without a byte is empty: blank lines are blank segments
    # (a system that output nothing still scores 0 and gets its findings).
    if not text and not allow_empty:
        raise InputError("file is empty", path)
    # Universal newlines, as Python's text mode (and so sacrebleu) reads them.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_lines(path: str | os.PathLike) -> list[str]:
    """One entry per line, right-stripped of whitespace as sacrebleu's CLI
    strips every hypothesis and reference line, so scores on files agree."""
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]
