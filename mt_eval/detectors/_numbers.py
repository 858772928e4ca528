"""Reading the numbers, dates and times of a text by its language's conventions.

Each number becomes an :class:`Atom`: its span and the set of values it may
stand for.  The set is what makes comparison across languages work:
"2,5 milliards" is ``{2.5, 2.5e9}`` and matches "2.5 billion"; "14 h 30"
is the time ``12:30``-style key ``t14:30`` (and ``t2:30``) and matches
"2:30 p.m."; "11" in a numeric date may be the month, ``mo11``, and matches
"November".  Conventions decide the value of a written number: in French
"1,234" is 1.234 and "1 234" is 1234; in English "1,234" is 1234.  A
translation that keeps the source convention therefore changes the value,
which is exactly the error to catch.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ._data import data_rows
from ._langid import word_languages

COMMA_DECIMAL = frozenset({"fr", "de", "es", "it", "pt", "nl"})

TIME = re.compile(
    r"(?<![\w:.,])([01]?\d|2[0-3])"
    r"(?:\s?(?:h|:)\s?([0-5]\d)(?!\d)"             # 14h30, 14 h 30, 14:30
    r"|\.([0-5]\d)(?![\d.,])"                       # 14.30 (British; also a decimal)
    r"|\s?(?:h|heures?|uhr)(?![\w])"                 # 14 h, 14 heures, 14 Uhr
    r"|(?=\s?[ap]\.?m\.?(?!\w)))"                    # 2 pm
    r"(?:\s?([ap])\.?m\.?(?!\w))?", re.I)
# Digits with their separators.  A plain space before three digits groups
# thousands ("10 000"; English SI style too): "March 3 200 people" is misread
# as 3200, a rarer case than a grouped number read as two.
CHUNK_SPACE = re.compile(r"(?<![\w.,])\d+(?:(?:[.,'’]|[\u00a0\u202f]|[ ](?=\d{3}(?!\d)))\d+)*")
ROMAN_ORDINAL = re.compile(r"\b([IVXLC]{1,7})(?:e|er|ère|ème|è)\b")
SCALE_WORD = re.compile(r"\s?([^\W\d_]+)\.?")
WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass
class Atom:
    start: int
    end: int
    values: frozenset
    text: str
    kind: str = "number"   # number | time | month


@dataclass(frozen=True)
class NumberWords:
    spelled: dict[str, float]     # cardinals and ordinals
    scales: dict[str, float]
    months: dict[str, int]


@lru_cache(maxsize=None)
def number_words(lang: str) -> NumberWords:
    spelled, scales, months = {}, {}, {}
    for l, kind, word, value in data_rows("numbers.tsv", 4):
        if l != lang:
            continue
        if kind in ("cardinal", "ordinal"):
            spelled[word] = float(value)
        elif kind == "scale":
            scales[word] = float(value)
        elif kind == "month":
            months[word] = int(value)
        else:
            raise ValueError(f"numbers.tsv: unknown kind {kind!r}")
    return NumberWords(spelled, scales, months)


def _roman(s: str) -> int | None:
    total, prev = 0, 0
    for c in reversed(s):
        v = ROMAN[c]
        total += -v if v < prev else v
        prev = max(prev, v)
    return total or None


def parse_number(chunk: str, lang: str) -> list[float]:
    """The value of a digit chunk by the conventions of ``lang``, or the
    values of its components when it is a date or a code ("14.11.2023")."""
    parts = re.split(r"([.,'’\u00a0\u202f ])", chunk)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return [float(chunk)]
    decimal_mark = "," if lang in COMMA_DECIMAL else "."
    grouped = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:-1])
    last = seps[-1]
    # A final "." or "," not used before is a decimal mark unless it is
    # followed by exactly three digits and is not this language's mark
    # (English "1,234" is 1234, French "1,234" is 1.234).
    if last in ".," and last not in seps[:-1] and grouped and \
            (len(groups[-1]) != 3 or last == decimal_mark):
        return [float("".join(groups[:-1]) + "." + groups[-1])]
    spaces = {" ", "\u00a0", "\u202f", "'", "’"}
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and \
            (len(set(seps)) == 1 or set(seps) <= spaces):
        return [float("".join(groups))]
    return [float(g) for g in groups if g]


def spelled_value(word: str, lang: str) -> float | None:
    nw = number_words(lang)
    w = word.lower()
    if w in nw.spelled:
        return nw.spelled[w]
    if "-" in w:
        parts = w.split("-")
        vals = [nw.spelled.get(p) for p in parts if p not in ("et", "and")]
        if vals and all(v is not None for v in vals):
            return float(sum(vals))  # twenty-five, vingt-cinq
    return None


def atoms(text: str, lang: str, *, any_month: bool = False) -> list[Atom]:
    """Every number, time and dated month of ``text`` (every month name with
    ``any_month``, for the side that only has to supply partners)."""
    out: list[Atom] = []
    taken: list[tuple[int, int]] = []
    nw = number_words(lang)
    for m in TIME.finditer(text):
        hour, minutes, dotted, ampm = m.groups()
        h = int(hour)
        mins = int(minutes or dotted or 0)
        vals: set = set()
        if dotted and not ampm:
            vals.add(float(f"{hour}.{dotted}"))   # "12.30" may be a decimal
        if ampm and ampm.lower() == "p" and h < 12:
            h += 12
        if not (minutes or dotted):
            vals.add(float(hour))                 # "10 heures" may be a duration
        vals |= {f"t{h}:{mins:02d}", f"t{h % 12}:{mins:02d}"}
        out.append(Atom(m.start(), m.end(), frozenset(vals), m.group(0), "time"))
        taken.append(m.span())
    for m in CHUNK_SPACE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        vals = parse_number(m.group(0), lang)
        if not vals:
            continue
        if len(vals) > 1:
            # Components of a date or code: one atom each.
            for piece in re.finditer(r"\d+", m.group(0)):
                v = float(piece.group(0))
                out.append(_number_atom(m.start() + piece.start(), m.start() + piece.end(), v, piece.group(0)))
            continue
        v = vals[0]
        atom = _number_atom(m.start(), m.end(), v, m.group(0))
        # Scale words right after: "2,5 milliards", "3 mil millones", "$3bn".
        scale, pos = 1.0, m.end()
        while True:
            sm = SCALE_WORD.match(text, pos)
            factor = nw.scales.get(sm.group(1).lower()) if sm else None
            if factor is None:
                break
            scale *= factor
            pos = sm.end()
        if scale != 1.0:
            atom.values = atom.values | {v * scale}
        out.append(atom)
    for m in ROMAN_ORDINAL.finditer(text):
        v = _roman(m.group(1))
        if v and not word_languages(m.group(0).lower()):  # "Le", "Ce" are words
            out.append(_number_atom(m.start(), m.end(), float(v), m.group(0)))
    # Months count only next to a day or a year ("May 5", "5 mai", "mai 2020"),
    # so that "may" the verb and "sept" the number are left alone.
    for mm in _month_regex(lang).finditer(text):
        a, b = mm.span()
        mo = nw.months[mm.group(0).lower()]
        near = text[max(0, a - 6):a] + " " + text[b:b + 7]
        if any_month or re.search(r"(?<!\d)\d{1,2}(?:er|st|nd|rd|th)?(?!\d)|\b\d{4}\b", near):
            out.append(Atom(a, b, frozenset({f"mo{mo}"}), text[a:b], "month"))
    out.sort(key=lambda x: x.start)
    return out


@lru_cache(maxsize=None)
def _month_regex(lang: str) -> re.Pattern:
    names = sorted(number_words(lang).months, key=len, reverse=True)
    if not names:
        return re.compile(r"(?!)")
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(map(re.escape, names)) + r")(?![^\W\d_])", re.I)


def _number_atom(start: int, end: int, v: float, text: str) -> Atom:
    vals: set = {v}
    if v.is_integer() and 1 <= v <= 12:
        vals.add(f"mo{int(v)}")           # a month in a numeric date
    if v in (20, 30, 40, 50, 60, 70, 80, 90):
        vals |= {1900 + v, 2000 + v}      # "les années 80" = "the 1980s"
    return Atom(start, end, frozenset(vals), text)


def spelled_values(text: str, lang: str) -> list[float]:
    out = []
    for w in WORDS.finditer(text):
        v = spelled_value(w.group(0), lang)
        if v is not None:
            out.append(v)
    return out


def match(src: list[Atom], hyp: list[Atom], spelled: list[float]) -> tuple[list[Atom], list[Atom]]:
    """Source and hypothesis atoms left without a partner."""
    used = [False] * len(hyp)
    words = list(spelled)
    missing = []
    # Most specific first, so a bare "11" does not take the partner of "11:30".
    for a in sorted(src, key=lambda x: len(x.values)):
        for j, b in enumerate(hyp):
            # A number copied verbatim is not a mistranslation even if the
            # target convention reads it differently: NM002 reports the format.
            if not used[j] and (a.values & b.values or a.text == b.text):
                used[j] = True
                break
        else:
            hit = next((w for w in words if w in a.values), None)
            if hit is not None:
                words.remove(hit)
            else:
                missing.append(a)
    extra = [b for j, b in enumerate(hyp) if not used[j]]
    return sorted(missing, key=lambda x: x.start), extra
