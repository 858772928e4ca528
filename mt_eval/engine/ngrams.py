"""Exact n-gram match counting for a chunk of segments, vectorised with numpy.

sacrebleu counts n-grams with one ``Counter`` per segment and order and keeps
every reference table in memory.  Here a chunk of sequences (characters or
words, already mapped to small integer ids) is processed at once: the n-grams
of one order become integer keys, and "how many of each n-gram does this
hypothesis share with that reference" becomes two sorts and a binary search.

Keys are exact, never hashes: an n-gram is packed as ``id_1 .. id_n`` in
``bits`` bits each.  When a packed value would not fit in 63 bits it is first
replaced by its rank among the distinct values (``np.unique``), which keeps
equality exact whatever the vocabulary size or order.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate, chain
from typing import Callable, Iterator, Sequence

import numpy as np

_MAX_BITS = 62  # keys stay non-negative in int64


def bits_for(n: int) -> int:
    """Bits needed for values ``0..n``."""
    return max(1, int(n).bit_length())


@dataclass
class Sequences:
    """Many integer sequences stored end to end.

    ``ids`` holds the symbols (``>= 1``) of all sequences concatenated,
    ``lengths`` the length of each; ``vocab`` is the largest id.
    """
    ids: np.ndarray
    lengths: np.ndarray
    vocab: int

    @property
    def count(self) -> int:
        return len(self.lengths)

    def owners(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.lengths), dtype=np.int64), self.lengths)

    def ends(self) -> np.ndarray:
        return np.repeat(np.cumsum(self.lengths), self.lengths)


def char_sequences(texts: Sequence[str]) -> Sequences:
    """Code points of ``texts`` as dense ids (1..number of distinct chars)."""
    joined = "".join(texts)
    # surrogatepass: a lone surrogate is still one character to Python.
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if len(cps) == 0:
        return Sequences(np.zeros(0, np.int64), lengths, 0)
    present = np.zeros(int(cps.max()) + 1, dtype=bool)
    present[cps] = True
    rank = np.cumsum(present, dtype=np.int64)
    return Sequences(rank[cps], lengths, int(rank[-1]))


def word_sequences(token_lists: Sequence[Sequence[str]]) -> Sequences:
    """Tokens as ids (equal ids iff equal strings) for many token lists."""
    flat = list(chain.from_iterable(token_lists))
    vocab = {w: i for i, w in enumerate(dict.fromkeys(flat), 1)}
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    return Sequences(ids, lengths, len(vocab))


class Lexicon:
    """word -> its number, for tokenizers that split each word on its own
    (so a word is tokenized once, not once per occurrence).

    Word ``w`` has ``counts[w]`` tokens, whose ids are
    ``flat[starts[w]:starts[w] + counts[w]]`` (``names[id]`` is the token);
    a chunk's token ids are then gathered with numpy instead of a Python
    loop over its words.  Ids are shared by every chunk a process handles;
    :meth:`sequences` makes them dense per chunk.  Once big, the lexicon is
    emptied at the start of a chunk, never during one (equal tokens must
    keep equal ids), so memory stays bounded.
    """

    limit = 1 << 18

    def __init__(self, split_word: Callable[[str], Sequence[str]]):
        self.split_word = split_word
        # plain dicts: set.difference against one runs in C over the chunk's words only
        self.numbers: dict[str, int] = {}
        self.token_ids: dict[str, int] = {}
        self.names: list[str] = [""]
        self._flat: list[int] = []
        self._starts: list[int] = []
        self._counts: list[int] = []
        self._arrays = (np.zeros(0, np.int64),) * 3  # flat, starts, counts as numpy

    def __len__(self) -> int:
        return len(self.numbers)

    def add_new(self, words: Sequence[str]) -> None:
        """Number and tokenize the words not seen before, all at once (the
        bookkeeping runs in C-level ``set``/``map``/``dict`` calls, not per
        word).  The order of the new numbers is arbitrary: ids only ever
        need to be equal for equal tokens."""
        new = list(set(words).difference(self.numbers))
        if not new:
            return
        token_lists = list(map(self.split_word, new))
        tokens = list(chain.from_iterable(token_lists))
        ids = self.token_ids
        unseen = list(set(tokens).difference(ids))
        ids.update(zip(unseen, range(len(self.names), len(self.names) + len(unseen))))
        self.names.extend(unseen)
        counts = list(map(len, token_lists))
        base = len(self._flat)
        self._starts.extend(accumulate(counts[:-1], initial=base))
        self._counts.extend(counts)
        self._flat.extend(map(ids.__getitem__, tokens))
        first = len(self.numbers)
        self.numbers.update(zip(new, range(first, first + len(new))))

    def fresh(self) -> "Lexicon":
        if len(self.numbers) > self.limit or len(self.names) > self.limit:
            self.numbers.clear()
            self.token_ids.clear()
            del self.names[1:], self._flat[:], self._starts[:], self._counts[:]
            self._arrays = (np.zeros(0, np.int64),) * 3
        return self

    def _numpy(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # only the words added since the last chunk are converted
        arrays = []
        for old, new in zip(self._arrays, (self._flat, self._starts, self._counts)):
            if len(new) > len(old):
                old = np.concatenate([old, np.array(new[len(old):], dtype=np.int64)])
            arrays.append(old)
        self._arrays = tuple(arrays)
        return self._arrays

    def token_ids_of(self, words: Sequence[str], words_per_line: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(ids, tokens per line)`` of lines given as their words end to
        end and the number of words of each line; ids are ``names`` indices."""
        self.fresh()
        self.add_new(words)
        numbers = np.fromiter(map(self.numbers.__getitem__, words), dtype=np.int64, count=len(words))
        flat, starts, counts = self._numpy()
        word_tokens = counts[numbers]
        first = starts[numbers]
        if len(word_tokens) and word_tokens.min() == 1 and word_tokens.max() == 1:
            ids = flat[first]
        else:
            total = int(word_tokens.sum())
            before = np.cumsum(word_tokens) - word_tokens
            ids = flat[np.repeat(first - before, word_tokens) + np.arange(total, dtype=np.int64)]
        tokens_before = np.concatenate([[0], np.cumsum(word_tokens)])
        ends = tokens_before[np.cumsum(words_per_line)]
        return ids, np.diff(ends, prepend=0)

    def sequences(self, words: Sequence[str], words_per_line: np.ndarray) -> Sequences:
        ids, lengths = self.token_ids_of(words, words_per_line)
        return dense(ids, lengths)


def dense(ids: np.ndarray, lengths: np.ndarray) -> Sequences:
    """Sequences with ids renumbered 1..number of distinct ids (same order)."""
    if len(ids) == 0:
        return Sequences(ids, lengths, 0)
    present = np.zeros(int(ids.max()) + 1, dtype=bool)
    present[ids] = True
    rank = np.cumsum(present, dtype=np.int64)
    return Sequences(rank[ids], lengths, int(rank[-1]))


def _rerank(values: np.ndarray) -> tuple[np.ndarray, int]:
    uniq, inv = np.unique(values, return_inverse=True)
    return inv.astype(np.int64) + 1, bits_for(len(uniq))


class ChunkGrams:
    """The n-grams of one chunk: references first, then each system's
    hypotheses, all in one key space.

    For every order, :meth:`orders` yields sorted-able keys
    ``segment | n-gram | slot`` where ``slot`` is 0 for a hypothesis and
    ``1 + i`` for the i-th reference of the segment, so that after one sort
    the entries of one n-gram of one segment are adjacent, hypothesis first.
    """

    def __init__(self, seqs: Sequences, ref_seg: np.ndarray, ref_slot: np.ndarray,
                 n_segs: int, n_sys: int):
        self.seqs, self.n_segs, self.n_sys = seqs, n_segs, n_sys
        self.n_refs = len(ref_seg)
        self.slot_bits = bits_for(int(ref_slot.max(initial=0)) + 1)
        self.seg_bits = bits_for(n_segs)
        seq_seg = np.concatenate([ref_seg, np.tile(np.arange(n_segs, dtype=np.int64), n_sys)])
        seq_slot = np.concatenate([ref_slot + 1, np.zeros(n_segs * n_sys, dtype=np.int64)])
        self._pos_seg = np.repeat(seq_seg, seqs.lengths)
        self._pos_slot = np.repeat(seq_slot, seqs.lengths)
        # position boundaries: references, then one block per system
        seq_bounds = [0, self.n_refs] + [self.n_refs + (k + 1) * n_segs for k in range(n_sys)]
        starts = np.concatenate([[0], np.cumsum(seqs.lengths)])
        self._pos_bounds = [int(starts[b]) for b in seq_bounds]

    def orders(self, max_order: int) -> Iterator[tuple[int, np.ndarray, list[np.ndarray], int]]:
        """Yield ``(n, ref_keys, hyp_keys_per_system, seg_shift)``; the
        segment of a key is ``key >> seg_shift``."""
        # how many symbols remain in its sequence from each position
        room = self.seqs.ends() - np.arange(len(self.seqs.ids), dtype=np.int64)
        for n, grams, gbits in _grams_by_order(self.seqs, max_order):
            length = len(grams)
            if self.seg_bits + gbits + self.slot_bits > _MAX_BITS:
                grams, gbits = _rerank(grams)
            keys = self._pos_seg[:length] << (gbits + self.slot_bits)
            keys |= grams << self.slot_bits
            keys |= self._pos_slot[:length]
            valid = room[:length] >= n
            b = [min(x, length) for x in self._pos_bounds]
            ref_keys = keys[b[0]:b[1]][valid[b[0]:b[1]]]
            hyp_keys = [keys[b[k + 1]:b[k + 2]][valid[b[k + 1]:b[k + 2]]] for k in range(self.n_sys)]
            yield n, ref_keys, hyp_keys, gbits + self.slot_bits


def _grams_by_order(seqs: Sequences, max_order: int) -> Iterator[tuple[int, np.ndarray, int]]:
    """``(n, grams, gram_bits)``: the key of the n-gram starting at every
    position (also those running past their sequence's end)."""
    ids = seqs.ids
    sym_bits = bits_for(seqs.vocab)
    grams, gbits = ids, sym_bits
    total = len(ids)
    for n in range(1, max_order + 1):
        if n > 1:
            if total - n + 1 <= 0:
                grams = grams[:0]
            else:
                if gbits + sym_bits > _MAX_BITS:
                    grams, gbits = _rerank(grams)
                grams = (grams[: total - n + 1] << sym_bits) | ids[n - 1:]
                gbits += sym_bits
        yield n, grams, gbits


def match_single(ref_keys: np.ndarray, hyp_keys: np.ndarray, seg_shift: int, n_segs: int) -> np.ndarray:
    """Per segment ``sum_g min(hyp_count[g], ref_count[g])`` when every
    segment has exactly one reference (slot 1)."""
    if len(ref_keys) == 0 or len(hyp_keys) == 0:
        return np.zeros(n_segs, dtype=np.int64)
    uniq, counts = np.unique(np.concatenate([hyp_keys, ref_keys]), return_counts=True)
    # Keys differ only in the slot bit exactly when hyp and ref share the n-gram.
    pair = (uniq[1:] ^ uniq[:-1]) == 1
    shared = np.minimum(counts[:-1][pair], counts[1:][pair])
    return np.bincount(uniq[1:][pair] >> seg_shift, weights=shared, minlength=n_segs).astype(np.int64)


def _grouped(ref_keys: np.ndarray, hyp_keys: np.ndarray, slot_shift: int):
    uniq, counts = np.unique(np.concatenate([hyp_keys, ref_keys]), return_counts=True)
    groups = uniq >> slot_shift
    slot = uniq & ((1 << slot_shift) - 1)
    first = np.empty(len(uniq), dtype=bool)
    first[:1] = True
    np.not_equal(groups[1:], groups[:-1], out=first[1:])
    group = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    hyp_count = np.where(slot[starts] == 0, counts[starts], 0)
    is_ref = slot > 0
    return counts[is_ref], slot[is_ref], group[is_ref], groups[starts], hyp_count


def match_per_ref(ref_keys: np.ndarray, hyp_keys: np.ndarray, seg_shift: int, slot_bits: int,
                  ref_first: np.ndarray, n_refs: int) -> np.ndarray:
    """Per reference t: ``sum_g min(hyp_count[seg(t), g], ref_count[t, g])``;
    ``ref_first[s]`` is the index of segment s's first reference."""
    if len(ref_keys) == 0 or len(hyp_keys) == 0:
        return np.zeros(n_refs, dtype=np.int64)
    counts, slot, grp, group_key, hyp_count = _grouped(ref_keys, hyp_keys, slot_bits)
    shared = np.minimum(counts, hyp_count[grp])
    t = ref_first[group_key[grp] >> (seg_shift - slot_bits)] + slot - 1
    return np.bincount(t, weights=shared, minlength=n_refs).astype(np.int64)


def match_max_ref(ref_keys: np.ndarray, hyp_keys: np.ndarray, seg_shift: int, slot_bits: int,
                  n_segs: int) -> np.ndarray:
    """Per segment s: ``sum_g min(hyp_count[s, g], max_t ref_count[t, g])``
    over the references t of s (BLEU clips against the most generous one)."""
    if len(ref_keys) == 0 or len(hyp_keys) == 0:
        return np.zeros(n_segs, dtype=np.int64)
    counts, _, grp, group_key, hyp_count = _grouped(ref_keys, hyp_keys, slot_bits)
    starts = np.flatnonzero(np.r_[True, grp[1:] != grp[:-1]])
    best = np.maximum.reduceat(counts, starts)
    grp = grp[starts]
    shared = np.minimum(best, hyp_count[grp])
    return np.bincount(group_key[grp] >> (seg_shift - slot_bits), weights=shared,
                       minlength=n_segs).astype(np.int64)


def ngram_totals(lengths: np.ndarray, n: int) -> np.ndarray:
    """Number of n-grams in sequences of the given lengths."""
    return np.maximum(lengths - n + 1, 0)
