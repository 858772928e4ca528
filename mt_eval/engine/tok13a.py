"""sacrebleu's ``13a`` tokenizer (BLEU's default) for a chunk of lines at
once, token for token identical and several times faster.

sacrebleu pads a line (``' ' + line + ' '``) and runs four regexes over it:
(1) a space around every character of a class that contains the space
itself; (2)-(4) spaces around periods, commas and dashes depending on their
neighbours (digits or not).  Python 3.11 expands their ``r' \\1 '``
templates in Python code once per match, and (1) matches every space: that
is most of BLEU's time.

**Why a line can be tokenized word by word.**  Cut the line at its spaces
(U+0020 only): ``w1 ' ' w2 ' ' ... wk``.  Regex (1) turns each of those
spaces into three, so after it the padded line is ``'   ' r1(w1) '   '
r1(w2) ... '   '``.  Consider the cuts between two adjacent spaces.
Regexes (2)-(4) match two characters, one of which is a period, comma or
dash (and the other a non-digit or a digit), so none can match a pair of
spaces: no match spans such a cut, and matching left to right over the
line finds exactly the matches found piece by piece.  A substitution keeps
a piece's first and last spaces at its ends (``' .'`` -> ``'  . '``,
``'. '`` -> ``' .  '``), so the cuts stay safe through (2)-(4).  Hence the
tokens of the line are the tokens of ``' ' + wi + ' '`` for each word in
turn, each computed by sacrebleu's own regexes; extra spaces only add empty
pieces.  A word with no character of class (1), no ``.,-`` and no
whitespace is its own single token (no regex can match in ``' ' + w + '
'``).

So each distinct word is tokenized once per chunk (by sacrebleu's
``TokenizerRegexp`` unless it is plain), and the chunk's tokens are
assembled with C-level ``split``/``map``/``chain``.  The replacements that
precede the regexes (``<skipped>``, ``-\\n``, ``\\n``, HTML entities),
BLEU's ``lower()`` and ``rstrip()`` are sacrebleu's string operations.

Fallbacks to sacrebleu's tokenizer, line by line: a line holding ``'\\n'``
(13a rewrites it, merging text across the cut), and any sacrebleu whose
13a regexes differ from the ones this reasoning covers (checked at import).
"""
from __future__ import annotations

import re
from itertools import chain, repeat
from typing import Sequence

import numpy as np

from .ngrams import Lexicon, dense

# sacrebleu 2.x TokenizerRegexp: (pattern, template), in order.
_EXPECTED = (
    (r'([\{-\~\[-\` -\&\(-\+\:-\@\/])', r' \1 '),
    (r'([^0-9])([\.,])', r'\1 \2 '),
    (r'([\.,])([^0-9])', r' \1 \2'),
    (r'([0-9])(-)', r'\1 \2 '),
)
# Characters a regex can act on: class (1) and the periods, commas and
# dashes of (2)-(4).  A word with none of them and no whitespace is one token.
_ACTIVE = re.compile(r'[\{-\~\[-\` -\&\(-\+\:-\@\/\.,\-]')
_ENTITIES = (("&quot;", '"'), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"))


def _sacrebleu_regexp():
    """sacrebleu's ``TokenizerRegexp``, or ``None`` when its regexes are not
    the ones reproduced here."""
    try:
        from sacrebleu.tokenizers.tokenizer_re import TokenizerRegexp
    except ImportError:  # pragma: no cover - sacrebleu is a core dependency
        return None
    tok = TokenizerRegexp()
    got = tuple((rx.pattern, template) for rx, template in tok._re)
    # re.UNICODE (32) is the default flag of every str pattern
    if got != _EXPECTED or any(rx.flags != re.UNICODE for rx, _ in tok._re):
        return None
    return tok


_REGEXP = _sacrebleu_regexp()


def supports(tokenizer) -> bool:
    """Whether ``tokenizer`` is sacrebleu's 13a, reproduced by this module."""
    if _REGEXP is None:
        return False
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    return type(tokenizer) is Tokenizer13a


def _padding_table() -> dict[int, str]:
    """Regex (1) puts a space on each side of every character of its class,
    one character per match: a translation table does exactly that, in C
    (Python expands the regex's template once per match).  The class is
    ASCII only (the tests check every code point)."""
    if _REGEXP is None:
        return {}
    rx1 = _REGEXP._re[0][0]
    return {cp: f" {chr(cp)} " for cp in range(128) if rx1.fullmatch(chr(cp))}


_PAD = _padding_table()


# A word matching neither is one token: no regex acts on it and ``split``
# keeps it whole (``\s`` is ``str.split``'s whitespace; the tests check it).
_ACTIVE_OR_SPACE = re.compile(_ACTIVE.pattern + r'|\s')


def _word_tokens(word: str) -> list[str]:
    """sacrebleu's ``TokenizerRegexp()(" " + word + " ").split()``."""
    if word and _ACTIVE_OR_SPACE.search(word) is None:
        return [word]
    # the padding spaces are in regex (1)'s class: each becomes three
    text = "   " + word.translate(_PAD) + "   "
    # regexes (2) and (3) act only next to a period or comma, (4) next to a dash
    if "." in word or "," in word:
        rx, template = _REGEXP._re[1]
        text = rx.sub(template, text)
        rx, template = _REGEXP._re[2]
        text = rx.sub(template, text)
    if "-" in word:
        rx, template = _REGEXP._re[3]
        text = rx.sub(template, text)
    return text.split()


_LEXICON = Lexicon(_word_tokens)


def _prepare(lines: Sequence[str], lowercase: bool) -> list[str]:
    """BLEU's ``lower()`` (optional) and ``rstrip()`` before 13a."""
    if lowercase:
        lines = map(str.lower, lines)
    return list(map(str.rstrip, lines))


def token_ids_13a(lines: Sequence[str], lowercase: bool = False) -> tuple[np.ndarray, np.ndarray, int]:
    """``(ids, lengths, vocab)``: the 13a tokens of every line as ids
    (1..vocab; equal ids iff equal tokens) end to end, and the number of
    tokens of each line, as BLEU's ``_preprocess_segment(line).split()``."""
    seqs = dense(*_token_ids(lines, lowercase)[:2])
    return seqs.ids, seqs.lengths, seqs.vocab


def tokenize_13a(lines: Sequence[str], lowercase: bool = False) -> list[list[str]]:
    """``[BLEU._preprocess_segment(line).split() for line in lines]`` with
    the 13a tokenizer, as strings (for tests and callers that want them)."""
    ids, lengths, names = _token_ids(lines, lowercase)
    tokens = [names[i] for i in ids.tolist()]
    ends = np.cumsum(lengths).tolist()
    return [tokens[e - n:e] for e, n in zip(ends, lengths.tolist())]


def _token_ids(lines: Sequence[str], lowercase: bool) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Token ids (``names[id]`` is the token) and tokens per line."""
    if _REGEXP is None:
        raise RuntimeError("sacrebleu's 13a tokenizer is not the one reproduced here")
    lines = _prepare(lines, lowercase)
    if not lines:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [""]
    text = " ".join(lines)
    if "\n" in text:
        from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
        tok = Tokenizer13a()
        token_lists = [tok(line).split() for line in lines]
        vocab: dict[str, int] = {}
        flat = [vocab.setdefault(t, len(vocab) + 1) for t in chain.from_iterable(token_lists)]
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        return np.array(flat, dtype=np.int64), lengths, [""] + list(vocab)
    # Neither pattern holds a space or a newline and removing one creates
    # neither: over the joined text they replace what they replace line by
    # line, and every line keeps its spaces (so its word count).
    if "<skipped>" in text:
        text = text.replace("<skipped>", "")
    if "&" in text:
        for entity, char in _ENTITIES:
            text = text.replace(entity, char)
    words_per_line = np.fromiter(map(str.count, lines, repeat(" ")), dtype=np.int64, count=len(lines)) + 1
    ids, lengths = _LEXICON.token_ids_of(text.split(" "), words_per_line)
    return ids, lengths, _LEXICON.names
