"""The chunk-wide 13a tokenizer gives sacrebleu's tokens exactly.

Its argument (see ``mt_eval.engine.tok13a``) rests on three facts checked
here on every code point: which characters the first regex pads, that the
"plain word" test covers every character any regex can act on, and that no
regex matches two spaces.  The whole pipeline is then compared with
sacrebleu on every distinct line of WMT14 (both directions, references,
sources and all systems) and on generated text full of the characters the
regexes care about.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from sacrebleu.metrics import BLEU
from sacrebleu.tokenizers.tokenizer_re import TokenizerRegexp

from mt_eval.engine import tok13a
from mt_eval.engine.tok13a import token_ids_13a, tokenize_13a

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wmt14-newstest-fr-en"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/wmt14-newstest-fr-en")
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"WMT14 data not found at {DATA}")

_RE = [rx for rx, _ in TokenizerRegexp()._re]


def _sacrebleu(lines, lowercase=False):
    bleu = BLEU(lowercase=lowercase)
    return [bleu._preprocess_segment(line).split() for line in lines]


def test_sacrebleu_13a_is_the_one_reproduced():
    assert tok13a._REGEXP is not None
    assert tok13a.supports(BLEU().tokenizer)
    assert not tok13a.supports(BLEU(tokenize="intl").tokenizer)


def test_facts_on_every_code_point():
    rx1 = _RE[0]
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        acted_on = rx1.fullmatch(c) is not None or c in ".,-"
        # the plain-word test sees every character a regex can act on
        assert (tok13a._ACTIVE.fullmatch(c) is not None) == acted_on, hex(cp)
        # ... and the whitespace test is str.split's
        assert (tok13a._ACTIVE_OR_SPACE.fullmatch(c) is not None) == (acted_on or c.split() == []), hex(cp)
    # regex 1 pads only ASCII punctuation and the space
    assert all(rx1.fullmatch(chr(cp)) is None for cp in range(128, sys.maxunicode + 1, 97))
    for rx in _RE[1:]:  # a cut between two spaces is never inside a match
        assert rx.search("  ") is None
    # regex 1 = the padding table (single-character matches, ASCII only per the loop above)
    padded = {cp for cp in range(128) if rx1.fullmatch(chr(cp))}
    assert set(tok13a._PAD) == padded
    assert all(tok13a._PAD[cp] == rx1.sub(r" \1 ", chr(cp)) for cp in padded)


@needs_data
def test_every_wmt14_line_identical():
    files = sorted(DATA.glob("*/systems/*")) + sorted(DATA.glob("*/newstest2014-fren-*"))
    lines = list(dict.fromkeys(line for f in files for line in f.read_text(encoding="utf-8").split("\n")))
    assert len(lines) > 60000
    assert tokenize_13a(lines) == _sacrebleu(lines)
    some = lines[::20]
    assert tokenize_13a(some, lowercase=True) == _sacrebleu(some, lowercase=True)


_special = list("{|}~[\\]^_` !\"#$%&()*+:;<=>?@/.,-'") + ["&quot;", "&amp;", "&lt;", "&gt;", "<skipped>", "-\n"]
_other = ["a", "Z", "0", "7", "9", "é", "İ", "Σ", "ß", "ǅ", "\u0301", "中", "😀", "\t", "\n", "\r", "\x0b", "\x0c",
          "\x1c", "\x85", "\xa0", "\u2003", "\u2028", "\u3000", "\ud800", "\uff0c", "٣"]
_piece = st.sampled_from(_special + _other) | st.text(max_size=3)
_line = st.lists(_piece, max_size=30).map("".join)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_line, max_size=12), lowercase=st.booleans())
def test_generated_text_identical(lines, lowercase):
    assert tokenize_13a(lines, lowercase) == _sacrebleu(lines, lowercase)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(_line.filter(lambda s: "\n" not in s), min_size=1, max_size=12))
def test_ids_equal_iff_tokens_equal(lines):
    ids, lengths, vocab = token_ids_13a(lines)
    tokens = [t for toks in _sacrebleu(lines) for t in toks]
    assert lengths.tolist() == [len(t) for t in _sacrebleu(lines)]
    assert len(ids) == len(tokens) and (len(ids) == 0 or (ids.min() >= 1 and ids.max() == vocab))
    pairs = dict(zip(tokens, ids.tolist()))
    assert len(set(pairs.values())) == len(pairs)           # distinct tokens, distinct ids
    assert [pairs[t] for t in tokens] == ids.tolist()        # equal tokens, equal ids


def test_lexicon_is_emptied_between_chunks_only(monkeypatch):
    monkeypatch.setattr(tok13a._LEXICON, "limit", 5)
    chunks = [["a b c d e f g, h.", "i j k l m n o p"], ["q r s t u v (w) x", "y z a b c"], ["a a a", ""]]
    for lines in chunks:
        assert tokenize_13a(lines) == _sacrebleu(lines)
    assert len(tok13a._LEXICON) <= 20
