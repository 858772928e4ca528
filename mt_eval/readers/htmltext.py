"""What a reader sees of an HTML fragment: its visible text, one paragraph
per block.

Feed item bodies are untrusted HTML.  We parse them with lxml's HTML parser
(no network, no entity loading), drop what a browser does not show (scripts,
styles, ``hidden`` or ``display:none`` elements, comments, images), and cut
paragraphs at block elements (``<p>``, headings, list items, ``<div>`` ...).
``<br>`` becomes a line break inside its paragraph, as it renders.

We do not run a boilerplate remover such as trafilatura here on purpose: a
feed body is what gets published, and scraped boilerplate in it ("Exit
mobile version", "Share this article") is exactly what the detectors must
see and flag.

Each paragraph keeps the line of the element it started in, relative to the
fragment, so findings can point back into the feed file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree, html

# Elements whose start and end break the text into paragraphs.
BLOCK = frozenset("""
address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol
p pre section summary table tbody tfoot thead tr ul
""".split())
# Elements a reader never sees as text.
INVISIBLE = frozenset("""
audio button canvas datalist embed head iframe img input map math meta noscript object option
picture script select source style svg template textarea title track video link base
""".split())
# Table cells run together on one line, separated as they render.
CELL = frozenset(("td", "th"))

_WS = re.compile(r"[ \t\r\n\f]+")  # HTML whitespace; NBSP is text and is kept
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_LOOKS_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_BLANK_LINES = re.compile(r"\n[ \t\f\r]*\n")


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int  # 1-based line inside the fragment


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text))


def paragraphs(fragment: str, *, is_html: bool | None = None) -> list[Paragraph]:
    """The visible paragraphs of ``fragment``.

    ``is_html=None`` decides from the content: text with no tag and no
    character reference is plain text, split at blank lines.
    """
    if not fragment or not fragment.strip():
        return []
    if is_html is None:
        is_html = looks_like_html(fragment)
    if not is_html:
        return _plain(fragment)
    return _html(fragment)


def text_of(fragment: str, *, is_html: bool | None = None) -> str:
    """One line of visible text (titles, summaries)."""
    return " ".join(p.text.replace("\n", " ") for p in paragraphs(fragment, is_html=is_html)).strip()


def _plain(text: str) -> list[Paragraph]:
    out = []
    pos = 0
    for block in _BLANK_LINES.split(text):
        start = text.find(block, pos)
        pos = start + len(block)
        clean = _WS.sub(" ", block).strip()
        if clean:
            lead = len(block) - len(block.lstrip())
            out.append(Paragraph(clean, text.count("\n", 0, start + lead) + 1))
    return out


def _hidden(el) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


class _Builder:
    def __init__(self):
        self.out: list[Paragraph] = []
        self.parts: list[str] = []
        self.line: int | None = None

    def text(self, s: str | None, line: int | None) -> None:
        if not s:
            return
        s = _WS.sub(" ", s)
        if s.strip() and self.line is None:
            self.line = line
        self.parts.append(s)

    def newline(self) -> None:
        self.parts.append("\n")

    def flush(self) -> None:
        if self.parts:
            raw = "".join(self.parts)
            # Spaces around a <br> are not rendered; keep the break itself.
            lines = [" ".join(x.split(" ")).strip() for x in raw.split("\n")]
            text = "\n".join(x for x in lines if x)
            if text:
                self.out.append(Paragraph(text, self.line or 1))
        self.parts = []
        self.line = None


def _walk(el, b: _Builder, inherited_line: int) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    line = getattr(el, "sourceline", None) or inherited_line
    if tag is None:  # comment or processing instruction: invisible, but its tail is text
        b.text(el.tail, line)
        return
    name = tag.rsplit("}", 1)[-1].lower()
    if name in INVISIBLE or _hidden(el):
        b.text(el.tail, line)
        return
    block = name in BLOCK
    if block:
        b.flush()
    if name == "br":
        b.newline()
    elif name in CELL and b.parts and b.parts[-1].strip():
        b.text(" ", line)
    b.text(el.text, line)
    for child in el:
        _walk(child, b, line)
    if block:
        b.flush()
    b.text(el.tail, line)


_PARSER = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                          default_doctype=False)


def _html(fragment: str) -> list[Paragraph]:
    try:
        root = html.fragment_fromstring(fragment, create_parent="div", parser=_PARSER)
    except (etree.ParserError, ValueError):
        # lxml refuses a fragment of nothing but markup it dropped: no text.
        return []
    b = _Builder()
    _walk(root, b, 1)
    b.flush()
    return b.out
