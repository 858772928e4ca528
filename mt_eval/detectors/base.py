"""The finding model and the detector base class.

A :class:`Finding` is one problem at one place: a half-open character span
``[start, end)`` in the source or the hypothesis of one segment of one
system, with a stable detector code, a severity, an MQM category, a message
and an optional suggestion (LanguageTool-style).

A :class:`Detector` is a small class with a stable ``code`` (``BP001``), a
dotted ``name``, ``groups``, a default severity and category, the target
languages it supports, what it needs (``hypothesis``, ``source``,
``document``) and declared options.  Its docstring is its documentation:
what it flags, why, and an example.  Detectors are pure: no I/O, no global
state; shared heavy resources (models, lexicons) are loaded lazily once.
"""
from __future__ import annotations

import enum
import inspect
import re
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Iterable, Sequence


class Severity(enum.IntEnum):
    """MQM-style severities, ordered so that ``>=`` compares gravity."""
    INFO = 0
    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: "str | int | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        if isinstance(value, int):
            return cls(value)
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r}; use one of "
                             f"{', '.join(str(s) for s in cls)}") from None


class Category:
    """MQM error typology (the names used by Google's MQM annotations)."""
    ADDITION = "Accuracy/Addition"
    OMISSION = "Accuracy/Omission"
    MISTRANSLATION = "Accuracy/Mistranslation"
    UNTRANSLATED = "Accuracy/Untranslated text"
    SOURCE_ERROR = "Source error"
    PUNCTUATION = "Fluency/Punctuation"
    GRAMMAR = "Fluency/Grammar"
    SPELLING = "Fluency/Spelling"
    REGISTER = "Fluency/Register"
    INCONSISTENCY = "Fluency/Inconsistency"
    CHARACTER_ENCODING = "Fluency/Character encoding"
    LOCALE = "Locale convention"
    DISPLAY = "Fluency/Display"
    STYLE = "Style/Awkward"
    NON_TRANSLATION = "Non-translation"
    OTHER = "Other"

    @classmethod
    def all(cls) -> frozenset[str]:
        """Every category name (a detector's category must be one of them)."""
        return frozenset(v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str))


SIDES = ("hypothesis", "source")


@dataclass(frozen=True)
class Finding:
    """One problem at one span.  Offsets index the text of ``side``."""
    code: str
    name: str
    severity: Severity
    category: str
    side: str
    start: int
    end: int
    message: str
    span_text: str = ""
    suggestion: str | None = None
    confidence: float = 1.0
    doc_id: str = ""
    seg_id: int = 0
    system: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        if self.side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, got {self.side!r}")
        if not (0 <= self.start <= self.end):
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = str(self.severity)
        return d


@dataclass(frozen=True)
class Option:
    """A declared detector option: default, type and a one-line help."""
    default: Any
    help: str = ""
    type: type | None = None

    def coerce(self, name: str, value: Any) -> Any:
        t = self.type or type(self.default)
        if t is bool and isinstance(value, str):
            if value.lower() in ("1", "true", "yes", "on"):
                return True
            if value.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(f"option {name!r} takes true/false, got {value!r}")
        if t in (int, float) and isinstance(value, bool):
            raise ValueError(f"option {name!r} takes a number, got {value!r}")
        try:
            return t(value) if not isinstance(value, t) else value
        except (TypeError, ValueError):
            raise ValueError(f"option {name!r} takes {t.__name__}, got {value!r}") from None


@dataclass
class Segment:
    """What a segment-level check sees: one system's hypothesis with its
    source and references, and where it sits."""
    doc_id: str
    seg_id: int
    system: str | None
    source: str
    hypothesis: str
    references: tuple[str, ...] = ()
    src_lang: str | None = None
    tgt_lang: str | None = None
    index: int = 0          # row position in the corpus
    position: int = 0       # 0-based position in the document
    doc_length: int = 1     # segments in the document


@dataclass
class DocumentContext:
    """What a document-level check sees: every segment of one document for
    one system, plus corpus-wide facts (see :class:`CorpusContext`)."""
    doc_id: str
    system: str | None
    segments: list[Segment]
    corpus: "CorpusContext"

    @property
    def src_lang(self) -> str | None:
        return self.segments[0].src_lang if self.segments else None

    @property
    def tgt_lang(self) -> str | None:
        return self.segments[0].tgt_lang if self.segments else None


class CorpusContext:
    """Corpus-wide facts detectors may ask for, computed lazily once.

    ``line_document_frequency(side, system)`` maps a normalised line to the
    number of documents it occurs in, which lets boilerplate detection use
    recurrence across documents of a corpus or feed.
    """

    def __init__(self, documents: dict[str | None, list[list[Segment]]]):
        self._documents = documents
        self._cache: dict[Any, Any] = {}

    @property
    def n_documents(self) -> int:
        first = next(iter(self._documents.values()), [])
        return len(first)

    def line_document_frequency(self, side: str = "hypothesis", system: str | None = None) -> dict[str, int]:
        key = ("ldf", side, system)
        if key not in self._cache:
            from collections import Counter
            counts: Counter[str] = Counter()
            for doc in self._documents.get(system, []):
                lines = set()
                for seg in doc:
                    text = seg.hypothesis if side == "hypothesis" else seg.source
                    for line in text.split("\n"):
                        norm = normalise_line(line)
                        if norm:
                            lines.add(norm)
                counts.update(lines)
            self._cache[key] = dict(counts)
        return self._cache[key]

    def memo(self, key: Any, compute):
        """Cache anything corpus-wide under ``key`` (detectors share it)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


_DIGITS = re.compile(r"\d")


def normalise_line(line: str) -> str:
    """Case-, space- and digit-folded text of a line, for recurrence counting
    ("3 comments" and "12 comments" are the same template line)."""
    return " ".join(_DIGITS.sub("0", line.casefold()).split())


class Detector:
    """Base class of every detector.  See the module docstring.

    Subclasses implement :meth:`check_segment` (hypothesis-level or with the
    source) or :meth:`check_document` (when ``"document" in needs``), and
    build findings with :meth:`finding`.
    """

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    groups: ClassVar[tuple[str, ...]] = ()
    severity: ClassVar[Severity] = Severity.MINOR
    category: ClassVar[str] = Category.OTHER
    languages: ClassVar[tuple[str, ...] | None] = None   # target languages; None = any
    needs: ClassVar[frozenset[str]] = frozenset({"hypothesis"})
    options: ClassVar[dict[str, Option]] = {}
    default_enabled: ClassVar[bool] = True
    # False for checks of the source alone: they run once, not once per
    # system, and their findings carry no system.
    per_system: ClassVar[bool] = True
    # An optional extra this detector needs (e.g. "nlp") and the modules it
    # provides: when one is missing the runner reports the detector as
    # skipped with the install hint instead of failing on every segment.
    requires_extra: ClassVar[str | None] = None
    requires_modules: ClassVar[tuple[str, ...]] = ()

    def __init__(self, severity: Severity | str | None = None, **options: Any):
        unknown = set(options) - set(self.options)
        if unknown:
            known = ", ".join(sorted(self.options)) or "none"
            raise ValueError(f"{self.code}: unknown option(s) {', '.join(sorted(unknown))}; known: {known}")
        self.opts = {k: o.default for k, o in self.options.items()}
        for k, v in options.items():
            self.opts[k] = self.options[k].coerce(f"{self.code}.{k}", v)
        self.effective_severity = Severity.parse(severity) if severity is not None else self.severity

    # -- documentation -----------------------------------------------------
    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        return cls.doc().split("\n\n")[0].replace("\n", " ")

    # -- applicability -----------------------------------------------------
    @classmethod
    def supports(cls, tgt_lang: str | None) -> bool:
        if cls.languages is None or tgt_lang is None:
            return True
        return tgt_lang.split("-")[0].lower() in cls.languages

    @classmethod
    def available(cls) -> str | None:
        """``None`` when usable, else why not and how to fix it.

        The default checks (without importing) that ``requires_modules`` are
        installed; detectors needing a model file or the like extend it.
        """
        import importlib.util
        missing = []
        for mod in cls.requires_modules:
            try:
                found = importlib.util.find_spec(mod) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                missing.append(mod)
        if not missing:
            return None
        hint = f"pip install 'mt_eval[{cls.requires_extra}]'" if cls.requires_extra else \
            f"pip install {' '.join(missing)}"
        return f"needs {', '.join(missing)}, which is not installed; run: {hint}"

    # -- checks --------------------------------------------------------------
    def prepare(self, documents: Sequence[DocumentContext]) -> None:
        """Called with the documents a process is about to check, before
        their ``check_*`` calls.  Detectors that parse text do it here in
        large batches (see :func:`mt_eval.nlp.parse`): a spaCy pipeline
        costs about a third more CPU per text when it is fed one document's
        dozen segments at a time.  It must not change what the checks find."""

    def check_segment(self, seg: Segment) -> Iterable[Finding]:
        return ()

    def check_document(self, doc: DocumentContext) -> Iterable[Finding]:
        for seg in doc.segments:
            yield from self.check_segment(seg)

    # -- helpers -------------------------------------------------------------
    def finding(self, seg: Segment, start: int, end: int, message: str, *,
                side: str = "hypothesis", suggestion: str | None = None,
                confidence: float = 1.0, severity: Severity | None = None,
                category: str | None = None, **data: Any) -> Finding:
        text = seg.hypothesis if side == "hypothesis" else seg.source
        start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
        return Finding(
            code=self.code, name=self.name,
            severity=severity if severity is not None else self.effective_severity,
            category=category or self.category, side=side, start=start, end=end,
            message=message, span_text=text[start:end], suggestion=suggestion,
            # four decimals: a heuristic confidence, and 0.45999999999999996 in a CSV helps nobody
            confidence=round(float(confidence), 4), doc_id=seg.doc_id, seg_id=seg.seg_id,
            system=seg.system if self.per_system else None, data=data)


def sorted_findings(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.doc_id, f.seg_id, f.system or "", f.side, f.start, f.code))
