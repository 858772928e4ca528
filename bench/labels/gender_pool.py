"""Candidate pool for the hand labels of GN001 on WMT14 fr-en (see README.md).

Deterministic: every gendered English pronoun token (he, she, him, her, his,
hers, himself, herself) of every system output whose gender class occurs
more often in the hypothesis sentence than in the reference ("the reference
uses it/its/they or no pronoun there"), plus a seeded random sample of the
other pronoun tokens (for recall).
"""
from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared_data import WMT14 as DATA  # noqa: E402  (bench/shared_data.py)
FR_EN = DATA / "fr-en"
PRON = re.compile(r"\b(he|she|him|her|his|hers|himself|herself)\b", re.I)
GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
          "she": "f", "her": "f", "hers": "f", "herself": "f"}
SAMPLE_REST = 200
SEED = 4


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:3003]


def systems() -> dict[str, list[str]]:
    out = {}
    for p in sorted((FR_EN / "systems").iterdir()):
        name = p.name.replace("newstest2014.", "").replace(".fr-en", "")
        out[name] = read(p)
    return out


def pool():
    """(pool rows, rest-sample rows, number of rest tokens): each row
    (system, line 1-based, char offset, pronoun)."""
    ref = read(FR_EN / "newstest2014-fren-ref.en")
    cand, rest = [], []
    for name, hyp in systems().items():
        for i, (h, r) in enumerate(zip(hyp, ref)):
            hp = list(PRON.finditer(h))
            if not hp:
                continue
            rc = Counter(GENDER[m.group(1).lower()] for m in PRON.finditer(r))
            hc = Counter(GENDER[m.group(1).lower()] for m in hp)
            for m in hp:
                g = GENDER[m.group(1).lower()]
                row = (name, i + 1, m.start(), m.group(1))
                (cand if hc[g] > rc.get(g, 0) else rest).append(row)
    rng = random.Random(SEED)
    sample = sorted(rng.sample(rest, SAMPLE_REST))
    return cand, sample, len(rest)
