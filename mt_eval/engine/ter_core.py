"""TER edit counts (shifts plus word edits), exactly as sacrebleu's
``translation_edit_rate``, for many sentence pairs at once.

sacrebleu's TER is a greedy shift search around a *beam* edit distance (only
a band of cells around the pseudo-diagonal is filled; its tie-breaking
decides the alignment that proposes shifts).  It spends nearly all its time
in that pure-Python edit distance.  Here:

* every pair's words become one code point per distinct word, so a
  hypothesis is a short string and a shift is string slicing;
* the distance of a shift candidate comes from rapidfuzz (exact Levenshtein
  in C) whenever it is provably equal to sacrebleu's beam distance: if the
  true distance ``d`` satisfies ``d <= beam - 2``, every optimal path stays
  within ``d`` cells of the diagonal ``j = i * |ref| / |hyp|`` and so inside
  the beam (one cell of slack covers the float rounding of the diagonal);
  otherwise the exact beam distance is computed;
* the beam distance with its trace (needed for the alignment) is computed
  for many pairs at once by :func:`beam_edit_distance`, a numpy version of
  sacrebleu's dynamic programme (same band, same costs, same preference
  among operations), rounds of the shift search running in lockstep.
"""
from __future__ import annotations

import math
from itertools import accumulate
from typing import Sequence

import numpy as np

try:  # rapidfuzz is a core dependency; without it every distance is a DP
    from rapidfuzz.distance import Levenshtein as _lev
except ImportError:  # pragma: no cover
    _lev = None

# Tercom's limits, as in sacrebleu.metrics.lib_ter
MAX_SHIFT_SIZE = 10
MAX_SHIFT_DIST = 50
BEAM_WIDTH = 25
MAX_SHIFT_CANDIDATES = 1000
INF = 10 ** 16
_INF32 = 1 << 30  # our "not computed": only compared, never reached by real values

# operation codes of the dynamic programme (sacrebleu: 'x', ' ', 's', 'i', 'd')
UNDEF, NOP, SUB, INS, DEL = 0, 1, 2, 3, 4
_GROUP = 96  # pairs per vectorised DP group (similar lengths together)


def beam_width(n_hyp: int, n_ref: int) -> int:
    ratio = n_ref / n_hyp if n_hyp else 1
    return math.ceil(ratio / 2 + BEAM_WIDTH) if BEAM_WIDTH < ratio / 2 else BEAM_WIDTH


def _codes(s: str) -> np.ndarray:
    return np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def _dp_group(hs: Sequence[str], rs: Sequence[str], want_trace: bool):
    """sacrebleu's beam DP for a group of pairs (non-empty hypotheses).

    Only the values are kept (``(B, H + 1, M + 1)`` with ``want_trace``);
    :func:`_alignment` recovers the operations along the path from them.
    Values at or above ``INF`` mean "not computed" (sacrebleu's infinity);
    int32 suffices since real values never exceed the sentence lengths.
    """
    B = len(hs)
    nh = np.fromiter(map(len, hs), dtype=np.int64, count=B)
    nr = np.fromiter(map(len, rs), dtype=np.int64, count=B)
    H, M = int(nh.max()), int(nr.max())
    hid = np.full((B, H), -1, dtype=np.int32)
    rid = np.full((B, M), -2, dtype=np.int32)
    for b in range(B):
        hid[b, :nh[b]] = _codes(hs[b])
        rid[b, :nr[b]] = _codes(rs[b])
    neq = (hid[:, :, None] != rid[:, None, :]).astype(np.int32)  # (B, H, M)
    ratio = nr / nh
    bw = np.where(BEAM_WIDTH < ratio / 2, np.ceil(ratio / 2 + BEAM_WIDTH), BEAM_WIDTH).astype(np.int64)
    rows = np.arange(1, H + 1, dtype=np.int64)
    pd = np.floor(rows[None, :] * ratio[:, None]).astype(np.int64)           # (B, H)
    lo = np.maximum(0, pd - bw[:, None])
    hi = np.minimum(nr[:, None] + 1, pd + bw[:, None])
    hi = np.where(rows[None, :] == nh[:, None], nr[:, None] + 1, hi)
    cols = np.arange(M + 1, dtype=np.int32)
    D = np.where(cols[None, :] <= nr[:, None], cols[None, :], _INF32).astype(np.int32)
    values = None
    if want_trace:
        values = np.empty((B, H + 1, M + 1), dtype=np.int32)
        values[:, 0] = D
    s = np.empty((B, M + 1), dtype=np.int32)
    s[:, 0] = _INF32
    for i in range(1, H + 1):
        np.add(D[:, :-1], neq[:, i - 1], out=s[:, 1:])
        d = D + 1
        c = np.minimum(s, d)            # sacrebleu: sub, then del if strictly better
        c[:, 0] = d[:, 0]               # column 0: deletion only
        band = (cols >= lo[:, i - 1, None]) & (cols < hi[:, i - 1, None])
        c[~band] = _INF32
        # insertion from the left, chained along the row: v_j = min(c_j, v_{j-1} + 1)
        v = np.minimum.accumulate(c - cols, axis=1) + cols
        np.minimum(v, _INF32, out=v)
        v[~band] = _INF32
        act = (nh >= i)[:, None]
        D = np.where(act, v, D)
        if want_trace:
            values[:, i] = D
    dist = D[np.arange(B), nr].astype(np.int64)
    return dist, values, nh, nr


def beam_edit_distance(hs: Sequence[str], rs: Sequence[str], want_trace: bool = False):
    """sacrebleu's ``BeamEditDistance`` for many pairs (hypothesis and
    reference as strings of word codes, hypotheses non-empty).

    Returns the distances, and with ``want_trace`` per pair the alignment
    sacrebleu derives from its trace: ``(align, ref_err, hyp_err)``.
    """
    n = len(hs)
    dist = np.zeros(n, dtype=np.int64)
    traces: list = [None] * n
    order = sorted(range(n), key=lambda k: (len(hs[k]), len(rs[k])))
    for start in range(0, n, _GROUP):
        idx = order[start:start + _GROUP]
        d, values, nh, nr = _dp_group([hs[k] for k in idx], [rs[k] for k in idx], want_trace)
        dist[idx] = d
        if want_trace:
            for b, k in enumerate(idx):
                traces[k] = _alignment(values[b], hs[k], rs[k])
    return (dist, traces) if want_trace else dist


def _alignment(values: np.ndarray, h: str, r: str):
    """Walk sacrebleu's trace back from the end and return what its
    ``trace_to_alignment(_flip_trace(trace))`` gives.  The operation at a
    cell is recovered from the values with sacrebleu's preference: the
    diagonal (no-op or substitution) unless deletion is strictly cheaper,
    then insertion if strictly cheaper than that."""
    i, j = len(h), len(r)
    align = [0] * j
    ref_err = [0] * j
    hyp_err = [0] * i
    V = values[: i + 1, : j + 1].tolist()
    while i > 0 or j > 0:
        if i == 0:
            op = INS
        elif j == 0:
            op = DEL
        else:
            same = h[i - 1] == r[j - 1]
            up = V[i - 1]
            sub = min(up[j - 1] + (0 if same else 1), _INF32)
            dele = min(up[j] + 1, _INF32)
            cur = sub if sub <= dele else dele
            left = V[i][j - 1] + 1
            if cur >= _INF32 and left >= _INF32:
                raise RuntimeError("TER: the beam left no path (sacrebleu fails here too)")
            if left < cur:
                op = INS
            elif sub <= dele:
                op = NOP if same else SUB
            else:
                op = DEL
        if op == NOP:
            i -= 1
            j -= 1
            align[j] = i
        elif op == SUB:
            i -= 1
            j -= 1
            align[j] = i
            hyp_err[i] = 1
            ref_err[j] = 1
        elif op == INS:  # a reference word with no hypothesis word
            j -= 1
            align[j] = i - 1
            ref_err[j] = 1
        else:  # DEL: a hypothesis word with no reference word
            i -= 1
            hyp_err[i] = 1
    return align, ref_err, hyp_err


def _shift(words: str, start: int, length: int, target: int) -> str:
    if target < start:
        return words[:target] + words[start:start + length] + words[target:start] + words[start + length:]
    if target > start + length:
        return words[:start] + words[start + length:target] + words[start:start + length] + words[target:]
    return (words[:start] + words[start + length:length + target] + words[start:start + length]
            + words[length + target:])


def _candidates(h: str, r: str, align, ref_err, hyp_err, checked: int):
    """The shift candidates sacrebleu's ``_shift`` evaluates, in its order:
    ``(length, start_h, idx, shifted)``; and the updated candidate count."""
    n_h, n_r = len(h), len(r)
    hyp_cum = list(accumulate(hyp_err, initial=0))
    ref_cum = list(accumulate(ref_err, initial=0))
    where: dict[str, list[int]] = {}
    for j, w in enumerate(r):
        where.setdefault(w, []).append(j)
    out = []
    for start_h in range(n_h):
        for start_r in where.get(h[start_h], ()):
            if abs(start_r - start_h) > MAX_SHIFT_DIST:
                continue
            length = 0
            while h[start_h + length] == r[start_r + length] and length < MAX_SHIFT_SIZE:
                length += 1
                # -- one (start_h, start_r, length) of _find_shifted_pairs --
                if (hyp_cum[start_h + length] - hyp_cum[start_h] != 0
                        and ref_cum[start_r + length] - ref_cum[start_r] != 0
                        and not start_h <= align[start_r] < start_h + length):
                    prev_idx = -1
                    for offset in range(-1, length):
                        if start_r + offset == -1:
                            idx = 0
                        elif start_r + offset < n_r:
                            idx = align[start_r + offset] + 1
                        else:
                            break
                        if idx == prev_idx:
                            continue
                        prev_idx = idx
                        out.append((length, start_h, idx, _shift(h, start_h, length, idx)))
                        checked += 1
                    if checked >= MAX_SHIFT_CANDIDATES:
                        return out, checked
                if n_h == start_h + length or n_r == start_r + length:
                    break
    return out, checked


def _encode_pair(hyp: Sequence[str], ref: Sequence[str]) -> tuple[str, str]:
    vocab: dict[str, str] = {}
    for w in hyp:
        if w not in vocab:
            vocab[w] = chr(len(vocab) + 1)
    for w in ref:
        if w not in vocab:
            vocab[w] = chr(len(vocab) + 1)
    return "".join(map(vocab.__getitem__, hyp)), "".join(map(vocab.__getitem__, ref))


def edits_many(pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[int]:
    """The number of TER edits of each ``(hyp_words, ref_words)`` pair."""
    n = len(pairs)
    result = [0] * n
    cur: dict[int, str] = {}
    refs: dict[int, str] = {}
    shifts = [0] * n
    checked = [0] * n
    for k, (hw, rw) in enumerate(pairs):
        if not rw or not hw:
            # an empty reference: every hypothesis word is deleted; an empty
            # hypothesis: every reference word is inserted
            result[k] = len(hw) if not rw else len(rw)
            continue
        if len(set(hw) | set(rw)) > 0xD7FF:  # no code point per word left: degenerate
            from sacrebleu.metrics.lib_ter import translation_edit_rate
            result[k] = translation_edit_rate(list(hw), list(rw))[0]
            continue
        cur[k], refs[k] = _encode_pair(hw, rw)
    active = list(cur)
    while active:
        pre, traces = beam_edit_distance([cur[k] for k in active], [refs[k] for k in active], True)
        per_pair = []
        slow_h, slow_r, slow_at = [], [], []
        for a, k in enumerate(active):
            h, r = cur[k], refs[k]
            cands, checked[k] = _candidates(h, r, *traces[a], checked[k])
            limit = beam_width(len(h), len(r)) - 2
            dists = []
            for c, (_, _, _, shifted) in enumerate(cands):
                d = _lev.distance(shifted, r, score_cutoff=limit) if _lev is not None else limit + 1
                if d > limit:  # maybe outside the beam: sacrebleu's DP decides
                    slow_h.append(shifted)
                    slow_r.append(r)
                    slow_at.append((a, c))
                dists.append(d)
            per_pair.append((cands, dists))
        if slow_h:
            exact = beam_edit_distance(slow_h, slow_r)
            for (a, c), d in zip(slow_at, exact.tolist()):
                per_pair[a][1][c] = d
        still = []
        for a, k in enumerate(active):
            cands, dists = per_pair[a]
            best = None
            for (length, start_h, idx, shifted), d in zip(cands, dists):
                key = (int(pre[a]) - d, length, -start_h, -idx)
                if best is None or key > best[0]:
                    best = (key, shifted)
            if checked[k] >= MAX_SHIFT_CANDIDATES or best is None or best[0][0] <= 0:
                # sacrebleu stops here, without the last shift when the
                # candidate budget ran out
                result[k] = shifts[k] + int(pre[a])
                continue
            shifts[k] += 1
            cur[k] = best[1]
            still.append(k)
        active = still
    return result
