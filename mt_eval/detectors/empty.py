"""Empty or whitespace-only translations (``EM…``)."""
from __future__ import annotations

from typing import Iterable

from .base import Category, Detector, Finding, Segment, Severity
from .registry import register

# Characters that render as nothing: a translation made only of them is empty.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def is_blank(text: str) -> bool:
    return all(c.isspace() or c in INVISIBLE for c in text)


@register
class EmptyTranslation(Detector):
    """The translation is empty or whitespace-only while the source is not.

    Counts zero-width spaces, joiners and soft hyphens as whitespace.  Needs
    the source: in a hypothesis-only file a blank line is layout (paragraph
    separators), not a lost segment, so it is not flagged.

    Why: an empty output is the whole segment omitted; MT pipelines produce
    it on time-outs, length limits and tag-handling failures.

    Example: source "Le Mali a repris Kidal." with translation "" (or "\\u200b").
    """
    code = "EM001"
    name = "empty.translation"
    groups = ("empty", "accuracy")
    severity = Severity.CRITICAL
    category = Category.OMISSION
    needs = frozenset({"hypothesis", "source"})

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        if is_blank(seg.hypothesis) and not is_blank(seg.source):
            what = "empty" if not seg.hypothesis else "whitespace-only"
            yield self.finding(seg, 0, len(seg.source), f"the translation is {what}; the whole source is untranslated",
                               side="source")


@register
class UnexpectedTranslation(Detector):
    """A translation where the source segment is empty.

    Why: text where there is no source is either an addition (a hallucinated
    line) or, more often, a sign that source and translation are misaligned
    from this line on, which makes every later comparison meaningless.

    Lines BP001 identifies as web boilerplate are left to it: a scraped
    "Exit mobile version" has no source because it is an addition, and one
    finding says so.

    Example: source "" (a blank line) with translation "The rebels left the city."
    """
    code = "EM002"
    name = "empty.source"
    groups = ("empty", "accuracy")
    severity = Severity.MAJOR
    category = Category.ADDITION
    needs = frozenset({"hypothesis", "source", "document"})

    def check_document(self, doc) -> Iterable[Finding]:
        # Only when the corpus has a source at all (a hypothesis-only corpus
        # has an empty source everywhere).
        if not any(s.source.strip() for s in doc.segments):
            return
        boiler = None
        for k, seg in enumerate(doc.segments):
            if is_blank(seg.source) and not is_blank(seg.hypothesis):
                if boiler is None:
                    from .boilerplate import BoilerplateAddition, _scores
                    boiler = _scores(BoilerplateAddition(), doc, "hypothesis").hits
                if k in boiler:
                    continue
                text = seg.hypothesis
                start = len(text) - len(text.lstrip())
                yield self.finding(seg, start, len(text.rstrip()),
                                   "translation without a source segment (addition, or misaligned files)")
