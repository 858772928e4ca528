"""Statistics cache (incremental re-scoring, invalidation) and the Dask
backend on a LocalCluster with several workers."""
from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

import mt_eval
from mt_eval.engine import FastEngine, StatsCache, make_engine
from mt_eval.engine import local as local_engine
from mt_eval.errors import UsageError
from mt_eval.metrics import build_metric

from shared_data import WMT14

DATA = WMT14
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"WMT14 data not found at {DATA}")


def _wmt(n: int, n_systems: int = 2):
    ref = (DATA / "fr-en" / "newstest2014-fren-ref.en").read_text(encoding="utf-8").split("\n")[:n]
    systems = sorted((DATA / "fr-en" / "systems").iterdir())[:n_systems]
    return ref, [p.read_text(encoding="utf-8").split("\n")[:n] for p in systems]


class CountingEngine(FastEngine):
    """Records how many segments were actually computed."""

    def __init__(self, **kw):
        super().__init__(workers=1, **kw)
        self.computed = 0

    def _run(self, spec, hyps_by_system, refs, idx, progress):
        self.computed += len(idx)
        yield from super()._run(spec, hyps_by_system, refs, idx, progress)


def _stats(engine, name, hyps, refs, **options):
    m = build_metric(name, **options)
    m.engine = engine
    m.prepare([refs])
    return m.segment_statistics(hyps)


@needs_data
def test_rescoring_computes_only_changed_segments(tmp_path):
    ref, (hyps, _) = _wmt(300)
    cold = CountingEngine(cache=StatsCache(tmp_path))
    first = _stats(cold, "chrf", hyps, ref)
    assert cold.computed == 300
    edited = list(hyps)
    edited[10] = edited[10] + " extra words"
    edited[200] = ""
    warm = CountingEngine(cache=StatsCache(tmp_path))
    second = _stats(warm, "chrf", edited, ref)
    assert warm.computed == 2
    fresh = _stats(FastEngine(workers=1), "chrf", edited, ref)
    np.testing.assert_array_equal(second, fresh)
    assert not np.array_equal(second[10], first[10])
    np.testing.assert_array_equal(np.delete(second, [10, 200], 0), np.delete(first, [10, 200], 0))


@needs_data
def test_cache_is_invalidated_by_options_references_and_version(tmp_path, monkeypatch):
    ref, (hyps, _) = _wmt(100)
    eng = CountingEngine(cache=StatsCache(tmp_path))
    _stats(eng, "bleu", hyps, ref)
    assert eng.computed == 100
    # smoothing does not change statistics: reused
    _stats(eng, "bleu", hyps, ref, smooth_method="floor")
    assert eng.computed == 100
    # tokenizer, lowercase: recomputed
    _stats(eng, "bleu", hyps, ref, tokenize="intl")
    _stats(eng, "bleu", hyps, ref, lowercase=True)
    assert eng.computed == 300
    # one reference changed: that segment only
    ref2 = list(ref)
    ref2[5] = "A different reference."
    _stats(eng, "bleu", hyps, ref2)
    assert eng.computed == 301
    # chrF and chrF++ never share rows; neither do chrF with another beta
    _stats(eng, "chrf", hyps, ref)
    _stats(eng, "chrf++", hyps, ref)
    _stats(eng, "chrf", hyps, ref, beta=1)
    assert eng.computed == 601
    # a different sacrebleu version invalidates everything
    import sacrebleu
    monkeypatch.setattr(sacrebleu, "__version__", "9.9.9")
    _stats(eng, "bleu", hyps, ref)
    assert eng.computed == 701


def test_corrupt_cache_row_is_recomputed(tmp_path):
    cache = StatsCache(tmp_path)
    eng = CountingEngine(cache=cache)
    hyps, refs = ["a b c", "d e"], ["a b", "d e f"]
    expect = _stats(eng, "chrf", hyps, refs)
    db = cache._conn()
    with db:
        db.execute("UPDATE stats SET row = x'00'")
    again = CountingEngine(cache=StatsCache(tmp_path))
    np.testing.assert_array_equal(_stats(again, "chrf", hyps, refs), expect)
    assert again.computed == 2


def test_no_cache_and_env_opt_out(tmp_path, monkeypatch):
    monkeypatch.setenv("MT_EVAL_CACHE_DIR", str(tmp_path / "c"))
    eng = make_engine("fast", cache=False)
    assert eng.cache is None
    monkeypatch.setenv("MT_EVAL_CACHE", "0")
    assert make_engine("fast").cache is None
    monkeypatch.delenv("MT_EVAL_CACHE")
    eng = make_engine("fast")
    assert eng.cache.directory == tmp_path / "c"
    assert make_engine("sacrebleu") is None
    with pytest.raises(UsageError):
        make_engine("fast", scheduler="tcp://x:1")
    with pytest.raises(UsageError):
        make_engine("gpu")


def test_cli_cache_flags(tmp_path, capsys):
    from mt_eval.cli import main
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("the cat sat on the mat\nhello world\n", encoding="utf-8")
    ref.write_text("the cat is on the mat\nhello there world\n", encoding="utf-8")
    args = ["score", "--hyp", str(hyp), "--ref", str(ref), "-m", "bleu", "chrf", "ter", "--format", "json"]
    assert main(args + ["--cache-dir", str(tmp_path / "cache")]) == 0
    with_cache = capsys.readouterr().out
    assert (tmp_path / "cache" / "statistics.sqlite3").is_file()
    assert main(args + ["--no-cache", "--cache-dir", str(tmp_path / "other")]) == 0
    assert capsys.readouterr().out == with_cache
    assert not (tmp_path / "other").exists()
    assert main(args + ["--engine", "sacrebleu"]) == 0
    assert capsys.readouterr().out == with_cache


@needs_data
def test_dask_local_cluster_identical():
    pytest.importorskip("dask.distributed")
    ref, systems = _wmt(240, 2)
    frame = {"references": [(r,) for r in ref]}
    for k, hyps in enumerate(systems):
        frame[f"hyp:s{k}"] = hyps
    corpus = mt_eval.Corpus(pd.DataFrame(frame))
    metrics = ["bleu", "chrf++", "ter"]
    eng = make_engine("dask", workers=3, cache=False)
    try:
        assert len(eng.client.scheduler_info()["workers"]) == 3
        from mt_eval.engine import dask_backend
        old = dict(dask_backend.DASK_CHUNK)
        dask_backend.DASK_CHUNK.update({k: 50 for k in old})  # several partitions per worker
        try:
            dist = mt_eval.score(corpus, metrics, engine=eng, confidence=True)
        finally:
            dask_backend.DASK_CHUNK.update(old)
    finally:
        eng.close()
    ref_run = mt_eval.score(corpus, metrics, engine="sacrebleu", confidence=True)
    pd.testing.assert_frame_equal(dist.corpus, ref_run.corpus)
    pd.testing.assert_frame_equal(dist.segments, ref_run.segments)
    for key, st in ref_run.stats.items():
        np.testing.assert_array_equal(dist.stats[key], st)


def test_dask_bad_scheduler_is_a_usage_error():
    pytest.importorskip("dask.distributed")
    import dask
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        with pytest.raises(UsageError, match="Dask scheduler"):
            make_engine("dask", scheduler="tcp://127.0.0.1:1", cache=False)


def test_dask_in_a_script_without_main_guard_is_one_clear_error(tmp_path):
    pytest.importorskip("dask.distributed")
    import subprocess
    import sys
    script = tmp_path / "unguarded.py"
    script.write_text("import pandas as pd, mt_eval\n"
                      "df = pd.DataFrame({'hypothesis': ['a b'], 'reference': ['a c']})\n"
                      "mt_eval.score(df, ['chrf'], engine='dask', workers=1)\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=240)
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].startswith("mt_eval.errors.UsageError: the local Dask cluster did not start")
    assert 'if __name__ == "__main__":' in proc.stderr.strip().splitlines()[-1]


def test_pool_chunks_in_order(monkeypatch):
    """Many small chunks through two worker processes come back in order."""
    monkeypatch.setitem(local_engine.SERIAL_BELOW, "chrf", 0)
    monkeypatch.setitem(local_engine.CHUNK, "chrf", 7)
    rng = np.random.default_rng(1)
    words = ["alpha", "beta", "gamma", "delta", "(x)", "y.", "ζ"]
    hyps = [" ".join(rng.choice(words, rng.integers(0, 9))) for _ in range(200)]
    refs = [" ".join(rng.choice(words, rng.integers(1, 9))) for _ in range(200)]
    with FastEngine(workers=2) as eng:
        par = _stats(eng, "chrf", hyps, refs)
    ser = _stats(FastEngine(workers=1), "chrf", hyps, refs)
    from sacrebleu.metrics import CHRF
    np.testing.assert_array_equal(par, ser)
    np.testing.assert_array_equal(par, np.array(CHRF()._extract_corpus_statistics(hyps, [refs])))
