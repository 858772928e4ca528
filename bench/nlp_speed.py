"""Parse speed of the spaCy pipelines, stock vs with mt_eval.nlp_speed.

    PYTHONPATH=. python bench/nlp_speed.py [rounds] [texts]

Parses the first ``texts`` (3,000) WMT14 French sources and English
references the way ``mt_eval.nlp.parse`` does (numpy BLAS, one BLAS thread,
``nlp.pipe`` in batches of 64), with the stock pipeline and the sped-up one
in turn, ``rounds`` (3) times, and prints the best and the median wall and
CPU seconds of each.  Every round loads fresh pipelines, so that neither side profits from
what an earlier round left in its caches: the figures are for text the
process has not parsed before.  Prints bench/machine.py's reading too.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import speed_line  # noqa: E402
from shared_data import WMT14  # noqa: E402


def _texts(lang: str, n: int) -> list[str]:
    name = "newstest2014-fren-src.fr" if lang == "fr" else "newstest2014-fren-ref.en"
    return (WMT14 / "fr-en" / name).read_text(encoding="utf-8").split("\n")[:n]


def _fresh(lang: str, quick: bool):
    import spacy
    from mt_eval import nlp
    from mt_eval.nlp_speed import speed_up
    pipeline = spacy.load(nlp._find_model(lang))
    if quick:
        speed_up(pipeline)
    return pipeline


def main(rounds: int = 3, n: int = 3000) -> None:
    from mt_eval import nlp
    nlp._numpy_blas()
    print(speed_line(), flush=True)
    runs: dict = {}
    for r in range(rounds):
        for lang in ("en", "fr"):
            texts = _texts(lang, n)
            for quick in ((False, True) if r % 2 == 0 else (True, False)):
                pipeline = _fresh(lang, quick)
                with nlp._one_blas_thread():
                    wall, cpu = time.perf_counter(), time.process_time()
                    for _ in pipeline.pipe(texts, batch_size=64):
                        pass
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                label = "sped-up" if quick else "stock"
                print(f"round {r + 1} {lang} {label:8s} wall {wall:6.2f} s  cpu {cpu:6.2f} s", flush=True)
                runs.setdefault((lang, quick), []).append((wall, cpu))
    for name, pick in (("best", min), ("median", statistics.median)):
        print(f"{name} of {rounds}, {n} texts per language:")
        for lang in ("en", "fr"):
            (sw, sc), (qw, qc) = ((pick(w for w, _ in runs[(lang, q)]), pick(c for _, c in runs[(lang, q)]))
                                  for q in (False, True))
            print(f"  {lang}: stock wall {sw:.2f} s cpu {sc:.2f} s; sped-up wall {qw:.2f} s cpu {qc:.2f} s; "
                  f"wall -{1 - qw / sw:.0%} ({sw / qw:.2f}x), cpu -{1 - qc / sc:.0%} ({sc / qc:.2f}x)")
    print(speed_line())


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
