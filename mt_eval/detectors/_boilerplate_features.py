"""The features of one line that the boilerplate score adds up (BP001/BP002).

Every feature is a named, documented signal worth a weight read from
``data/boilerplate_weights.tsv``; a line's score is the sum of the weights of
the features it has.  Features come in four families:

* **cues**: interface phrases of the phrase tables (``data/boilerplate/``),
  graded by how much of the line they cover;
* **vocabulary**: words naming the site and its parts, interface verbs;
* **shape**: length, sentence punctuation, capitalisation profile, digits,
  dates and times, separators, links, counters, labels, credits;
* **context**: recurrence across the documents of a corpus or feed, and the
  head and tail blocks of a document.

The functions here know nothing of documents: :func:`line_features` gets the
context as arguments.  ``bench/fit_boilerplate.py`` computes the same
features to fit the weights on the development half of the trafilatura
pages.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from ._cues import WORD, cue_table
from ._data import data_rows
from ._langid import profiles, word_languages

# Languages with their own phrase and vocabulary tables.
LANGS = frozenset({"en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "zh", "ja"})
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
SENT_END = re.compile(r"[.!?…。！？]['\"’”»)\]」』]*\s*$")
# Bounded repetitions: an unbounded "[\w-]+\." backtracks quadratically on a
# 100 kB word without a dot.
URLISH = re.compile(r"https?://|www\.|\b[\w-]{1,63}\.(?:com|org|net|fr|de|es|it|pl|nl|pt|br|ru|ch|at|be|"
                    r"eu|uk|info|io|co|tv|me)\b(?:/\S{0,200})?", re.I)
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}")
# A social-media handle or hashtag ("@afpfr", "#Kidal").
HANDLE = re.compile(r"(?<![\w@])[@#][^\W\d_][\w.]{1,30}")
PHONE = re.compile(r"^\W*(?:tel\.?|phone|tél\.?|fax)?[:\s]*\+?[\d()][\d\s()./-]{6,}\d\W*$", re.I)
# A telephone or fax number inside a short line (contact blocks, footers).
CONTACT = re.compile(r"\b(?:tel|tél|phone|fon|fax|mobil|hotline)\b\.?:?\s*\+?\d|"
                     r"\+\d{1,3}[\s./-]?\(?\d{2,5}\)?[\s./-]?\d{3,}", re.I)
# Menu and breadcrumb separators ("Home › World › Africa", "News | Sport").
SEPARATORS = re.compile(r"\s[|›>/·•]\s|\s[-–—]\s\S+\s[-–—]\s|\S\s?[|•·]\s?\S")
# "Read more »", "Next ›", "← Previous": an arrow or chevron at either end
# of a line (not a French closing quote, which has its opening one).
ARROW = re.compile(r"^\s*(?:[←‹«<]|&lt;)\s*\S|\S\s*(?:[→›»>]|&gt;)\s*$")
# A byline: "By Jane Smith", "Von Max Mustermann", "Par Jean Dupont | AFP".
BYLINE = re.compile(
    r"^\W*(?:[Bb]y|[Ff]rom|[Vv]on|[Pp]ar|[Pp]or|di|[Dd]oor|[Oo]d|de)\s+[A-ZÀ-ÝĄĆĘŁŃÓŚŹŻ][\w'’.-]+"
    r"(?:\s+(?:[A-ZÀ-ÝĄĆĘŁŃÓŚŹŻ][\w'’.-]+|von|van|de|der|den|da|del|di|du|le|la|und|and|et|y|e))*\s*"
    r"(?:[,|/–—-]\s*[\w .&'’-]{2,40})?\W*$")
# "[…]" or "[...]": the excerpt mark of CMS teasers.
EXCERPT = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|(?:…|\.\.\.)\s*$")
# A counter: a number and one or two words ("12 comments", "3 Kommentare",
# "1.234 views") or a word and a number in brackets ("Comments (12)").
COUNTER = re.compile(r"^\W*\d[\d.,]*\s*[kKmM]?\s+[^\W\d_]+(?:\s+[^\W\d_]+)?\W*$|^\W*[^\W\d_]+(?:\s+[^\W\d_]+)?\s*[(\[]\d+[)\]]\W*$")
# A credit in its usual shapes: "AFP/John Smith", "Foto: dpa", "(Photo: X)".
SLASH_CREDIT = re.compile(r"^\W*[A-ZÀ-Ý][\w.&-]*(?:\s[A-ZÀ-Ý][\w.&-]*)?\s?/\s?[A-ZÀ-Ý][\w.&-]*(?:\s[A-ZÀ-Ý][\w.&-]*){0,2}\W*$")
BRACKETED = re.compile(r"^\s*[(\[].*[)\]]\s*$")
MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
          "august|september|october|november|december|janv|févr|mars|avr|mai|juin|juil|août|déc|"
          "janvier|février|avril|juillet|septembre|octobre|novembre|décembre|januar|jänner|februar|märz|"
          "juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
          "octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|"
          "dicembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
          "januari|februari|maart|mei|augustus|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|"
          "sierpnia|września|października|listopada|grudnia|styczeń|luty|marzec|kwiecień|maj|czerwiec|"
          "lipiec|sierpień|wrzesień|październik|listopad|grudzień|января|февраля|марта|апреля|мая|"
          "июня|июля|августа|сентября|октября|ноября|декабря")
WEEKDAYS = ("mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|lun|mar|"
            "mer|jeu|ven|sam|dim|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|mo|di|mi|do|fr|sa|so|"
            "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|"
            "viernes|sábado|domingo")
TIME = r"\d{1,2}[:h.]\d{2}(?:\s*(?:[ap]\.?m\.?|uhr|h))?"
DATE = (rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}[./-]\d{{1,2}}[./-]\d{{1,2}}|"
        rf"\d{{1,2}}\.?\s+(?:de\s+)?(?:{MONTHS})\.?(?:,?\s+(?:de\s+)?\d{{4}})?|"
        rf"(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?|\d{{4}}年\d{{1,2}}月\d{{1,2}}日)")
# A line that is only a date and/or a time, maybe with a weekday ("Tuesday,
# 14 November 2023, 12:30"), an archive entry ("January 2020") or a time.
DATE_LINE = re.compile(
    rf"^\W*(?:(?:{WEEKDAYS})\.?,?\s*)?{DATE}(?:\s*(?:,|à|at|um|-|–|\|)?\s*{TIME})?\W*$"
    rf"|^\W*(?:{MONTHS})\.?\s+\d{{4}}\W*$|^\W*{TIME}\W*$", re.I)
# A date or a time inside a short line ("Posted on 14 Nov 2023 by Jane").
HAS_DATE = re.compile(rf"(?<!\w){DATE}(?!\w)|(?<![\w:.]){TIME}(?![\w:])", re.I)
YEAR_SPAN = re.compile(r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)?\d{2}\b")


# Every feature and what it means (the weights file says what it is worth).
FEATURES = {
    "bias": "constant",
    "cue_anywhere": "an unambiguous interface phrase (legal footer, paywall, cookie notice), even in a sentence",
    "cue_phrase_whole": "an interface phrase makes up most of the line, or opens it as a label (\"Read also: …\")",
    "cue_word_whole": "an interface word makes up most of an unpunctuated line (\"Newsletter\", \"Cookies\")",
    "cue_label": "a menu label that is also a common word makes up the line (\"Contact\", \"Events\", \"Team\")",
    "cue_phrase_part": "an interface phrase inside a longer line",
    "cue_phrase_part_long": "... and the line has more than 8 words",
    "cue_word_part": "an interface word inside an unpunctuated line of at most 8 words",
    "len_1": "one word", "len_2_3": "2-3 words", "len_4_8": "4-8 words", "len_9_14": "9-14 words",
    "len_15_25": "15-25 words", "len_26_plus": "more than 25 words",
    "sentence_end": "ends with sentence punctuation",
    "starts_lower": "starts with a lower-case letter (a fragment of running text)",
    "prose": "6+ words, 40% or more of them function words (running text)",
    "no_function_word": "4+ words and not one function word (a list, a label, a name)",
    "label_colon": "a short label ending with a colon (\"Tags:\")",
    "all_caps": "a short line in capitals",
    "label_shape": "1-3 capitalised words, no function word, no digit or punctuation (menu entry, section, name)",
    "title_case": "4-14 words, every content word capitalised, no sentence punctuation",
    "short_question": "a question of at most 5 words (\"Already read?\")",
    "full_sentence": "2+ words with a function word, a capital first and sentence punctuation last",
    "site_words": "two or more words naming the site and its parts (newsletter, comment, account…)",
    "site_words_sentence": "... in a line with sentence punctuation",
    "site_word_short": "one such word in an unpunctuated line of at most 8 words",
    "call_to_action": "an interface verb first (or last in German/Dutch) and a site word",
    "imperative": "an interface verb first (or last in German/Dutch) in a line of at most 6 words",
    "link": "a URL or e-mail address in a line of at most 12 words",
    "handle": "a social-media handle or hashtag in a line of at most 12 words",
    "separators": "menu or breadcrumb separators (| › · •) in an unpunctuated line",
    "arrow": "an arrow or chevron at either end (\"Read more »\", \"‹ Previous\")",
    "date_line": "only a date and/or time, or a telephone number",
    "address": "a postal address (street and number, postcode and town, post-office box)",
    "reader_address": "a word addressing the reader (you, your, Sie, vous…) in a line of at most 20 words",
    "site_voice": "... and a word by which the site speaks (we, our, wir, nous…)",
    "contact": "a telephone or fax number in a short line",
    "has_date": "a date or time in a short line",
    "counter": "a number and a word or two, or a word and a number in brackets (\"12 comments\")",
    "digits": "other digits in a short line",
    "slash_credit": "the shape of a credit \"Agency/Name\"",
    "company": "a short line ending with a company's legal form (GmbH, Ltd, S.A.): an imprint or footer",
    "byline": "the shape of a byline (\"By Jane Smith\", \"Von Max Mustermann | dpa\")",
    "bracketed": "a short line wholly in brackets (\"(Photo: AFP)\")",
    "marks": "a ©, ®, ™ or rating star sign, or a span of years",
    "excerpt": "ends with an ellipsis or holds \"[…]\" (teasers of other posts)",
    "edge": "in the head or tail block of its document, without sentence punctuation",
    "edge_sentence": "in the head or tail block of its document, a sentence",
    "edge_block": "in a head or tail block of two or more unpunctuated lines (a menu, a tag list)",
    "recurs": "the line occurs in 2 or more documents of the corpus (of 3 or more)",
    "recurs_3_plus": "... in 3 or more documents",
    "recurs_long": "a recurring line of more than 8 words",
}


@lru_cache(maxsize=1)
def weights() -> tuple[dict[str, float], float]:
    """``({feature: weight}, threshold)`` from the data file."""
    w, threshold = {}, None
    for name, value, source, _ in data_rows("boilerplate_weights.tsv", 4):
        if name == "threshold":
            threshold = float(value)
            continue
        if name not in FEATURES or source not in ("fit", "hand"):
            raise ValueError(f"boilerplate_weights.tsv: unknown feature or source: {name} {source}")
        w[name] = float(value)
    if threshold is None:
        raise ValueError("boilerplate_weights.tsv: no threshold row")
    return w, threshold


def base_lang(lang: str | None) -> str | None:
    # a missing language read from a table may be NaN rather than None
    base = lang.split("-")[0].split("_")[0].lower() if isinstance(lang, str) and lang else None
    return base if base in LANGS else None


def cue_langs(lang: str | None) -> frozenset[str] | None:
    """Cue languages for a text in ``lang``: its own and English, whose
    interface words ("Share", "Newsletter", "Login") sites in every language
    leave untranslated; every table when the language is unknown or has no
    table of its own."""
    base = base_lang(lang)
    return frozenset({base, "en"}) if base else None


@lru_cache(maxsize=None)
def _reader_words(langs: frozenset[str] | None) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """``{person: (lower-case words, capitalised-only words)}``."""
    out: dict[str, tuple[set[str], set[str]]] = {"you": (set(), set()), "we": (set(), set())}
    for lang, person, words in data_rows("reader_words.tsv", 3):
        if langs is None or lang in langs:
            for w in words.split():
                out[person][1 if w[:1].isupper() else 0].add(w if w[:1].isupper() else w.lower())
    return {k: (frozenset(a), frozenset(b)) for k, (a, b) in out.items()}


def _speaks(words: list[str], low_words: list[str], person: str, langs: frozenset[str] | None) -> bool:
    low, caps = _reader_words(langs)[person]
    if any(w in low for w in low_words):
        return True
    return bool(caps) and any(w in caps for w in words[1:])


@lru_cache(maxsize=1)
def _address_regex() -> re.Pattern:
    """Postal addresses: a street word with a number, a postcode with a town,
    a post-office box (street words: ``data/address_words.tsv``)."""
    suffixes, words = [], []
    for _, kind, items in data_rows("address_words.tsv", 3):
        for w in items.split() if kind == "street" else ():
            (suffixes if w.startswith("-") else words).append(re.escape(w.lstrip("-")))
    suf = "(?i:" + "|".join(sorted(suffixes, key=len, reverse=True)) + r")(?!\w)"
    wrd = "(?i:" + "|".join(sorted(words, key=len, reverse=True)) + r")(?!\w)"
    box = r"(?i:postfach|postbus|apartado|p\.\s?o\.\s?box|bp|cp)"
    return re.compile(
        rf"[^\W\d_]+{suf}\s*\d+\s?[a-z]?\b"                           # Hauptstraße 12
        rf"|(?<!\w)\d+\s?[a-z]?,?\s+{wrd}"                              # 12 rue ..., 12, avenue
        rf"|(?<!\w)\d+[A-Za-z]?\s+(?:[A-Z][\w'-]+\s+){{1,3}}{wrd}"       # 221B Baker Street
        rf"|(?<!\w){wrd}\s+(?:[A-Z][\w'.-]*\s+){{1,3}}\d+"               # via Roma 12, ul. Długa 5
        rf"|(?<!\w){box}\s*\d+"                                         # Postfach 1234
        r"|(?:^\W*|,\s*)(?:[A-Z]{1,2}[- ])?\d{5}\s+[^\W\d_]{2,}"         # 10117 Berlin, D-10117 Berlin
        r"|^\W*(?:[A-Z]{1,2}[- ])?(?!1[89]\d\d|20\d\d)\d{4}\s+[^\W\d_]{2,}"  # 8003 Zürich (not a year)
        r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")                       # SW1A 1AA


@lru_cache(maxsize=1)
def _company_forms() -> frozenset[str]:
    return frozenset(w for _, kind, items in data_rows("address_words.tsv", 3) if kind == "company"
                     for w in items.split())


@lru_cache(maxsize=1)
def _ui_verbs() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for lang, words in data_rows("ui_verbs.tsv", 2):
        out.setdefault(lang, set()).update(words.split())
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def _verbs_for(langs: frozenset[str] | None) -> frozenset[str]:
    verbs = _ui_verbs()
    return frozenset().union(*(verbs.get(l, ()) for l in (langs or verbs)))


@lru_cache(maxsize=None)
def _ui_words(lang: str | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """(whole words, long stems) of the site-furniture vocabulary for a
    language: a word of five letters or more is also a stem
    ("kommentar" covers "Kommentarfunktion") unless it ends with "$"."""
    rows = data_rows("ui_words.tsv", 2)
    items = {w for l, ws in rows if l == "*" or lang is None or l == lang for w in ws.split()}
    whole = frozenset(w.rstrip("$") for w in items)
    return whole, tuple(sorted(w for w in items if len(w) >= 5 and not w.endswith("$")))


def ui_word_count(low_words: list[str], lang: str | None) -> int:
    """How many distinct site-furniture words a line has."""
    whole, long_stems = _ui_words(base_lang(lang))
    hits = set()
    for w in low_words:
        if w in whole or (w.endswith("s") and w[:-1] in whole):
            hits.add(w.rstrip("s"))
        elif len(w) > 5 and w.startswith(long_stems):
            hits.add(next(s for s in long_stems if w.startswith(s)))
    return len(hits)


def verb_first(low_words: list[str], lang: str | None) -> bool:
    """An interface verb opens the line ("Subscribe …", "Folgen Sie …").
    French "comment" is "how", not a button: a function word of the line's
    own language is never an interface verb."""
    own = base_lang(lang)
    return bool(low_words) and low_words[0] in _verbs_for(cue_langs(lang)) and \
        not (own and own in word_languages(low_words[0]))


def word_count(words: list[str]) -> int:
    """Words of a line; a run of Chinese or Japanese characters (written
    without spaces) counts one word per two characters."""
    n = 0
    for w in words:
        if len(w) > 2 and CJK.match(w):
            n += max(1, len(w) // 2)
        else:
            n += 1
    return n


@lru_cache(maxsize=None)
def _function_words() -> frozenset[str]:
    return frozenset(profiles().words)


def _is_function(word: str) -> bool:
    """A function word of some language (``word`` in lower case); a set
    look-up first, as lines are scored word by word."""
    return word in _function_words() or ("’" in word and bool(word_languages(word)))


def line_features(stripped: str, lang: str | None = None, *, edge: bool = False,
                  edge_block: bool = False, recurrence: int | Callable[[], int] = 0, n_docs: int = 0,
                  cue_kind: list | None = None) -> dict[str, float]:
    """The features of one stripped, non-empty line (see the weights file
    for what each means).  ``recurrence`` is the number of documents of
    the corpus the line occurs in, or a function telling it (called only
    when the corpus is large enough for it to count).  The kind of the
    strongest interface phrase, if any, is appended to ``cue_kind``."""
    f: dict[str, float] = {}
    words = WORD.findall(stripped)
    if not words:
        return f
    n = word_count(words)
    low_words = [w.lower() for w in words]
    langs = cue_langs(lang)
    own = base_lang(lang)
    table = cue_table("boilerplate")
    # Every language's table is searched: the language of a page is often
    # unknown or misidentified, and sites mix languages.  Outside the line's
    # own language (and English and "*"), only phrases of two words or more
    # count: single words are false friends ("contact", "promotion").
    if n > 14:
        # Only strength-A cues count in long lines (speed: the S and W
        # tables are not even run).
        matches = table.anywhere(stripped, None)
    else:
        matches = table.matches(stripped, low_words, None, "ASWL")
    ends_sentence = SENT_END.search(stripped) is not None
    letters = sum(c.isalnum() for c in stripped) if matches else 0
    best, kind = "", None
    rank = {"": 0, "cue_word_part": 1, "cue_label": 2, "cue_phrase_part": 3, "cue_word_whole": 4,
            "cue_phrase_whole": 5, "cue_anywhere": 6}
    for m in matches:
        text = stripped[m.start:m.end]
        covered = sum(c.isalnum() for c in text)
        strength = m.cue.strength
        one_word = len(WORD.findall(text)) < 2 and not CJK.search(text)
        if strength == "L" and covered < 0.6 * letters:
            continue    # a common word ("More", "Home", "Share") is a label only alone
        if langs is not None and m.cue.lang not in langs and m.cue.lang != "*":
            if one_word:
                continue
        elif strength in "WL" and own and m.cue.lang not in (own, "*"):
            # An English interface word in another language's text counts
            # only as the whole line, and never when it is a function word
            # of that language (French "comment" is "how").
            if covered < 0.6 * letters or own in word_languages(text.lower()):
                continue
        # A phrase that opens a line and is followed by a separator is a
        # label ("Read also: ...", "Photo: ..."), as good as the whole line.
        label = m.start <= 1 and re.match(r"\s*[:|–—-]", stripped[m.end:]) is not None
        if strength == "A":
            name = "cue_anywhere"
        elif covered >= 0.6 * letters or (label and strength == "S"):
            name = {"S": "cue_phrase_whole", "W": "cue_word_whole", "L": "cue_label"}[strength]
        elif strength == "S" and not one_word:
            name = "cue_phrase_part"
        else:
            # One interface word inside a longer line, whatever its table.
            name = "cue_word_part"
        if rank[name] > rank[best]:
            best, kind = name, m.cue.kind
    if best in ("cue_word_part", "cue_word_whole", "cue_label") and ends_sentence:
        best = ""   # an interface word in a sentence ("No comment.") says nothing
    elif best == "cue_word_part" and n > 8:
        best = ""   # nor one in a long line
    if best:
        f[best] = 1.0
        if best == "cue_phrase_part" and n > 8:
            f["cue_phrase_part_long"] = 1.0
        if cue_kind is not None:
            cue_kind.append(kind)

    # -- length and punctuation ---------------------------------------------
    if n == 1:
        f["len_1"] = 1.0
    elif n <= 3:
        f["len_2_3"] = 1.0
    elif n <= 8:
        f["len_4_8"] = 1.0
    elif n <= 14:
        f["len_9_14"] = 1.0
    elif n <= 25:
        f["len_15_25"] = 1.0
    else:
        f["len_26_plus"] = 1.0
    # A phrase that is boilerplate anywhere stays so with a full stop ("All
    # rights reserved."), and a whole-line interface phrase with "!" or "?"
    # is a prompt ("Leave a Comment!", "Already a subscriber?"): the
    # sentence signals are not counted.  A whole-line phrase with a full
    # stop is left to them ("No comment." is what a spokesman says).
    interface = best == "cue_anywhere" or (best == "cue_phrase_whole" and stripped.rstrip()[-1:] in "!?")
    if ends_sentence and not interface:
        f["sentence_end"] = 1.0
    first = stripped.lstrip("\"'“‘«„([¡¿*-–—•· ")
    first_alpha = next((c for c in first if c.isalpha()), "")
    if first[:1].isalpha() and first_alpha.islower():
        f["starts_lower"] = 1.0
    func = sum(1 for w in low_words if _is_function(w))
    if n >= 6 and func / n >= 0.4 and not interface:
        f["prose"] = 1.0
    elif n >= 4 and func == 0:
        f["no_function_word"] = 1.0
    if n <= 25:
        if not ends_sentence and stripped.endswith(":") and n <= 5:
            f["label_colon"] = 1.0
        alpha = [w for w in words if w[:1].isalpha() and not CJK.match(w)]
        if alpha and n <= 8 and sum(map(len, alpha)) >= 4 and all(w.isupper() for w in alpha) \
                and not ends_sentence:
            f["all_caps"] = 1.0
        # One to three capitalised words, no function word, no punctuation:
        # a menu entry, section name, label or byline.
        if not ends_sentence and n <= 3 and not any(c.isdigit() for c in stripped) and alpha and \
                len(alpha) == len(words) and all(w[:1].isupper() for w in alpha) and func == 0 and \
                not re.search(r"[,;:()]", stripped):
            f["label_shape"] = 1.0
        # Every content word capitalised (title case, a list of menu entries
        # or a headline in English style).
        elif not ends_sentence and 4 <= n <= 14 and len(alpha) >= 4:
            content = [w for w in alpha if not _is_function(w.lower())]
            if content and all(w[:1].isupper() for w in content) and \
                    sum(1 for w in alpha if w[:1].isupper()) >= 0.7 * len(alpha):
                f["title_case"] = 1.0
        if stripped.endswith("?") and n <= 5:
            f["short_question"] = 1.0
    if ends_sentence and n >= 2 and first_alpha.isupper() and func and not interface:
        # A whole sentence: the shape of running text, not of a fragment.
        f["full_sentence"] = 1.0

    # -- vocabulary ---------------------------------------------------------
    ui = ui_word_count(low_words, lang) if n <= 25 else 0
    if ui >= 2:
        f["site_words_sentence" if ends_sentence else "site_words"] = 1.0
    elif ui == 1 and n <= 8 and not ends_sentence:
        f["site_word_short"] = 1.0
    if n <= 20:
        verbs = _verbs_for(langs)
        first_verb = verb_first(low_words, lang)
        # German and Dutch interface strings put the infinitive last
        # ("Newsletter abonnieren", "Artikel delen").
        last_verb = n >= 2 and low_words[-1] in verbs and low_words[-1].endswith("en") and \
            (langs is None or langs & {"de", "nl"})
        if (first_verb or last_verb) and ui >= 1:
            f["call_to_action"] = 1.0
        elif (first_verb or last_verb) and n <= 6 and not ends_sentence:
            f["imperative"] = 1.0

    # A page talks to its reader ("you") and speaks as the site ("we").
    if n <= 20 and _speaks(words, low_words, "you", langs):
        f["reader_address"] = 1.0
        if n <= 25 and _speaks(words, low_words, "we", langs):
            f["site_voice"] = 1.0

    # -- marks of web pages ---------------------------------------------------
    if n <= 12:
        if URLISH.search(stripped) or EMAIL.search(stripped):
            f["link"] = 1.0
        if HANDLE.search(stripped):
            f["handle"] = 1.0
        if SEPARATORS.search(stripped) and not ends_sentence:
            f["separators"] = 1.0
        if ARROW.search(stripped) and not (stripped.endswith("»") and "«" in stripped):
            f["arrow"] = 1.0
        if DATE_LINE.match(stripped) or PHONE.match(stripped):
            f["date_line"] = 1.0
        else:
            if CONTACT.search(stripped):
                f["contact"] = 1.0
            if HAS_DATE.search(stripped):
                f["has_date"] = 1.0
            if COUNTER.match(stripped):
                f["counter"] = 1.0
            elif any(c.isdigit() for c in stripped):
                f["digits"] = 1.0
        if n <= 10 and any(c.isdigit() for c in stripped) and _address_regex().search(stripped):
            f["address"] = 1.0
        if n <= 8 and stripped.split()[-1].rstrip(",;") in _company_forms():
            f["company"] = 1.0
        if n <= 8 and not ends_sentence and BYLINE.match(stripped):
            f["byline"] = 1.0
        if SLASH_CREDIT.match(stripped):
            f["slash_credit"] = 1.0
        if BRACKETED.match(stripped) and n <= 6:
            f["bracketed"] = 1.0
        if any(c in stripped for c in "©®™★☆") or YEAR_SPAN.search(stripped):
            f["marks"] = 1.0
    if EXCERPT.search(stripped):
        f["excerpt"] = 1.0

    # -- context ---------------------------------------------------------------
    if edge:
        f["edge" if not ends_sentence else "edge_sentence"] = 1.0
        if edge_block:
            f["edge_block"] = 1.0
    if n_docs >= 3:
        if callable(recurrence):
            recurrence = recurrence()
        if recurrence >= 2:
            f["recurs"] = 1.0
            if recurrence >= 3:
                f["recurs_3_plus"] = 1.0
            if n > 8:
                f["recurs_long"] = 1.0
    return f


# Features that say a line belongs to the web page rather than the story.
# Length, capitalisation and punctuation only say a line *could* be
# interface text: headlines and subheadings share that shape.  Where a
# document's line order is known, a line needs one of these to be flagged.
EVIDENCE = frozenset({
    "cue_anywhere", "cue_phrase_whole", "cue_word_whole", "cue_phrase_part",
    "site_words", "site_words_sentence", "site_word_short", "call_to_action", "imperative", "link",
    "handle", "separators", "arrow", "date_line", "contact", "has_date", "counter", "slash_credit", "byline", "company",
    "bracketed", "marks", "excerpt", "recurs", "recurs_3_plus", "edge_block", "address", "site_voice",
})
