"""Build mt_eval/detectors/data/gender/fr_noun_gender.tsv from a Dicollecte
(Grammalecte) French Hunspell dictionary, whose entries carry morphology:
``bouteille/S.() po:nom is:fem``.

    python scripts/build_fr_noun_gender.py /usr/share/hunspell/fr.dic

The dictionary is Debian's ``hunspell-fr-classical`` (MPL-2.0); the table
we write keeps that licence (see the data README).  Only nouns of one fixed
gender are kept: ``is:epi`` nouns (*analyste*) and nouns inflected for
gender (*vendeur/vendeuse*, no ``is:`` field) show no gender by themselves,
and a spelling that is a noun of both genders (*le/la livre*) is dropped.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "mt_eval" / "detectors" / "data" / "gender" / "fr_noun_gender.tsv"
_ENTRY = re.compile(r"^([^/\s]+)(?:/\S*)?\s+(.*)$")


def build(dic: Path) -> dict[str, str]:
    genders: dict[str, set[str]] = {}
    for line in dic.read_text(encoding="utf-8").splitlines()[1:]:
        m = _ENTRY.match(line)
        if not m or "po:nom" not in m.group(2):
            continue
        word, morph = m.group(1), m.group(2)
        g = "m" if "is:mas" in morph else "f" if "is:fem" in morph else "x"
        if not word[:1].isalpha() or word[:1].isupper():
            continue
        genders.setdefault(word.lower(), set()).add(g)
    return {w: next(iter(gs)) for w, gs in genders.items() if len(gs) == 1 and gs != {"x"}}


def main(argv: list[str]) -> None:
    dic = Path(argv[0] if argv else "/usr/share/hunspell/fr.dic")
    table = build(dic)
    head = ("# French common nouns of one fixed grammatical gender (lemma<TAB>m|f).\n"
            "# Provenance: derived by scripts/build_fr_noun_gender.py from the Dicollecte French\n"
            "# Hunspell dictionary (Debian hunspell-fr-classical), (c) 2007-2018\n"
            "# Dicollecte contributors, MPL-2.0 (http://mozilla.org/MPL/2.0/); this\n"
            "# file is under the same licence.\n")
    OUT.write_text(head + "".join(f"{w}\t{g}\n" for w, g in sorted(table.items())), encoding="utf-8")
    print(f"{len(table)} nouns -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
