"""Phrase tables of interface strings, compiled once and prefiltered.

A table (a data file, or a folder of them such as ``data/boilerplate/``, one
file per language) holds regular expressions per language with a kind and a
strength.  Running a few hundred expressions on every line would
dominate the run time, so each expression is indexed under the literal words
it cannot match without (its *stems*); a line only runs the expressions whose
stem begins one of its tokens.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ._data import DATA, data_rows

WORD = re.compile(r"[^\W_]+", re.U)
# Chinese and Japanese are written without spaces: their cues match inside
# a run of characters, so they get no word boundaries and are found by a
# substring test instead of the token-prefix index.
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Cue:
    lang: str
    kind: str
    strength: str       # "A" anywhere, "S" UI phrase, "W" UI word, "L" label (whole line only)
    pattern: str
    regex: re.Pattern


@dataclass(frozen=True)
class CueMatch:
    cue: Cue
    start: int
    end: int


def _table_rows(name: str) -> list[tuple[str, ...]]:
    """Rows of ``data/NAME``, or of every ``*.tsv`` in it if it is a folder."""
    path = DATA / name
    if path.is_dir():
        return [r for f in sorted(path.glob("*.tsv")) for r in data_rows(f"{name}/{f.name}", 4)]
    return list(data_rows(name, 4))


class CueTable:
    """Cues of one data file or folder, queried per language set."""

    def __init__(self, name: str):
        self.cues: list[Cue] = []
        self._stems: dict[str, list[int]] = {}   # stem -> cue indices
        self._always: list[int] = []             # cues without a usable stem
        self._cjk: list[tuple[tuple[str, ...], int]] = []   # (substrings, index) of CJK cues
        for lang, kind, strength, pattern in _table_rows(name):
            if strength not in ("A", "S", "W", "L"):
                raise ValueError(f"{name}: strength must be A, S, W or L, got {strength!r} ({pattern})")
            body = pattern
            cjk = CJK.search(pattern) is not None
            if re.match(r"[\w(]", pattern) and not cjk:
                body = r"(?<![^\W_])" + body
            if re.search(r"[\w)?]$", pattern) and not cjk:
                body = body + r"(?![^\W_])"
            idx = len(self.cues)
            try:
                regex = re.compile(body, re.I)
            except re.error as e:
                raise ValueError(f"{name}: bad pattern {pattern!r}: {e}") from None
            self.cues.append(Cue(lang, kind, strength, pattern, regex))
            stems = required_stems(pattern)
            if cjk:
                self._cjk.append((tuple(stems or ()), idx))
            elif stems:
                for s in stems:
                    self._stems.setdefault(s, []).append(idx)
            else:
                self._always.append(idx)
        self._stem_lengths = sorted({len(s) for s in self._stems})
        self._anywhere: dict[frozenset[str] | None, tuple[list[Cue], tuple[str, ...]]] = {}

    def anywhere(self, line: str, langs: frozenset[str] | None) -> list[CueMatch]:
        """Matches of the strength-A cues only, with one combined search
        (what long lines need: only A cues count there)."""
        if langs not in self._anywhere:
            cues = [c for c in self.cues if c.strength == "A" and (langs is None or c.lang in langs or c.lang == "*")]
            # Substrings one of which each cue needs: a cheap test that
            # spares the regular expressions on almost every line.
            needles: set[str] = set()
            for c in cues:
                stems = required_stems(c.pattern)
                if stems:
                    needles |= stems
                else:
                    needles |= {"©", "(c)"} if "©" in c.pattern else {""}
            self._anywhere[langs] = (cues, tuple(sorted(needles)))
        cues, needles = self._anywhere[langs]
        low = line.lower()
        if not any(n in low for n in needles):
            return []
        return [CueMatch(c, m.start(), m.end()) for c in cues for m in c.regex.finditer(line)]

    def candidates(self, tokens: list[str], langs: frozenset[str] | None) -> list[Cue]:
        """Cues that may match a line made of ``tokens`` (lower case)."""
        hit: set[int] = set(self._always)
        stems = self._stems
        lengths = self._stem_lengths
        for t in tokens:
            for k in lengths:
                if k > len(t):
                    break
                ids = stems.get(t[:k])
                if ids:
                    hit.update(ids)
        cues = self.cues
        return [cues[i] for i in sorted(hit)
                if langs is None or cues[i].lang == "*" or cues[i].lang in langs]

    def matches(self, line: str, tokens: list[str], langs: frozenset[str] | None,
                strengths: str = "ASW") -> list[CueMatch]:
        out = []
        cues = self.candidates(tokens, langs)
        if self._cjk and CJK.search(line):
            cues += [self.cues[i] for needles, i in self._cjk
                     if (not needles or any(n in line for n in needles))
                     and (langs is None or self.cues[i].lang in langs or self.cues[i].lang == "*")]
        for cue in cues:
            if cue.strength not in strengths:
                continue
            for m in cue.regex.finditer(line):
                if m.end() > m.start():
                    out.append(CueMatch(cue, m.start(), m.end()))
        return out


@lru_cache(maxsize=None)
def cue_table(name: str) -> CueTable:
    return CueTable(name)


# -- stems -------------------------------------------------------------------
def required_stems(pattern: str) -> set[str] | None:
    """Literal stems one of which any match must contain as a token prefix,
    or ``None`` when that cannot be told from the pattern.  Among the
    elements that must match at the start of a token, the one with the
    longest (so rarest) stems is used."""
    best: set[str] | None = None
    for kind, body, optional, boundary in _elements(pattern):
        if optional or not boundary:
            continue
        stems: set[str] | None = None
        if kind == "lit":
            stem = _stem(body)
            stems = {stem} if stem else None
        elif kind == "group":
            alts = [required_stems(a) for a in _alternatives(body)]
            if alts and all(alts):
                stems = set().union(*alts)  # type: ignore[arg-type]
        if stems and (best is None or min(map(len, stems)) > min(map(len, best))):
            best = stems
    return best


def _stem(lit: str) -> str | None:
    """The leading literal word of an element (``comments?`` -> ``comment``)."""
    lit = lit.lstrip("^")
    m = re.match(r"[^\W_]+", lit)
    if m is None:
        return lit[0] if lit[:1] == "©" else None
    word = m.group(0)
    rest = lit[m.end():]
    if rest.startswith(("?", "*")):   # last letter optional
        word = word[:-1]
    return word.lower() if len(word) >= 2 else None


def _elements(p: str):
    """Top-level elements of a pattern: ``("group", body, optional, boundary)``
    or ``("lit", text, False, boundary)`` where a literal runs to the next
    space, group or top-level ``|`` (character classes and escapes stay inside
    it) and ``boundary`` tells whether the element starts a word (after a
    space, at the start, or after an optional group ending with a space)."""
    i, n = 0, len(p)
    boundary = True
    while i < n:
        c = p[i]
        if c == " ":
            boundary = True
            i += 1
        elif c == "(":
            depth, j = 0, i
            while j < n:
                if p[j] == "\\":
                    j += 2
                    continue
                if p[j] == "(":
                    depth += 1
                elif p[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            body = p[i + 1:j]
            if body.startswith("?:"):
                body = body[2:]
            j += 1
            opt = j < n and p[j] in "?*"
            yield "group", body, opt, boundary
            # After an optional "(the )?" the next element starts a word only
            # if every alternative of the group ends with a space.
            boundary = boundary and opt and all(a.endswith(" ") for a in _alternatives_raw(body))
            i = j + (1 if opt else 0)
        elif c == "|":
            return  # a top-level alternative: give up (no common stem)
        else:
            j = i
            while j < n and p[j] not in " (|":
                if p[j] == "\\":
                    j += 2
                elif p[j] == "[":
                    k = p.find("]", j + 1)
                    j = k + 1 if k > 0 else n
                else:
                    j += 1
            yield "lit", p[i:j], False, boundary
            boundary = False
            i = j


def _alternatives_raw(body: str) -> list[str]:
    return [a for a in _split_alternatives(body)]


def _alternatives(body: str) -> list[str]:
    return [a.strip() for a in _split_alternatives(body)]


def _split_alternatives(body: str) -> list[str]:
    parts, depth, cur, i = [], 0, "", 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            cur += body[i:i + 2]
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    parts.append(cur)
    return parts
