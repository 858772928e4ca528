"""Measure the gender detectors (issue 4) on real MT output.

    PYTHONPATH=. python bench/eval_gender.py [fren] [reference] [seed] [mtgeneval] [winomt] [lopes] [speed]

Prints every figure the issue asks for (no argument = all sections):

* fren      GN001 precision/recall on WMT14 fr-en against the hand labels in
            bench/labels/ (four settings: with/without source x context)
* reference GN001 (source + context) on the WMT14 English reference read as
            a system: human text, so its flags are false alarms but for the
            rare leak a translator let through (bench/labels/README.md)
* seed      GN001 on the seed article
* mtgeneval GN002 on MT-GenEval counterfactual pairs
* winomt    GN002's French entity gender vs WinoMT human labels, and
            per-system accuracy vs WinoMT's published French accuracies
* lopes     GN003 pairwise accuracy on the Lopes et al. 2020 contrastive pairs
* speed     segments per second of GN001 with spaCy (2 cores)
"""
from __future__ import annotations

import csv
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
from shared_data import DATA  # noqa: E402
WMT = DATA / "wmt14-newstest-fr-en"
LABELS = ROOT / "bench" / "labels" / "wmt14_fren_pronouns.tsv"
SEED = DATA.parent / "seeds" / "000_c6418d0b895173dc.txt"


def _wmt_frame(systems: dict[str, list[str]], with_source: bool) -> pd.DataFrame:
    fr = WMT / "fr-en"
    src = (fr / "newstest2014-fren-src.fr").read_text(encoding="utf-8").split("\n")[:3003]
    docs = (WMT / "newstest2014-fren.docids").read_text(encoding="utf-8").split("\n")[:3003]
    seg_ids, last, n = [], None, 0
    for d in docs:
        n = n + 1 if d == last else 1
        last = d
        seg_ids.append(n)
    frame = pd.DataFrame({"doc_id": docs, "seg_id": seg_ids,
                          "source": src if with_source else [""] * len(src),
                          "src_lang": "fr", "tgt_lang": "en"})
    for name, hyp in systems.items():
        frame[f"hyp:{name}"] = hyp
    frame["references"] = [()] * len(frame)
    frame["line"] = range(1, len(frame) + 1)
    return frame


def _systems() -> dict[str, list[str]]:
    out = {}
    for p in sorted((WMT / "fr-en" / "systems").iterdir()):
        name = p.name.replace("newstest2014.", "").replace(".fr-en", "")
        out[name] = [l.rstrip() for l in p.read_text(encoding="utf-8").split("\n")[:3003]]
    return out


def _labels():
    rows = list(csv.DictReader((l for l in LABELS.open(encoding="utf-8") if not l.startswith("#")), delimiter="\t"))
    flagged = LABELS.with_name("wmt14_fren_flagged.tsv")
    if flagged.exists():
        rows += list(csv.DictReader((l for l in flagged.open(encoding="utf-8") if not l.startswith("#")),
                                    delimiter="\t"))
    head = LABELS.open(encoding="utf-8").readline()
    n_sample, n_rest = [int(w) for w in head.split() if w.isdigit()][:2]
    return {(r["system"], int(r["line"]), int(r["offset"])): r for r in rows}, n_sample, n_rest


def fren(threshold: float | None = None) -> None:
    import mt_eval
    labels, n_sample, n_rest = _labels()
    systems = _systems()
    sample_err = sum(1 for r in labels.values() if r["set"] == "sample" and r["label"] == "error")
    rest_err_rate = sample_err / n_sample
    pool_err = sum(1 for r in labels.values() if r["set"] == "pool" and r["label"] == "error")
    flagged_err = sum(1 for r in labels.values() if r["set"] == "flagged" and r["label"] == "error")
    total_err = pool_err + max(rest_err_rate * n_rest, sample_err + flagged_err)
    print(f"WMT14 fr-en, {len(systems)} systems x 3003 segments; labels: {pool_err} errors in the "
          f"candidate pool, {sample_err}/{n_sample} in the random sample of the other {n_rest} tokens "
          f"(estimated errors overall: {total_err:.0f})")
    pool_err_by_half = Counter(_doc_number(k[1]) % 2 for k, r in labels.items()
                               if r["set"] == "pool" and r["label"] == "error")
    print(f"{'setting':28s} {'flags':>6s} {'P(pool)':>8s} {'P':>7s} {'R(est)':>7s} {'F1':>6s}  unlabelled flags"
          f"  (P exact when no flag is unlabelled)")
    for with_source in (True, False):
        frame = _wmt_frame(systems, with_source)
        for context in (True, False):
            opts = {"GN001": {"context": context, "use_source": with_source}}
            if threshold is not None:
                opts["GN001"]["min_confidence"] = threshold
            t0 = time.perf_counter()
            df = mt_eval.check(frame, select=["GN001"], options=opts, show_progress=False)
            secs = time.perf_counter() - t0
            tp_pool = fp_pool = tp_s = fp_s = unl = tp_f = fp_f = 0
            # per half of the documents: [labelled errors, labelled ok, unlabelled, pool errors flagged]
            halves = {0: [0, 0, 0, 0], 1: [0, 0, 0, 0]}
            for f in df.itertuples():
                line = int(frame["line"].iloc[0]) and _line_of(frame, f.doc_id, f.seg_id)
                r = labels.get((f.system, line, int(f.start)))
                h = halves[_doc_number(line) % 2]
                if r is None:
                    h[2] += 1
                else:
                    h[0 if r["label"] == "error" else 1] += 1
                    h[3] += r["set"] == "pool" and r["label"] == "error"
                if r is None:
                    unl += 1
                elif r["set"] == "pool":
                    tp_pool += r["label"] == "error"
                    fp_pool += r["label"] != "error"
                elif r["set"] == "flagged":
                    tp_f += r["label"] == "error"
                    fp_f += r["label"] != "error"
                else:
                    tp_s += r["label"] == "error"
                    fp_s += r["label"] != "error"
            flags_pool = tp_pool + fp_pool
            # Flags outside pool and sample: exact where read by hand (the
            # "flagged" set), otherwise counted as errors at the sample's
            # flagged-error rate (or its base rate when none was flagged).
            rate = tp_s / (tp_s + fp_s) if tp_s + fp_s else rest_err_rate
            p_pool = tp_pool / flags_pool if flags_pool else float("nan")
            if unl == 0:
                labelled = flags_pool + tp_s + fp_s + tp_f + fp_f
                p_est = (tp_pool + tp_s + tp_f) / labelled if labelled else float("nan")
            else:
                p_est = (tp_pool + tp_f + rate * (unl + tp_s + fp_s)) / len(df) if len(df) else float("nan")
            r_est = (tp_pool + max(tp_s * n_rest / n_sample, tp_s + tp_f)) / total_err
            f1 = 2 * p_est * r_est / (p_est + r_est) if p_est + r_est else 0.0
            name = f"{'source' if with_source else 'no source'} + {'context' if context else 'no context'}"
            print(f"{name:28s} {len(df):6d} {p_pool:8.3f} {p_est:7.3f} {r_est:7.3f} {f1:6.3f}  {unl}  ({secs:.0f}s)")
            parts = []
            for half, what in ((0, "even documents (tuning half)"), (1, "odd documents (held out)")):
                err, ok, un, pool_hit = halves[half]
                n_pool = pool_err_by_half[half]
                p_half = err / (err + ok + un) if err + ok + un else float("nan")
                parts.append(f"{what}: P {p_half:.3f}{'' if not un else f' ({un} unlabelled counted as ok)'}"
                             f" R(pool) {pool_hit / n_pool:.3f}")
            print(f"{'':28s} {'; '.join(parts)}")
            _cases[name] = df


_cases: dict[str, pd.DataFrame] = {}
_doc_numbers: dict[int, int] = {}


def _doc_number(line: int) -> int:
    """1-based number of the document of a 1-based line, in file order: the
    even-numbered documents are the tuning half of the labels, the
    odd-numbered ones are held out."""
    if not _doc_numbers:
        order: dict[str, int] = {}
        docs = (WMT / "newstest2014-fren.docids").read_text(encoding="utf-8").split("\n")[:3003]
        for i, d in enumerate(docs, 1):
            _doc_numbers[i] = order.setdefault(d, len(order) + 1)
    return _doc_numbers[line]
_line_cache: dict = {}


def _line_of(frame, doc_id, seg_id):
    if not _line_cache:
        for i, (d, s) in enumerate(zip(frame["doc_id"], frame["seg_id"]), 1):
            _line_cache[(d, s)] = i
    return _line_cache[(doc_id, seg_id)]


def reference() -> None:
    import mt_eval
    ref = [l.rstrip() for l in (WMT / "fr-en" / "newstest2014-fren-ref.en").read_text(encoding="utf-8")
           .split("\n")[:3003]]
    frame = _wmt_frame({"reference": ref}, True)
    df = mt_eval.check(frame, select=["GN001"], show_progress=False)
    print(f"GN001 on the human reference (source + context): {len(df)} flags in {len(ref)} segments")
    for f in df.itertuples():
        line = _line_of(frame, f.doc_id, f.seg_id)
        text = ref[line - 1]
        print(f"  line {line} {f.span_text!r} conf={f.confidence}: ...{text[max(0, f.start - 50):f.end + 30]!r}")


def seed() -> None:
    import mt_eval
    paras = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    frame = pd.DataFrame({"doc_id": "seed", "seg_id": range(1, len(paras) + 1), "source": "",
                          "hypothesis": paras, "src_lang": "fr", "tgt_lang": "en"})
    df = mt_eval.check(frame, select=["GN001"], show_progress=False)
    print(f"seed article (no source): {len(df)} GN001 findings")
    for f in df.itertuples():
        text = paras[f.seg_id - 1]
        print(f"  seg {f.seg_id} [{f.start}:{f.end}] {f.span_text!r} conf={f.confidence}: "
              f"...{text[max(0, f.start - 50):f.end + 30]!r}")


def _gn002_flags(pairs):
    """GN002 findings for (english, french) pairs, through the detector."""
    from mt_eval.detectors.gender.entity_gender import EntityGender
    from mt_eval.detectors.base import Segment
    det = EntityGender()
    from mt_eval import nlp
    nlp.parse("en", list(dict.fromkeys(e for e, _ in pairs)))
    nlp.parse("fr", list(dict.fromkeys(f for _, f in pairs)))
    out = []
    for i, (e, f) in enumerate(pairs):
        seg = Segment("d", i, "s", e, f, src_lang="en", tgt_lang="fr")
        out.append(list(det.check_segment(seg)))
    return out


def mtgeneval() -> None:
    path = DATA / "mtgeneval-en-fr-dev" / "mtgeneval_fr.counterfactual.dev.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    pairs = []
    for r in rows:
        pairs += [(r["en_source"], r["fr_correct"]), (r["en_source"], r["fr_wrong_gender"])]
    t0 = time.perf_counter()
    flags = _gn002_flags(pairs)
    secs = time.perf_counter() - t0
    ok = wrong_flagged = correct_flagged = 0
    by_gender = Counter()
    for k, r in enumerate(rows):
        fc, fw = flags[2 * k], flags[2 * k + 1]
        wrong_flagged += bool(fw)
        correct_flagged += bool(fc)
        hit = bool(fw) and not fc
        ok += hit
        by_gender[(r["source_gender"], hit)] += 1
    n = len(rows)
    print(f"MT-GenEval counterfactual (dev, {n} pairs): wrong-gender flagged and correct not: "
          f"{ok}/{n} = {ok / n:.3f}  (wrong flagged {wrong_flagged / n:.3f}, correct flagged "
          f"{correct_flagged / n:.3f}; {len(pairs) / secs:.0f} segments/s)")
    for g in ("F", "M"):
        tot = by_gender[(g, True)] + by_gender[(g, False)]
        print(f"  source gender {g}: {by_gender[(g, True)]}/{tot} = {by_gender[(g, True)] / max(1, tot):.3f}")


def _winomt_gender(en_sentence: str, entity: str, fr_sentence: str, reader: bool = True):
    """French gender of the WinoMT entity.  ``reader=False``: the gender of
    the noun phrase alone (WinoMT's method).  ``reader=True``: as a reader
    resolves it, taking the French pronoun that translates the English one
    into account (see entity.reader_gender)."""
    from mt_eval import nlp
    from mt_eval.detectors.gender.entity import reader_gender
    fr = nlp.parse("fr", [fr_sentence])[0]
    en = nlp.parse("en", [en_sentence])[0]
    noun = entity.lower().replace("the ", "").strip().split()[-1]
    return reader_gender(en, fr, noun, use_pronoun=reader)


def winomt() -> None:
    base = DATA / "winomt-en-fr"
    human = list(csv.DictReader((base / "human_annotations" / "fr.bing.human_gender_labels.tsv").open(encoding="utf-8"),
                                delimiter="\t"))
    human = [h for h in human if h["human_found_entity"] == "Y"]
    for reader in (True, False):
        agree = 0
        for h in human:
            g = _winomt_gender(h["en_sentence"], h["entity"], h["fr_translation_bing"], reader)
            label = {"M": "m", "F": "f", "N": None}[h["human_gender_in_fr"]]
            agree += g == label
        how = "noun phrase + coreferent pronoun (GN002)" if reader else "noun phrase only (WinoMT's method)"
        print(f"WinoMT human labels (Bing, entity found), {how}: agreement {agree}/{len(human)} = "
              f"{agree / len(human):.3f}")
    gold = [l.rstrip("\n").split("\t") for l in (base / "data" / "aggregates" / "en.txt").open(encoding="utf-8")]
    published = {"google": 63.6, "bing": 44.7, "systran": 45.0}
    for system in ("google", "bing", "systran", "aws", "sota"):
        path = base / "translations" / system / "en-fr.txt"
        if not path.exists():
            continue
        trans = {}
        for line in path.open(encoding="utf-8"):
            if "|||" in line:
                e, f = line.rstrip("\n").split(" ||| ", 1) if " ||| " in line else line.rstrip("\n").split("|||", 1)
                trans.setdefault(e.strip(), f.strip())
        from mt_eval import nlp
        nlp.parse("fr", list(trans.values()))
        correct = total = 0
        for gg, idx, sent, ent in gold:
            f = trans.get(sent.strip())
            if f is None:
                continue
            total += 1
            g = _winomt_gender(sent, ent, f, reader=False)
            correct += g == {"male": "m", "female": "f"}.get(gg, "n")
        pub = f"WinoMT published {published[system]:.1f}%" if system in published else "no published figure"
        print(f"  {system:8s} accuracy (noun phrase gender = gold) {100 * correct / total:5.1f}% over {total} "
              f"sentences ({pub})")


def _pron_offset(a: str, b: str) -> int:
    """Character offset in ``a`` of the first il/elle/ils/elles that differs
    from ``b`` (the pronoun the contrastive pair flips)."""
    import re
    wa = list(re.finditer(r"\w+|[^\w\s]", a))
    wb = list(re.finditer(r"\w+|[^\w\s]", b))
    for x, y in zip(wa, wb):
        if x.group(0) != y.group(0) and x.group(0).lower() in ("il", "elle", "ils", "elles"):
            return x.start()
    return -1


def lopes(limit: int | None = None, margin: float | None = None) -> None:
    import mt_eval
    path = DATA / "pronouns-en-fr-lopes2020" / "lopes2020.pairs.derived.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    if limit:
        rows = rows[:limit]
    recs = []
    for r in rows:
        for kind in ("correct", "contrastive"):
            doc = f"{r['pair_id']}-{kind}"
            recs.append({"doc_id": doc, "seg_id": 1, "source": r["en_context_prev1"],
                         "hypothesis": r["fr_context_prev1"], "src_lang": "en", "tgt_lang": "fr"})
            recs.append({"doc_id": doc, "seg_id": 2, "source": r["en_current"],
                         "hypothesis": r[f"fr_{kind}"], "src_lang": "en", "tgt_lang": "fr"})
    frame = pd.DataFrame(recs)
    opts = {"GN003": {"margin": margin}} if margin is not None else None
    t0 = time.perf_counter()
    df = mt_eval.check(frame, select=["GN003"], options=opts, show_progress=False)
    secs = time.perf_counter() - t0
    hits = defaultdict(set)
    for f in df[df.seg_id == 2].itertuples():
        hits[f.doc_id].update(range(int(f.start), int(f.end)))
    n = ok = wrong_flagged = correct_flagged = 0
    half = len(rows) // 2
    ok_second = 0
    by_pron = Counter()
    for k, r in enumerate(rows):
        oc = _pron_offset(r["fr_correct"], r["fr_contrastive"])
        ow = _pron_offset(r["fr_contrastive"], r["fr_correct"])
        if oc < 0 or ow < 0:
            continue
        n += 1
        fc = oc in hits[f"{r['pair_id']}-correct"]
        fw = ow in hits[f"{r['pair_id']}-contrastive"]
        wrong_flagged += fw
        correct_flagged += fc
        good = fw and not fc
        ok += good
        ok_second += good and k >= half
        by_pron[(r["fr_pronoun_correct"], good)] += 1
    print(f"Lopes et al. 2020 contrastive pairs ({n} pairs with a locatable pronoun): wrong flagged "
          f"and correct not {ok}/{n} = {ok / n:.3f}  (wrong flagged {wrong_flagged / n:.3f}, correct "
          f"flagged {correct_flagged / n:.3f}; second half {ok_second}/{n - half} = "
          f"{ok_second / max(1, n - half):.3f}; {len(frame) / secs:.0f} segments/s)")
    for p in ("il", "elle", "ils", "elles"):
        tot = by_pron[(p, True)] + by_pron[(p, False)]
        print(f"  correct pronoun {p:5s}: {by_pron[(p, True)]}/{tot} = {by_pron[(p, True)] / max(1, tot):.3f}")


def _run2(frame, det):
    from mt_eval.corpus import Corpus
    from mt_eval.detectors.runner import run
    return run(Corpus.from_frame(frame), [det], show_progress=False, workers=2)


def speed() -> None:
    """GN001 on one WMT14 fr-en system (3003 segments), cold parse cache,
    models already loaded (loading is once per process, reported apart)."""
    from mt_eval import nlp
    from mt_eval.detectors.gender.pronoun_leak import PronounForNonPerson
    # Cold means cold: the on-disk parse store would serve earlier runs' parses.
    nlp.use_store(False)
    t0 = time.perf_counter()
    nlp.load("en"), nlp.load("fr")
    load = time.perf_counter() - t0
    systems = _systems()
    one = {"uedin-wmt14.3024": systems["uedin-wmt14.3024"]}
    print(f"pipelines loaded once in {load:.1f}s")
    from machine import speed_line
    print(speed_line())
    for with_source in (False, True):
        nlp.clear_cache()
        frame = _wmt_frame(one, with_source)
        t0 = time.perf_counter()
        _run2(frame, PronounForNonPerson(use_source=with_source))
        secs = time.perf_counter() - t0
        print(f"GN001 {'with' if with_source else 'without'} source: {len(frame)} segments in {secs:.1f}s = "
              f"{len(frame) / secs:.0f} segments/s (cold cache, 2 worker processes)")
    nlp.clear_cache()
    frame = _wmt_frame(systems, True)
    t0 = time.perf_counter()
    _run2(frame, PronounForNonPerson())
    secs = time.perf_counter() - t0
    n = len(frame) * len(systems)
    print(f"GN001 with source, all {len(systems)} systems: {n} segments in {secs:.1f}s = {n / secs:.0f} "
          f"segments/s (the source is parsed once for all systems)")


SECTIONS = {"fren": fren, "reference": reference, "seed": seed, "mtgeneval": mtgeneval, "winomt": winomt, "lopes": lopes, "speed": speed}


def main(argv: list[str]) -> None:
    chosen = argv or list(SECTIONS)
    for name in chosen:
        print(f"== {name}")
        if name == "lopes" and "LOPES_LIMIT" in __import__("os").environ:
            import os
            SECTIONS[name](int(os.environ["LOPES_LIMIT"]), float(os.environ.get("LOPES_MARGIN", "1.0")))
            continue
        SECTIONS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
