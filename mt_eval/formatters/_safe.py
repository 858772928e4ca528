"""Making untrusted text (feed titles, extracted item text, spans) safe for
each output.  Item HTML never reaches an output: readers keep only the
visible text, and these helpers escape that text for the medium it goes to.
"""
from __future__ import annotations

import re

# C0/C1 controls (terminal escape sequences among them) and the bidirectional
# overrides that can make displayed text differ from what it is.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xFF else f"\\x{ord(m.group()):02x}"


def plain(text: str | None, *, one_line: bool = True) -> str:
    """Text for a terminal or log: controls shown as escapes, never executed;
    line breaks shown as ``⏎`` when ``one_line``."""
    s = "" if text is None else str(text)
    if one_line:
        s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ⏎ ")
        s = s.replace("\t", " ")
    return _CONTROLS.sub(_visible, s)


def xml_text(text: str | None) -> str:
    """Text XML 1.0 can hold (lxml escapes <, & and quotes itself)."""
    return _XML_INVALID.sub(_visible, "" if text is None else str(text))


_MD = {ord(c): e for c, e in {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                               "|": "&#124;", "@": "&#64;", "#": "&#35;"}.items()}
# Markdown punctuation that can act anywhere in a line (line-start markers
# such as '-' or '1.' cannot occur: our text never starts a line).
_MD.update({ord(c): "\\" + c for c in "\\`*_[]{}()!~$"})


def markdown(text: str | None, *, code: bool = False) -> str:
    """Text for GitHub-flavoured Markdown, inside a table cell or a line.

    Everything HTML or Markdown could interpret is escaped in one pass:
    ``< > & " '`` as entities, ``|`` for tables, ``@`` and ``#`` so nobody is
    mentioned and no issue is linked, Markdown punctuation with backslashes.
    ``code=True`` wraps it in ``<code>`` (inline content is still parsed
    there, so the same escaping applies).
    """
    s = plain(text).translate(_MD)
    return f"<code>{s}</code>" if code else s


def truncate(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def json_dumps(obj) -> str:
    """JSON whose strings cannot break out of an HTML page that embeds it:
    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes (same data)."""
    import json
    # No indent: with one, the json module falls back to its pure-Python
    # encoder, several times slower on a 1,000-item report.
    text = json.dumps(obj, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
