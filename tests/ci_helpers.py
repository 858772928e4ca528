"""Small detectors and feed builders for the CI-gate tests.

The detectors are deliberately not registered: the gate takes detector
instances directly, and the project's registry meta-tests stay untouched.
"""
from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from mt_eval.detectors.base import Category, Detector, Severity


class PhraseDetector(Detector):
    """Flags the phrases of ``self.phrases`` in hypotheses (test double)."""
    code = "TST01"
    name = "test.phrase"
    severity = Severity.MAJOR
    category = Category.ADDITION
    phrases = ("Exit mobile version", "Share this article")

    def check_segment(self, seg):
        for p in self.phrases:
            for m in re.finditer(re.escape(p), seg.hypothesis):
                yield self.finding(seg, m.start(), m.end(), f"boilerplate {p!r}")


class SheDetector(Detector):
    """Flags every 'she' (test double, minor)."""
    code = "TST02"
    name = "test.she"
    severity = Severity.MINOR
    category = Category.MISTRANSLATION

    def check_segment(self, seg):
        for m in re.finditer(r"\b[Ss]he\b", seg.hypothesis):
            yield self.finding(seg, m.start(), m.end(), "pronoun she")


class MarkupDetector(Detector):
    """Flags literal markup-like text from '<' to the end of a line (test double)."""
    code = "TST04"
    name = "test.markup"
    severity = Severity.MAJOR

    def check_segment(self, seg):
        for m in re.finditer(r"<[a-z][^\n]*", seg.hypothesis):
            yield self.finding(seg, m.start(), m.end(), "stray markup")


class CrashDetector(Detector):
    """Raises on segments containing 'crash' (test double)."""
    code = "TST03"
    name = "test.crash"

    def check_segment(self, seg):
        if "crash" in seg.hypothesis:
            raise RuntimeError("boom")
        return ()


def make_detectors():
    return [PhraseDetector(), SheDetector()]


def rss(items, lang="fr", extra_channel="", decl='<?xml version="1.0" encoding="UTF-8"?>'):
    """An RSS 2.0 feed; each item a dict with guid/link/title/description/content."""
    out = [decl, '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           "<channel>", "<title>Test feed</title>", f"<language>{lang}</language>" if lang else "", extra_channel]
    for it in items:
        out.append("<item>")
        for key, tag in (("guid", "guid"), ("link", "link"), ("title", "title"), ("description", "description")):
            if it.get(key) is not None:
                out.append(f"<{tag}>{escape(it[key])}</{tag}>")
        if it.get("content") is not None:
            out.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        for k, v in (it.get("fields") or {}).items():
            out.append(f"<{k}>{escape(v)}</{k}>")
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(entries, lang="en"):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
           "<title>Test translations</title>", "<id>tag:test,2024:feed</id>"]
    for e in entries:
        out.append("<entry>")
        out.append(f"<id>{escape(e['id'])}</id>")
        if e.get("title") is not None:
            out.append(f"<title>{escape(e['title'])}</title>")
        if e.get("link"):
            out.append(f'<link rel="alternate" href="{escape(e["link"])}"/>')
        for alt in e.get("alternates", ()):
            out.append(f'<link rel="alternate" hreflang="fr" href="{escape(alt)}"/>')
        if e.get("summary") is not None:
            out.append(f"<summary>{escape(e['summary'])}</summary>")
        if e.get("content") is not None:
            out.append(f'<content type="html">{escape(e["content"])}</content>')
        if e.get("xhtml") is not None:
            out.append(f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{e["xhtml"]}</div></content>')
        out.append("</entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def write(path: Path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)
