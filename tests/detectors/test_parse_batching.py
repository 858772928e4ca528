"""Batched parsing (Detector.prepare) and the on-disk parse store must not
change what the spaCy-based detectors find: compared on a slice of WMT14
fr-en against the per-document parse they replace."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mt_eval import nlp

pytestmark = pytest.mark.skipif(nlp.missing(("en", "fr")) is not None, reason=str(nlp.missing(("en", "fr"))))

SYSTEMS = ["uedin-wmt14.3024", "onlineB.0"]
N_DOCS = 6


@pytest.fixture(scope="module")
def corpus(wmt14):
    from mt_eval import Corpus, read_parallel
    d = wmt14 / "fr-en"
    hyps = {s: str(d / "systems" / f"newstest2014.{s}.fr-en") for s in SYSTEMS}
    for path in hyps.values():
        if not Path(path).exists():
            pytest.skip(f"system output not found: {path}")
    full = read_parallel(src=str(d / "newstest2014-fren-src.fr"), hyps=hyps,
                         refs=[str(d / "newstest2014-fren-ref.en")],
                         docids=str(wmt14 / "newstest2014-fren.docids"), src_lang="fr", tgt_lang="en")
    f = full.frame
    keep = list(dict.fromkeys(f["doc_id"]))[:N_DOCS]
    return Corpus(f[f["doc_id"].isin(keep)].reset_index(drop=True), name="wmt14-slice")


def _rows(result) -> list[str]:
    return [json.dumps(r, sort_keys=True, default=str) for r in result.findings.to_dict("records")]


def _check(corpus):
    from mt_eval.detectors import check_corpus
    return check_corpus(corpus, select=["GN001"], show_progress=False, workers=1)


@pytest.fixture(scope="module")
def per_document(corpus):
    """The findings with each document's texts parsed by themselves (no prepare, no store)."""
    from mt_eval.detectors import Detector
    from mt_eval.detectors.gender.pronoun_leak import PronounForNonPerson
    mp = pytest.MonkeyPatch()
    mp.setattr(PronounForNonPerson, "prepare", Detector.prepare)
    nlp.use_store(False)
    nlp.clear_cache()
    try:
        rows = _rows(_check(corpus))
    finally:
        mp.undo()
        nlp.use_store(None)
    assert rows, "the slice should give GN001 findings, or the comparisons below prove nothing"
    return rows


def test_batched_parse_finds_the_same(corpus, per_document):
    nlp.use_store(False)
    nlp.clear_cache()
    try:
        assert _rows(_check(corpus)) == per_document
    finally:
        nlp.use_store(None)


def test_parse_store_round_trip(corpus, per_document, tmp_path, monkeypatch):
    import spacy.language

    from mt_eval.nlp_store import _V
    nlp.use_store(True, str(tmp_path))
    try:
        nlp.clear_cache()
        assert _rows(_check(corpus)) == per_document
        db = sqlite3.connect(tmp_path / "parses.sqlite3")
        stored = db.execute(f"SELECT COUNT(*) FROM parses_{_V}").fetchone()[0]
        assert stored > 0
        # the second run reads every parse back: a parse would fail
        nlp.clear_cache()
        with monkeypatch.context() as m:
            m.setattr(spacy.language.Language, "pipe", lambda *a, **k: pytest.fail("parsed again"))
            assert _rows(_check(corpus)) == per_document
        # an unreadable entry is parsed again, not trusted
        with db:
            db.execute(f"UPDATE batches_{_V} SET docbin = x'00ff' WHERE id = (SELECT MIN(id) FROM batches_{_V})")
        nlp.clear_cache()
        assert _rows(_check(corpus)) == per_document
        db.close()
    finally:
        nlp.use_store(None)
        nlp.clear_cache()


def test_store_ignores_other_layouts_and_unwritable_files(tmp_path):
    from mt_eval.nlp_store import ParseStore
    en = nlp.load("en")
    db = sqlite3.connect(tmp_path / "parses.sqlite3")
    db.execute("CREATE TABLE parses (pipeline TEXT, key BLOB, doc BLOB)")  # an older layout
    db.close()
    store = ParseStore(tmp_path)
    doc = en("It works.")
    store.put("en_a==1", [doc])
    assert list(store.get("en_a==1", en.vocab, [doc.text])) == [doc.text]
    store.close()
    (tmp_path / "file").write_text("")
    broken = ParseStore(tmp_path / "file")  # a file where the directory should be
    broken.put("en_a==1", [doc])
    assert broken.get("en_a==1", en.vocab, [doc.text]) == {}


def test_store_keys_parses_by_pipeline(tmp_path):
    from mt_eval.nlp_store import ParseStore
    en = nlp.load("en")
    store = ParseStore(tmp_path)
    doc = en("The army said she would act.")
    store.put("en_a==1", [doc])
    assert store.get("en_b==1", en.vocab, [doc.text]) == {}
    back = store.get("en_a==1", en.vocab, [doc.text, "not stored"])
    assert list(back) == [doc.text]
    assert [(t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in back[doc.text]] == \
        [(t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in doc]
    store.close()


@pytest.mark.parametrize("command", ["check", "report", "ci"])
def test_no_parse_cache_flag(command, monkeypatch):
    import argparse

    from mt_eval.cli import _cache
    monkeypatch.delenv("MT_EVAL_CACHE", raising=False)
    p = argparse.ArgumentParser()
    _cache.add_parse_cache_argument(p)
    nlp.use_store(None)
    try:
        _cache.apply_parse_cache_argument(p.parse_args([]))
        assert nlp._store() is not None
        _cache.apply_parse_cache_argument(p.parse_args(["--no-parse-cache"]))
        assert nlp._store() is None
    finally:
        nlp.use_store(None)
    from mt_eval.cli import build_parser
    assert build_parser(command).parse_args([command, "--no-parse-cache"]).parse_cache is False
