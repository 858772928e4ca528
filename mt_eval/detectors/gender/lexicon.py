"""The gender lexicons in ``detectors/data/gender/`` (see README.md there),
read once per process."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

_PKG = "mt_eval.detectors"


def _lines(name: str):
    text = resources.files(_PKG).joinpath("data", "gender", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


@lru_cache(maxsize=None)
def en_person_nouns() -> dict[str, str]:
    """English person noun (singular, lower case) -> ``m``, ``f`` or ``n``."""
    return {row[0]: row[1] for row in _lines("en_person_nouns.txt")}


@lru_cache(maxsize=None)
def en_nonperson_nouns() -> dict[str, str]:
    """English collective/institution noun -> class (institution, place...)."""
    return {row[0]: row[1] for row in _lines("en_nonperson_nouns.txt")}


@lru_cache(maxsize=None)
def first_names() -> dict[str, str]:
    """Given name (lower case) -> ``m``, ``f`` or ``u``."""
    return {row[0]: row[1] for row in _lines("first_names.tsv")}


@lru_cache(maxsize=None)
def fr_person_forms() -> dict[str, set[str]]:
    """French person noun (or multi-word form), lower case -> genders it can
    have: {"m"}, {"f"} or {"m", "f"} (epicene)."""
    out: dict[str, set[str]] = {}
    rows = list(_lines("fr_person_nouns.tsv"))
    for row in rows[1:]:
        row = row + [""] * (3 - len(row))
        for col, g in ((1, "m"), (2, "f")):
            for form in filter(None, row[col].split("|")):
                out.setdefault(form.lower(), set()).add(g)
    for noun, g in fixed_gender_nouns().items():
        out.setdefault(noun, set()).add(g)
    return out


@lru_cache(maxsize=None)
def en_to_fr_person() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """English person noun -> (French masculine forms, French feminine forms)."""
    out: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    rows = list(_lines("fr_person_nouns.tsv"))
    for row in rows[1:]:
        row = row + [""] * (3 - len(row))
        masc = tuple(f.lower() for f in row[1].split("|") if f)
        fem = tuple(f.lower() for f in row[2].split("|") if f)
        old = out.get(row[0].lower(), ((), ()))
        out[row[0].lower()] = (old[0] + masc, old[1] + fem)
    return out


@lru_cache(maxsize=None)
def fixed_gender_nouns() -> dict[str, str]:
    """French nouns of fixed grammatical gender that denote a person of
    either sex (``victime`` f, ``témoin`` m)."""
    return {row[0]: row[1] for row in _lines("fr_fixed_gender_nouns.tsv")}


@lru_cache(maxsize=None)
def fr_impersonal_verbs() -> frozenset[str]:
    """Lemmas of verbs that take an impersonal ``il``."""
    return frozenset(row[0] for row in _lines("fr_impersonal.tsv"))


@lru_cache(maxsize=None)
def fr_demonyms() -> dict[str, str]:
    """French noun of nationality or origin, lower case -> ``m``/``f``
    (*australienne* -> f); both genders for invariable ones (*belge*)."""
    out: dict[str, set[str]] = {}
    for row in _lines("fr_demonyms.tsv"):
        for col, g in ((0, "m"), (1, "f")):
            if len(row) > col and row[col]:
                out.setdefault(row[col].lower(), set()).add(g)
    return {w: (next(iter(gs)) if len(gs) == 1 else "") for w, gs in out.items()}


@lru_cache(maxsize=None)
def fr_nonperson_nouns() -> dict[str, str]:
    """French organisation / group / place noun (lemma) -> class."""
    return {row[0]: row[1] for row in _lines("fr_nonperson_nouns.tsv")}


@lru_cache(maxsize=None)
def fr_verb_animacy() -> dict[str, str]:
    """French verb lemma -> ``agent`` (person or organisation subject) or
    ``human`` (person subject only)."""
    return {row[0]: row[1] for row in _lines("fr_verb_animacy.tsv")}


@lru_cache(maxsize=None)
def fr_person_possessions() -> frozenset[str]:
    """French nouns whose possessor is a person (*sa mort*, *ses cheveux*)."""
    return frozenset(row[0] for row in _lines("fr_person_possessions.txt"))


@lru_cache(maxsize=None)
def fr_en_anchor_words() -> dict[str, frozenset[str]]:
    """French lemma -> English lemmas it usually translates (alignment anchors)."""
    return {row[0]: frozenset(row[1].split("|")) for row in _lines("fr_en_anchor_words.tsv")}


@lru_cache(maxsize=None)
def fr_noun_gender() -> dict[str, str]:
    """French common noun (lemma, lower case) -> its one grammatical gender
    ``m``/``f`` (Dicollecte dictionary; epicene and two-gender nouns absent)."""
    return {row[0]: row[1] for row in _lines("fr_noun_gender.tsv")}


@lru_cache(maxsize=None)
def fr_time_nouns() -> frozenset[str]:
    """French nouns of time that head adverbials (*ces derniers temps*)."""
    return frozenset(row[0] for row in _lines("fr_time_nouns.txt"))
