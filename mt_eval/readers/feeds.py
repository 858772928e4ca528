"""News feeds: RSS 2.0 (and 0.9x/1.0), Atom 1.0 and JSON Feed 1.x.

:func:`read_feed` streams a feed file into :class:`FeedItem` objects: the
item's identity (``id``/``guid``, ``link``, other-language ``alternates``,
simple ``fields`` for an explicit mapping) and its text as a reader sees it,
as :class:`Part` objects (title, summary, one per body paragraph) each with
the line of the feed file it comes from.  Bodies are HTML and go through
:mod:`.htmltext`; nothing of the raw HTML is kept.

XML is parsed with :func:`.xmlsafe.iterparse` (no entities, no DTD, no
network; entity declarations refused) and every item element is freed as
soon as it is read, so memory follows the largest item, not the file.  JSON
Feeds are streamed member by member by :mod:`.jsonstream`.

Which part is the body:

* RSS: ``content:encoded`` when present (``description`` is then the
  summary), else ``description``;
* Atom: ``content`` (``type`` text, html or xhtml; out-of-line ``src``
  content has no body), ``summary`` as the summary;
* JSON Feed: ``content_html``, else ``content_text``; ``summary``.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from lxml import etree

from ..errors import InputError
from . import htmltext
from .jsonstream import stream_object
from .xmlsafe import iterparse

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Part:
    """One piece of an item's text: ``role`` is title, summary or body."""
    role: str
    text: str
    line: int | None


@dataclass
class FeedItem:
    feed: str                      # path of the feed file
    index: int                     # 0-based position in the feed
    line: int | None               # line of the item element / object
    id: str | None = None
    link: str | None = None
    alternates: tuple[str, ...] = ()   # links to the same item in other languages
    lang: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)

    @property
    def title(self) -> str:
        return next((p.text for p in self.parts if p.role == "title"), "")

    @property
    def has_body(self) -> bool:
        return any(p.role == "body" for p in self.parts)

    def key(self) -> str:
        """The item's identity inside its feed (id, else link, else position)."""
        return self.id or self.link or f"item-{self.index + 1}"


@dataclass
class Feed:
    path: str
    format: str                    # "rss", "atom" or "json"
    title: str = ""
    link: str | None = None
    lang: str | None = None
    items: list[FeedItem] = field(default_factory=list)


# -- format detection ----------------------------------------------------------
def sniff(path: str, strict: bool = False) -> str | None:
    """``"rss"``, ``"atom"``, ``"json"``, ``"wmt-xml"`` or ``None`` (not a
    feed) from the first bytes of a file.  A JSON object is a JSON Feed when
    it names the JSON Feed version or, unless ``strict``, when the file ends
    in ``.json`` (so that a broken feed given by name gets a clear error)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        named = not strict and Path(path).suffix.lower() == ".json"
        return "json" if b"jsonfeed.org/version" in head or named else None
    m = re.search(rb"<(?![?!])(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)", head)
    if not m:
        return None
    root = m.group(1).lower()
    if root in (b"rss", b"rdf"):
        return "rss"
    if root == b"feed":
        return "atom"
    if root == b"dataset":
        return "wmt-xml"
    return None


def read_feed(path: str) -> Feed:
    """Read a whole feed (items streamed in, raw markup dropped as we go)."""
    fmt = sniff(path)
    if fmt not in ("rss", "atom", "json"):
        if not Path(path).exists():
            raise InputError("file not found", path)
        raise InputError("not a feed: expected RSS (<rss>/<rdf:RDF>), Atom (<feed>) or a JSON Feed", path, 1)
    feed = Feed(str(path), fmt)
    feed.items = list(iter_items(feed))
    for item in feed.items:
        if item.lang is None:
            item.lang = feed.lang
    return feed


def iter_items(feed: Feed) -> Iterator[FeedItem]:
    """Stream the items of ``feed`` (its ``format`` set); channel-level data
    (title, language) fills ``feed`` as it is met."""
    if feed.format == "json":
        yield from _json_items(feed)
    else:
        yield from _xml_items(feed)


# -- XML feeds ------------------------------------------------------------------
def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _text(el, path: str) -> str:
    """Text content of a simple element.  Entity references survive only
    when a DOCTYPE names an external DTD we do not load (RSS 0.91 does);
    HTML's named entities are what those DTDs define, so we resolve them
    and refuse anything else rather than drop it silently."""
    out = [el.text or ""]
    for child in el:
        if child.tag is etree.Entity:
            name = child.text.strip("&;")
            ch = _html.unescape(child.text)
            if ch == child.text:
                raise InputError(f"undefined entity &{name};", path, child.sourceline)
            out.append(ch)
        elif isinstance(child.tag, str):
            out.append(_text(child, path))
        out.append(child.tail or "")
    return "".join(out)


def _inner_markup(el) -> str:
    """Serialised children of an XHTML container (Atom ``type="xhtml"``)."""
    parts = [_html.escape(el.text or "", quote=False)]
    for child in el:
        parts.append(etree.tostring(child, method="html", encoding="unicode", with_tail=False))
        parts.append(_html.escape(child.tail or "", quote=False))
    return "".join(parts)


def _parts_from(role: str, raw: str, line: int | None, kind: str) -> list[Part]:
    """``kind`` is "html", "text" or "auto" (decide from the content)."""
    is_html = None if kind == "auto" else kind == "html"
    paras = htmltext.paragraphs(raw, is_html=is_html)
    if role != "body":
        text = " ".join(p.text.replace("\n", " ") for p in paras).strip()
        return [Part(role, text, line)] if text else []
    return [Part(role, p.text, (line or 1) + p.line - 1 if line else None) for p in paras]


def _atom_kind(el) -> str:
    t = (el.get("type") or "text").lower()
    if t in ("html", "text/html"):
        return "html"
    if t in ("xhtml", "application/xhtml+xml"):
        return "xhtml"
    return "text"


def _atom_content(role: str, el, path: str) -> list[Part]:
    kind = _atom_kind(el)
    if kind == "xhtml":
        div = next((c for c in el if _local(c.tag) == "div"), el)
        return _parts_from(role, _inner_markup(div), div.sourceline, "html")
    if el.get("src") is not None:
        return []  # out-of-line content: nothing to read in the feed
    return _parts_from(role, _text(el, path), el.sourceline, kind)


def _xml_items(feed: Feed) -> Iterator[FeedItem]:
    path = feed.path
    atom = feed.format == "atom"
    item_tag = "entry" if atom else "item"
    depth = 0
    item_depth = None
    index = 0
    root_seen = False
    for event, el in iterparse(path):
        name = _local(el.tag)
        if event == "start":
            depth += 1
            if not root_seen:
                root_seen = True
                feed.lang = el.get(XML_LANG) or feed.lang
            if name == item_tag and item_depth is None:
                item_depth = depth
            continue
        depth -= 1
        if item_depth is not None:
            if depth + 1 == item_depth and name == item_tag:
                item_depth = None
                yield _atom_item(feed, el, index) if atom else _rss_item(feed, el, index)
                index += 1
                _free(el)
            continue
        # Channel-level elements (outside items): keep what we need, free the rest.
        parent = el.getparent()
        pname = _local(parent.tag) if parent is not None else ""
        if name == "language" and pname in ("channel", "feed") and not feed.lang:
            feed.lang = (_text(el, path).strip() or None)
        elif name == "title" and pname in ("channel", "feed") and not feed.title:
            feed.title = htmltext.text_of(_text(el, path))
        elif name == "link" and pname in ("channel", "feed") and feed.link is None:
            feed.link = (el.get("href") if atom or el.get("href") else _text(el, path)).strip() or None
        if depth >= 1 and pname in ("channel", "feed", "RDF"):
            _free(el)
    if not root_seen:
        raise InputError("no XML element found", path)


def _free(el) -> None:
    """Drop a finished element and the siblings before it."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def _simple_fields(el, path: str) -> dict[str, str]:
    """Leaf children by local name (first one wins): the pool an explicit
    mapping field (``field:NAME``) is looked up in."""
    fields: dict[str, str] = {}
    for child in el:
        if not isinstance(child.tag, str) or len(child):
            continue
        name = _local(child.tag)
        if name in fields:
            continue
        value = _text(child, path).strip() or (child.get("href") or "").strip()
        if value:
            fields[name] = value
    return fields


def _rss_item(feed: Feed, el, index: int) -> FeedItem:
    path = feed.path
    item = FeedItem(path, index, el.sourceline, fields=_simple_fields(el, path))
    title = desc = content = None
    alternates = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name, ns = _local(child.tag), _ns(child.tag)
        if name == "guid" and item.id is None:
            item.id = _text(child, path).strip() or None
        elif name == "link" and ns == ATOM:
            rel = child.get("rel", "alternate")
            href = (child.get("href") or "").strip()
            if href and rel == "alternate" and child.get("hreflang"):
                alternates.append(href)
            elif href and rel == "alternate" and item.link is None:
                item.link = href
        elif name == "link" and item.link is None:
            item.link = _text(child, path).strip() or None
        elif name == "title" and title is None:
            title = child
        elif name == "description" and desc is None:
            desc = child
        elif name == "encoded" and content is None:
            content = child
        elif name == "language" and item.lang is None:
            item.lang = _text(child, path).strip() or None
    if item.id is None and el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"):
        item.id = el.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")  # RSS 1.0
    item.alternates = tuple(alternates)
    if title is not None:
        item.parts += _parts_from("title", _text(title, path), title.sourceline, "auto")
    if content is not None:
        if desc is not None:
            item.parts += _parts_from("summary", _text(desc, path), desc.sourceline, "auto")
        item.parts += _parts_from("body", _text(content, path), content.sourceline, "auto")
    elif desc is not None:
        item.parts += _parts_from("body", _text(desc, path), desc.sourceline, "auto")
    return item


def _atom_item(feed: Feed, el, index: int) -> FeedItem:
    path = feed.path
    item = FeedItem(path, index, el.sourceline, lang=el.get(XML_LANG), fields=_simple_fields(el, path))
    title = summary = content = None
    alternates = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = _local(child.tag)
        if name == "id" and item.id is None:
            item.id = _text(child, path).strip() or None
        elif name == "link":
            rel = child.get("rel", "alternate")
            href = (child.get("href") or "").strip()
            if not href or rel != "alternate":
                continue
            if child.get("hreflang") and (item.lang is None or child.get("hreflang") != item.lang):
                alternates.append(href)
            elif item.link is None:
                item.link = href
        elif name == "title" and title is None:
            title = child
        elif name == "summary" and summary is None:
            summary = child
        elif name == "content" and content is None:
            content = child
    item.alternates = tuple(alternates)
    if title is not None:
        item.parts += _atom_content("title", title, path)
    if summary is not None:
        item.parts += _atom_content("summary", summary, path)
    if content is not None:
        item.parts += _atom_content("body", content, path)
    return item


# -- JSON Feed --------------------------------------------------------------------
def _flatten(obj: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
            out[key] = str(v)
    return out


def _json_items(feed: Feed) -> Iterator[FeedItem]:
    path = feed.path
    version = None
    index = 0
    for key, value, line in stream_object(path, "items"):
        if key == "items":
            if not isinstance(value, dict):
                raise InputError(f"a JSON Feed item must be an object, found {type(value).__name__}", path, line)
            yield _json_item(feed, value, index, line)
            index += 1
        elif key == "version":
            version = value
        elif key == "title" and isinstance(value, str):
            feed.title = value
        elif key == "language" and isinstance(value, str):
            feed.lang = value
        elif key == "home_page_url" and isinstance(value, str):
            feed.link = value
    if not (isinstance(version, str) and "jsonfeed.org/version/" in version):
        raise InputError("not a JSON Feed: no \"version\": \"https://jsonfeed.org/version/1.1\"", path, 1)


def _json_item(feed: Feed, obj: dict, index: int, line: int) -> FeedItem:
    path = feed.path

    def string(name: str) -> str | None:
        v = obj.get(name)
        if v is None:
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool) and name == "id":
            return str(v)  # JSON Feed 1.0 allowed numeric ids
        if not isinstance(v, str):
            raise InputError(f"item {index + 1}: {name!r} must be a string, found {type(v).__name__}",
                             path, line)
        return v

    item = FeedItem(path, index, line, id=(string("id") or "").strip() or None,
                    link=(string("url") or "").strip() or None,
                    lang=string("language"), fields=_flatten(obj))
    alt = string("external_url")
    if alt:
        item.alternates = (alt.strip(),)
    title, summary = string("title"), string("summary")
    if title:
        item.parts += [Part("title", " ".join(title.split()), line)]
    if summary:
        item.parts += _parts_from("summary", summary, line, "text")
    content_html, content_text = string("content_html"), string("content_text")
    if content_html:
        # The HTML sits on one line of the file: every paragraph points there.
        item.parts += [Part("body", p.text, line) for p in htmltext.paragraphs(content_html, is_html=True)]
    elif content_text:
        item.parts += [Part("body", p.text, line) for p in htmltext.paragraphs(content_text, is_html=False)]
    return item
