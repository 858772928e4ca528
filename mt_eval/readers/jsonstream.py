"""Streaming one big JSON object whose bulk is one array (a JSON Feed's
``items``) without holding the file in memory.

Members of the top-level object are decoded one by one with the standard
library's decoder; the members of the chosen array are yielded one at a time
with the line they start on.  Errors carry file, line and column.  Memory is
bounded by the largest single item (plus one read chunk), not the file.
"""
from __future__ import annotations

import codecs
import json
from typing import Any, Iterator

from ..errors import InputError
from ..fileio import open_input

CHUNK = 1 << 20
MAX_VALUE_CHARS = 64 << 20   # one item larger than this is refused, not buffered forever

_WS = " \t\n\r"
_decoder = json.JSONDecoder()


class _Buffer:
    def __init__(self, path: str):
        self.path = path
        self.fh = open_input(path)
        self.dec = codecs.getincrementaldecoder("utf-8")()
        self.buf = ""
        self.pos = 0
        self.line = 1          # line number of buf[0]
        self.col0 = 0          # 0-based column of buf[0] on that line
        self._mark = 0         # buffer position whose line is _mark_line
        self._mark_line = 1
        self.bytes_read = 0
        self.eof = False
        self.first = True

    def close(self) -> None:
        self.fh.close()

    def more(self) -> bool:
        if self.eof:
            return False
        raw = self.fh.read(CHUNK)
        final = not raw
        if self.first and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        self.first = False
        try:
            text = self.dec.decode(raw, final)
        except UnicodeDecodeError as exc:
            line, col = self.where(len(self.buf))
            raise InputError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); JSON must be UTF-8",
                             self.path, line) from None
        self.bytes_read += len(raw)
        # Drop what is consumed so the buffer holds one value at most.
        if self.pos:
            nl = self.buf.rfind("\n", 0, self.pos)
            self.line += self.buf.count("\n", 0, self.pos)
            self.col0 = self.pos - nl - 1 if nl >= 0 else self.col0 + self.pos
            self._mark, self._mark_line = 0, self.line
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += text
        self.eof = final
        return True

    def where(self, pos: int) -> tuple[int, int]:
        # Lines are counted incrementally from the last position asked
        # about: values come in order, so this stays linear in the file.
        if pos < self._mark:
            self._mark, self._mark_line = 0, self.line
        self._mark_line += self.buf.count("\n", self._mark, pos)
        self._mark = pos
        return self._mark_line, 0

    def where_col(self, pos: int) -> tuple[int, int]:
        line, _ = self.where(pos)
        nl = self.buf.rfind("\n", 0, pos)
        return line, (pos - nl if nl >= 0 else self.col0 + pos + 1)

    def error(self, msg: str, pos: int | None = None) -> InputError:
        line, col = self.where_col(self.pos if pos is None else pos)
        return InputError(f"invalid JSON: {msg}", self.path, line, col)

    def peek(self) -> str:
        """Next non-blank character ('' at the end of the file)."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, chars: str, what: str) -> str:
        c = self.peek()
        if c == "" or c not in chars:
            raise self.error(f"expected {what}, found {'end of file' if c == '' else repr(c)}")
        self.pos += 1
        return c

    def value(self) -> tuple[Any, int]:
        """Decode the next value; returns it and the line it starts on."""
        self.peek()
        while True:
            try:
                obj, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof or len(self.buf) - self.pos > MAX_VALUE_CHARS:
                    if not self.eof:
                        raise self.error(f"one value is larger than {MAX_VALUE_CHARS >> 20} M characters")
                    raise self.error(exc.msg, exc.pos) from None
                self.more()
                continue
            # A number (or literal) touching the end of the buffer may go on.
            if end == len(self.buf) and not self.eof:
                self.more()
                continue
            line, _ = self.where(self.pos)
            self.pos = end
            return obj, line


def stream_object(path: str, array_key: str) -> Iterator[tuple[str, Any, int]]:
    """Yield ``(key, value, line)`` for each member of the top-level object;
    members of ``array_key`` come one by one as ``(array_key, item, line)``,
    and the array itself is never built."""
    b = _Buffer(path)
    try:
        if b.peek() == "":
            raise InputError("file is empty", path)
        b.expect("{", "a JSON object '{'")
        if b.peek() == "}":
            b.pos += 1
        else:
            while True:
                if b.peek() != '"':
                    raise b.error("expected a member name in double quotes")
                key, _ = b.value()
                b.expect(":", "':'")
                if key == array_key and b.peek() == "[":
                    b.pos += 1
                    if b.peek() == "]":
                        b.pos += 1
                    else:
                        while True:
                            item, line = b.value()
                            yield key, item, line
                            if b.expect(",]", "',' or ']'") == "]":
                                break
                else:
                    val, line = b.value()
                    yield key, val, line
                if b.expect(",}", "',' or '}'") == "}":
                    break
        if b.peek() != "":
            raise b.error("extra data after the JSON object")
    finally:
        b.close()
