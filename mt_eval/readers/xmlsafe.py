"""A hardened XML parser for input that comes from outside.

lxml with entity resolution, DTD loading and network access switched off;
documents that declare entities are refused outright, which closes "billion
laughs" and external-entity tricks without relying on parser limits.
"""
from __future__ import annotations

import re

from lxml import etree

from ..errors import InputError
from ..fileio import open_input

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def safe_parser(**kw) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, **kw)


def parse_bytes(data: bytes, path: str) -> etree._Element:
    """Parse a whole document; errors carry the file, line and column."""
    m = _ENTITY_DECL.search(data, 0, 1 << 16)
    if m:
        line = data.count(b"\n", 0, m.start()) + 1
        raise InputError("XML entity declarations are not accepted (possible entity-expansion attack)",
                         path, line)
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        msg = exc.msg.split(", line ")[0] if exc.msg else "malformed XML"
        raise InputError(f"malformed XML: {msg}", path, line, col) from None


# -- streaming -----------------------------------------------------------------
# How much of a file we look at before parsing: the prolog (XML declaration,
# DOCTYPE) must end within it, and a mislabelled encoding shows up in it.
PREFIX_BYTES = 1 << 20
_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_SINGLE_BYTE = re.compile(r"^(iso[-_]?8859[-_]?\d+|latin[-_]?\d|l\d|(?:windows|cp)[-_]?125\d|"
                          r"us[-_]?ascii|ascii|mac[-_]?roman)$", re.I)
_ROOT_START = re.compile(rb"<[A-Za-z_:]")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _line_col(data: bytes, pos: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, pos) + 1
    return data.count(b"\n", 0, pos) + 1, len(data[line_start:pos].decode("utf-8", "replace")) + 1


def _prolog_end(data: bytes) -> int | None:
    """Offset of the root element's start tag, skipping comments, PIs and
    a DOCTYPE (whose internal subset may hold ``<`` in quoted values)."""
    pos = 0
    while True:
        lt = data.find(b"<", pos)
        if lt < 0:
            return None
        if data.startswith(b"<!--", lt):
            end = data.find(b"-->", lt + 4)
            if end < 0:
                return None
            pos = end + 3
        elif data.startswith(b"<?", lt):
            end = data.find(b"?>", lt + 2)
            if end < 0:
                return None
            pos = end + 2
        elif data.startswith(b"<!", lt):
            # DOCTYPE: skip to its closing '>' outside quotes and brackets.
            depth, quote, i = 0, None, lt + 2
            while i < len(data):
                c = data[i:i + 1]
                if quote:
                    if c == quote:
                        quote = None
                elif c in (b'"', b"'"):
                    quote = c
                elif c == b"[":
                    depth += 1
                elif c == b"]":
                    depth -= 1
                elif c == b">" and depth <= 0:
                    break
                i += 1
            else:
                return None
            pos = i + 1
        elif _ROOT_START.match(data, lt):
            return lt
        else:
            pos = lt + 1


def check_prefix(prefix: bytes, path: str, complete: bool) -> None:
    """Refuse what must never reach the parser, and mislabelled encodings.

    ``prefix`` is the start of the file (all of it when ``complete``).
    """
    if not prefix.strip():
        raise InputError("file is empty", path)
    bom = next((name for mark, name in _BOMS if prefix.startswith(mark)), None)
    if bom in ("utf-16", "utf-32"):
        # Transcode what we inspect; the parser reads the BOM itself.
        prefix = prefix.decode(bom, "replace").encode("utf-8")
    m = _ENTITY_DECL.search(prefix)
    root = _prolog_end(prefix)
    if m and (root is None or m.start() < root):
        raise InputError("XML entity declarations are not accepted (possible entity-expansion attack)",
                         path, *_line_col(prefix, m.start()))
    if root is None and not complete and b"<!DOCTYPE" in prefix[:PREFIX_BYTES].upper():
        raise InputError(f"the DOCTYPE runs past the first {PREFIX_BYTES >> 20} MB; refused", path, 1)
    if bom:
        return
    decl = _DECL_ENCODING.match(prefix.lstrip())
    declared = decl.group(1).decode("ascii") if decl else None
    if declared and _SINGLE_BYTE.match(declared) and re.search(rb"[\x80-\xff]", prefix):
        # Text in ISO-8859-x/windows-125x is almost never also valid UTF-8 with
        # multi-byte characters; if it is, the declaration is wrong and every
        # accented letter would silently become two (é -> Ã©).
        try:
            prefix.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut by the end of the prefix is not proof.
            if complete or exc.start < len(prefix) - 3:
                return
        first = re.search(rb"[\x80-\xff]", prefix).start()
        raise InputError(f"declared encoding {declared} but the bytes are UTF-8 (accented letters would be "
                         f"garbled); fix the XML declaration", path, *_line_col(prefix, first))
    if declared and declared.lower().replace("_", "-") in ("utf-16", "utf-32", "ucs-2", "ucs-4") \
            and b"\x00" not in prefix[:200]:
        raise InputError(f"declared encoding {declared} but the file has no byte-order mark and reads as "
                         "8-bit text; fix the XML declaration", path, 1)


def stream_parser_error(exc: etree.XMLSyntaxError, path: str) -> InputError:
    """One-line error with file, line and column from a parser exception.

    lxml's streaming parser sometimes reports a generic message at close;
    the real cause is the last serious entry of its error log.
    """
    entries = [e for e in exc.error_log if e.level >= 2] if exc.error_log else []
    if entries:
        e = entries[-1]
        msg, line, col = e.message, e.line, e.column
    else:
        msg = exc.msg.split(", line ")[0] if exc.msg else "malformed XML"
        line, col = exc.position if exc.position and exc.position[0] else (None, None)
    if msg == "no element found" or msg.startswith("Document is empty"):
        msg = "no XML element found (empty or truncated file)"
    elif msg.startswith("Premature end of data") or "EndTag" in msg or "end of data" in msg:
        msg = f"{msg} (truncated file?)"
    return InputError(f"malformed XML: {msg.strip()}", path, line or None, col or None)


def iterparse(path: str, events=("start", "end")):
    """Stream ``(event, element)`` pairs of a file with the same hardening as
    :func:`parse_bytes`; the caller clears elements it is done with so memory
    stays bounded by the largest element, not the file."""
    with open_input(path) as fh:
        prefix = fh.read(PREFIX_BYTES + 1)
    check_prefix(prefix, path, complete=len(prefix) <= PREFIX_BYTES)
    it = etree.iterparse(path, events=events, resolve_entities=False, no_network=True, load_dtd=False,
                         huge_tree=False, remove_comments=True, remove_pis=True)
    first = True
    try:
        for event, el in it:
            if first:
                first = False
                dtd = el.getroottree().docinfo.internalDTD
                # Defence in depth: a DTD the prefix scan could not see.
                if dtd is not None and any(True for _ in dtd.iterentities()):
                    raise InputError("XML entity declarations are not accepted "
                                     "(possible entity-expansion attack)", path, el.sourceline)
            yield event, el
    except etree.XMLSyntaxError as exc:
        raise stream_parser_error(exc, path) from None
