"""Expand the group labels into one row per pronoun token (see README.md).

    python bench/labels/build_pronoun_labels.py

reads ``wmt14_fren_pool_groups.tsv`` and ``wmt14_fren_sample_groups.tsv``
(hand labels per source line and pronoun gender, with per-system and
per-token overrides) and the WMT14 outputs, and writes
``wmt14_fren_pronouns.tsv``: system, line, offset, pronoun, set (pool or
sample), label (error / ok), rationale.  It fails loudly when a candidate
has no label or a label matches no candidate, so the files stay in step.
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gender_pool  # noqa: E402

ABBREV = {"Stanford-University.3496": "Stan", "kit.3112": "kit", "onlineA.0": "oA", "onlineB.0": "oB",
          "onlineC.0": "oC", "rbmt1.0": "rb1", "rbmt4.0": "rb4", "uedin-wmt14.3024": "ued"}
LABEL = {"E": "error", "O": "ok"}


def read_groups(path: Path) -> dict:
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5 or cols[2] not in LABEL:
            raise SystemExit(f"{path}:{n}: expected line, gender, E/O, overrides, rationale")
        key = (int(cols[0]), cols[1])
        if key in out:
            raise SystemExit(f"{path}:{n}: duplicate group {key}")
        overrides = {}
        for item in cols[3].split():
            who, _, lab = item.partition(":")
            overrides[who] = lab
        out[key] = (cols[2], overrides, cols[4])
    return out


def expand(rows, groups, which):
    by_group = defaultdict(lambda: defaultdict(list))
    for system, line, off, pron in rows:
        by_group[(line, gender_pool.GENDER[pron.lower()])][system].append((off, pron))
    missing = set(by_group) - set(groups)
    if missing:
        raise SystemExit(f"{which}: no label for groups {sorted(missing)[:10]}")
    unused = set(groups) - set(by_group)
    if unused:
        raise SystemExit(f"{which}: labels for groups that are not candidates {sorted(unused)[:10]}")
    out = []
    for key, systems in sorted(by_group.items()):
        label, overrides, why = groups[key]
        seen = set()
        for system, toks in systems.items():
            ab = ABBREV[system]
            for k, (off, pron) in enumerate(sorted(toks)):
                lab = overrides.get(f"{ab}#{k}", overrides.get(ab, label))
                seen.update(x for x in (f"{ab}#{k}", ab) if x in overrides)
                out.append((system, key[0], off, pron, which, LABEL[lab], why))
        if set(overrides) - seen:
            raise SystemExit(f"{which}: override(s) {sorted(set(overrides) - seen)} of group {key} match no token")
    return out


def main() -> None:
    pool, sample, n_rest = gender_pool.pool()
    rows = expand(pool, read_groups(HERE / "wmt14_fren_pool_groups.tsv"), "pool")
    rows += expand(sample, read_groups(HERE / "wmt14_fren_sample_groups.tsv"), "sample")
    with open(HERE / "wmt14_fren_pronouns.tsv", "w", encoding="utf-8") as fh:
        fh.write(f"# pool = every candidate token; sample = {len(sample)} of the {n_rest} other gendered pronoun tokens\n")
        fh.write("system\tline\toffset\tpronoun\tset\tlabel\trationale\n")
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    from collections import Counter
    print(Counter((r[4], r[5]) for r in rows))


if __name__ == "__main__":
    main()
