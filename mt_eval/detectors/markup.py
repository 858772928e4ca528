"""Stray markup, mojibake and control characters in the output (``MK…``)."""
from __future__ import annotations

import re
from typing import Iterable

from .base import Category, Detector, Finding, Segment, Severity
from .registry import register

TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,20}(?:\s+[^<>\n]{0,200})?/?>")
ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# Bytes of UTF-8 read as Windows-1252/Latin-1: a lead byte (Â..ô) followed
# by continuation bytes, which in cp1252 are these characters.
_CONT = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CONT}]{{1,3}}")
REPLACEMENT = re.compile("\ufffd+")
CONTROL = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]")


def _demojibake(s: str) -> str | None:
    """The text ``s`` was before being mis-decoded, if it is mojibake."""
    for enc in ("cp1252", "latin-1"):
        try:
            fixed = s.encode(enc).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != s and all(_plausible(c) for c in fixed):
            return fixed
    return None


def _plausible(c: str) -> bool:
    """Characters a mis-decoding plausibly hid: Latin letters, typographic
    punctuation, currency, emoji (not a random Samaritan or CJK letter,
    which is what a legitimate "à\u00a0«" would re-decode to)."""
    o = ord(c)
    return (o < 0x250 or 0x2000 <= o <= 0x20cf or 0x2100 <= o <= 0x214f
            or 0x1f300 <= o <= 0x1faff or 0x2600 <= o <= 0x27bf)


@register
class StrayMarkup(Detector):
    """HTML/XML tags or character entities in the translation that are not in the source.

    Why: scraped or CMS-exported text keeps ``<br/>``, ``&nbsp;`` or
    ``&#39;``; in a published article they show as literal markup.  Tags and
    entities the source already has are placeholders the translation must
    keep, so they are not flagged.

    Example: "The army &amp; the state<br>had been absent" flags ``&amp;`` and ``<br>``.
    """
    code = "MK001"
    name = "markup.stray"
    groups = ("markup",)
    severity = Severity.MINOR
    category = Category.DISPLAY

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        if "<" not in text and "&" not in text:
            return
        for rx, what in ((TAG, "markup tag"), (ENTITY, "character entity")):
            for m in rx.finditer(text):
                if m.group(0) in seg.source:
                    continue
                suggestion = None
                if what == "character entity":
                    import html
                    un = html.unescape(m.group(0))
                    suggestion = un if un != m.group(0) else None
                yield self.finding(seg, m.start(), m.end(), f"stray {what} {m.group(0)!r}",
                                   suggestion=suggestion if suggestion is not None else "")


@register
class Mojibake(Detector):
    """Mis-decoded text (mojibake) or U+FFFD replacement characters.

    Flags UTF-8 read as Windows-1252 or Latin-1 ("Ã©" for "é", "â€™" for
    "’") when re-encoding the span gives valid UTF-8, and the replacement
    character "�" left by a lossy decoder.  Spans the source has too are a
    source problem and are not flagged.

    Why: an encoding error somewhere in the pipeline corrupts every accented
    letter of a French or German text; readers see it at once.

    Example: "Le ministre a dÃ©clarÃ©" flags "Ã©" twice, suggesting "é".
    """
    code = "MK002"
    name = "encoding.mojibake"
    groups = ("markup", "encoding")
    severity = Severity.MAJOR
    category = Category.CHARACTER_ENCODING

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        text = seg.hypothesis
        in_source = None
        for m in MOJIBAKE.finditer(text):
            # The longest prefix that re-decodes: "Ã©»" is "é" then a real "»".
            for end in range(m.end(), m.start() + 1, -1):
                span = text[m.start():end]
                fixed = _demojibake(span)
                if fixed is not None:
                    break
            if fixed is None:
                continue
            if in_source is None:
                in_source = {x.group(0)[:k] for x in MOJIBAKE.finditer(seg.source) for k in range(2, len(x.group(0)) + 1)}
            if span in in_source:
                continue
            yield self.finding(seg, m.start(), end, f"mojibake {span!r} (UTF-8 read as cp1252/Latin-1)",
                               suggestion=fixed)
        if "\ufffd" in text:
            for m in REPLACEMENT.finditer(text):
                if "\ufffd" in seg.source:
                    break
                yield self.finding(seg, m.start(), m.end(), "replacement character: text lost in decoding")


@register
class ControlCharacter(Detector):
    """Control characters (other than tab and newline) in the translation.

    Why: C0/C1 control characters are invisible in most editors, break XML
    and JSON exports and often signal a binary or encoding accident.

    Example: "Kidal\\x1b was captured" flags the escape character.
    """
    code = "MK003"
    name = "encoding.control-character"
    groups = ("markup", "encoding")
    severity = Severity.MINOR
    category = Category.CHARACTER_ENCODING

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        for m in CONTROL.finditer(seg.hypothesis):
            if m.group(0) in seg.source:
                continue
            yield self.finding(seg, m.start(), m.end(), f"control character U+{ord(m.group(0)):04X}",
                               suggestion="")
