"""Which French word an English he/she/him/his… translates.

Within a pair of aligned sentences, content words are anchored to each
other: identical names and numbers, cognates (*déclaration*/*declaration*,
*départ*/*departure*) and a small dictionary of frequent words without a
look-alike (*dire*/*say*).  The anchors that keep the word order (a longest
increasing chain) map any English position to an expected French position by
linear interpolation between the anchors around it.  An English pronoun is
then paired with the French pronoun of a compatible class (subject *il/elle*
for *he/she*, *son/sa/ses* for *his/her*…) closest to its expected position,
with a bonus when their heads are anchored to each other (*he added* ↔ *a-t-il
ajouté*, *his departure* ↔ *son départ*).  Pairs are made one to one,
cheapest first.

This is a deliberately small aligner: it needs no model and handles the
reorderings news translation makes inside a sentence (an inverted *dit-il*,
a fronted possessive).  It fails where a translation restructures a sentence
completely; the caller then falls back to the English side alone.
"""
from __future__ import annotations

import bisect
import unicodedata
from functools import lru_cache

from . import lexicon
from .english import pronoun_role
from .french import existential_il, impersonal_il

# English pronoun role -> French pronoun classes it may translate, best first.
COMPATIBLE = {"subj": ("subj", "obj"), "obj": ("obj", "strong", "subj", "refl"), "poss": ("poss", "obj"),
              "refl": ("refl", "strong", "obj")}
_CLASS_PENALTY = 0.08
_MAX_COST = 0.35
_IMPERSONAL_PENALTY = 0.1
_STOP_EN = frozenset("the a an of to in on at for and or but is are was were be been it its this that "
                     "these those with by from as not no he she his her him they them their".split())
_STOP_FR = frozenset("le la les l' un une des de du d' à au aux et ou mais est sont était être a ont "
                     "il elle ils elles son sa ses lui ce cet cette ces que qu' qui ne n' pas se s' en y "
                     "par pour dans sur avec".split())


@lru_cache(maxsize=20000)
def _fold(word: str) -> str:
    word = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in word if not unicodedata.combining(c))


def _cognate(a: str, b: str) -> bool:
    """Look-alike French and English words (accents folded): a long common
    prefix, relative to the shorter word."""
    if len(a) < 4 or len(b) < 4:
        return a == b and len(a) >= 2
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 5 or n >= 0.8 * min(len(a), len(b))


def french_class(tok) -> str | None:
    """subj / obj / strong / poss / refl for French words an English gendered
    pronoun may translate; ``None`` for anything else."""
    low = tok.text.lower()
    if low in ("-il", "-elle"):
        # inverted subject: "a-t-elle ajouté", "dit-il" (spaCy splits off "-elle")
        return "subj"
    if low in ("il", "elle") and (tok.dep_.startswith(("nsubj", "expl")) or tok.i == tok.head.i):
        return "subj"
    if low in ("celui-ci", "celle-ci", "celui-là", "celle-là"):
        return "subj"
    if low in ("lui-même", "elle-même"):
        return "refl"
    if low in ("son", "sa", "ses") and tok.pos_ in ("DET", "PRON"):
        return "poss"
    if low in ("lui", "elle") and tok.i > 0 and tok.doc[tok.i - 1].pos_ == "ADP":
        return "strong"
    if low in ("le", "la", "l'", "lui") and tok.pos_ == "PRON":
        return "obj"
    if low == "il":
        return "subj"
    return None


def _words(tokens):
    return [t for t in tokens if not t.is_punct and not t.is_space]


def _anchor_candidates(en, fr):
    """(i, j) index pairs into the word lists ``en`` / ``fr`` that look like
    translations of each other, in (i, j) order."""
    dictionary = lexicon.fr_en_anchor_words()
    # Indexes over the French words instead of testing every pair: equal
    # forms, dictionary translations, and look-alikes (two words of four
    # letters or more are cognates only if their first four letters agree,
    # see _cognate; shorter ones only if equal).
    same_form: dict[str, list[int]] = {}
    translated: dict[str, list[int]] = {}
    looks = (_LookAlikes(), _LookAlikes())      # folded form, folded lemma
    for j, t in enumerate(fr):
        low = t.text.lower()
        if low in _STOP_FR:
            continue
        same_form.setdefault(low, []).append(j)
        for w in dictionary.get(t.lemma_.lower(), ()):
            translated.setdefault(w, []).append(j)
        looks[0].add(_fold(low), j)
        looks[1].add(_fold(t.lemma_), j)
    out = []
    for i, e in enumerate(en):
        el = e.text.lower()
        if el in _STOP_EN:
            continue
        elem = e.lemma_.lower()
        js = set(translated.get(elem, ())) | set(translated.get(el, ()))
        if len(el) > 2 or e.like_num:
            js.update(same_form.get(el, ()))
        js.update(looks[0].matches(_fold(el)))
        js.update(looks[1].matches(_fold(elem)))
        out.extend((i, j) for j in sorted(js))
    return out


class _LookAlikes:
    """French words by their first four letters, for :func:`_cognate`."""

    def __init__(self):
        self.short: dict[str, list[int]] = {}
        self.by_prefix: dict[str, list[tuple[str, int]]] = {}

    def add(self, word: str, j: int) -> None:
        if len(word) < 4:
            self.short.setdefault(word, []).append(j)
        else:
            self.by_prefix.setdefault(word[:4], []).append((word, j))

    def matches(self, word: str):
        if len(word) < 4:
            return self.short.get(word, ()) if len(word) >= 2 else ()
        return [j for w, j in self.by_prefix.get(word[:4], ()) if _cognate(word, w)]


def _monotone(pairs, n_en, n_fr):
    """The largest subset of anchors in word order on both sides, preferring
    anchors near the diagonal (a longest increasing chain)."""
    if not pairs:
        return []
    # near-diagonal anchors first when several French words match one English word
    pairs = sorted(pairs, key=lambda p: (p[0], -abs(p[0] / max(1, n_en) - p[1] / max(1, n_fr))))
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos > 0:
            prev[k] = tail_idx[pos - 1]
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
    chain = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append(pairs[k])
        k = prev[k]
    chain.reverse()
    # an English word anchored twice keeps its first French match
    out, seen = [], set()
    for i, j in chain:
        if i not in seen:
            out.append((i, j))
            seen.add(i)
    return out


class SentencePairing:
    """Anchors between one English sentence and its aligned French sentences."""

    def __init__(self, en_sent, fr_sents):
        self.en = _words(en_sent)
        self.fr = [t for s in fr_sents for t in _words(s)]
        self.en_pos = {t.i: k for k, t in enumerate(self.en)}
        self.fr_pos = {(id(t.doc), t.i): k for k, t in enumerate(self.fr)}
        anchors = _monotone(_anchor_candidates(self.en, self.fr), len(self.en), len(self.fr))
        self.anchors = [(-1, -1)] + anchors + [(len(self.en), len(self.fr))]
        self.anchor_of = {i: j for i, j in anchors}

    def expected(self, en_index: int) -> float:
        """Expected French word position of English word ``en_index``."""
        xs = [a for a, _ in self.anchors]
        k = bisect.bisect_right(xs, en_index)
        (a0, b0), (a1, b1) = self.anchors[k - 1], self.anchors[min(k, len(self.anchors) - 1)]
        if a0 == en_index:
            return float(b0)
        if a1 == a0:
            return float(b0)
        return b0 + (en_index - a0) * (b1 - b0) / (a1 - a0)

    def fr_index(self, tok) -> int | None:
        return self.fr_pos.get((id(tok.doc), tok.i))

    def heads_anchored(self, e, f) -> bool:
        """The English and French words govern anchored heads."""
        he, hf = self.en_pos.get(e.head.i), self.fr_index(f.head)
        if he is None or hf is None:
            return False
        j = self.anchor_of.get(he)
        return j is not None and abs(j - hf) <= 1


def pair_pronouns(pairing: SentencePairing, en_prons) -> dict[int, object]:
    """English pronoun token index -> the French token it translates, for the
    English gendered pronouns ``en_prons`` of one sentence."""
    fr_cands = [(t, french_class(t)) for t in pairing.fr]
    fr_cands = [(t, c) for t, c in fr_cands if c]
    if en_prons and any(t.dep_ == "expl" and t.lower_ == "there" for t in en_prons[0].sent):
        # the English says "there is": that is where "il y a" went, so its
        # il is not what an English he/she renders ("il n'y a rien qu'il
        # n'aime" -> "there is nothing he does not like")
        fr_cands = [(t, c) for t, c in fr_cands if not existential_il(t)]
    # "se"/"s'" reflexive clitics count for himself/herself only
    n_fr = max(5, len(pairing.fr))
    costs = []
    for e in en_prons:
        ei = pairing.en_pos.get(e.i)
        if ei is None:
            continue
        allowed = COMPATIBLE[pronoun_role(e)]
        want = pairing.expected(ei)
        for t, cls in fr_cands:
            if cls not in allowed:
                continue
            fj = pairing.fr_index(t)
            cost = abs(want - fj) / n_fr + _CLASS_PENALTY * allowed.index(cls)
            if pairing.heads_anchored(e, t):
                cost -= 0.15
            if cls == "subj" and impersonal_il(t):
                # "il n'y a rien qu'il n'aime" → "there is nothing he…": an
                # English he/she is rarely the impersonal il when a
                # referential one is near
                cost += _IMPERSONAL_PENALTY
            costs.append((cost, e.i, id(t), t))
    costs.sort(key=lambda x: x[0])
    out: dict[int, object] = {}
    used = set()
    for cost, ei, tid, t in costs:
        if cost > _MAX_COST:
            break
        if ei in out or tid in used:
            continue
        out[ei] = t
        used.add(tid)
    return out
