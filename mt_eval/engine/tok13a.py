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


class _Lexicon(dict):
    """word -> ids of its tokens, tokenized on first sight; token ids are
    process-wide (``names[id]`` is the token).  Words recur far more than
    lines, so the chunks a process handles share it; :meth:`fresh` empties
    it between chunks (never during one: equal tokens must keep equal ids)
    once it is big, so memory stays bounded."""

    limit = 1 << 18

    def __init__(self):
        super().__init__()
        self.token_ids: dict[str, int] = {}
        self.names: list[str] = [""]

    def __missing__(self, word: str) -> tuple[int, ...]:
        if _ACTIVE.search(word) is None and word.split() == [word]:
            tokens = [word]
        else:
            tokens = _REGEXP(" " + word + " ").split()
        ids = []
        for t in tokens:
            i = self.token_ids.get(t)
            if i is None:
                i = self.token_ids[t] = len(self.names)
                self.names.append(t)
            ids.append(i)
        self[word] = result = tuple(ids)
        return result

    def fresh(self) -> "_Lexicon":
        if len(self) > self.limit or len(self.names) > self.limit:
            self.clear()
            self.token_ids.clear()
            del self.names[1:]
        return self


_LEXICON = _Lexicon()


def _prepare(lines: Sequence[str], lowercase: bool) -> list[str]:
    """BLEU's ``lower()`` (optional) and ``rstrip()`` before 13a."""
    if lowercase:
        lines = map(str.lower, lines)
    return list(map(str.rstrip, lines))


def token_ids_13a(lines: Sequence[str], lowercase: bool = False) -> tuple[np.ndarray, np.ndarray, int]:
    """``(ids, lengths, vocab)``: the 13a tokens of every line as ids
    (1..vocab; equal ids iff equal tokens) end to end, and the number of
    tokens of each line, as BLEU's ``_preprocess_segment(line).split()``."""
    ids, lengths, _ = _token_ids(lines, lowercase)
    if len(ids) == 0:
        return ids, lengths, 0
    present = np.zeros(int(ids.max()) + 1, dtype=bool)
    present[ids] = True
    rank = np.cumsum(present, dtype=np.int64)
    return rank[ids], lengths, int(rank[-1])


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
    lexicon = _LEXICON.fresh()
    per_word = list(map(lexicon.__getitem__, text.split(" ")))
    ids = np.fromiter(chain.from_iterable(per_word), dtype=np.int64)
    word_tokens = np.fromiter(map(len, per_word), dtype=np.int64, count=len(per_word))
    words_per_line = np.fromiter(map(str.count, lines, repeat(" ")), dtype=np.int64, count=len(lines)) + 1
    lengths = np.add.reduceat(word_tokens, np.cumsum(words_per_line) - words_per_line)
    return ids, lengths, lexicon.names
