"""The bundled demo corpora: structure, alignment, and the seed kept verbatim.

The demo (`make demo`) and the detector tables in ``corpora/README.md`` rely
on these files; a careless edit (a dropped segment, a renumbered id, a
"tidied" seed) would silently change what the demo shows.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import mt_eval

from shared_data import SEED, need

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "corpora"

EXPECTED = {
    "news-fr-en.xml": dict(
        langs=("fr", "en"),
        systems=["scraped-mt", "careful-mt"],
        docs=["mali-kidal", "vernolles-tram", "armorel-results", "hpv-vaccination", "handball-cup"],
    ),
    "news-en-fr.xml": dict(
        langs=("en", "fr"),
        systems=["mt-a", "mt-b"],
        docs=["hospital-night-shifts", "ring-road-reopens"],
    ),
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def corpus_file(request):
    path = CORPORA / request.param
    return request.param, path, mt_eval.load_corpus(str(path))


def _raw_sides(path: Path) -> dict[str, dict[str, dict[int, str]]]:
    """doc id -> side label -> {seg id: text}, read independently of mt_eval."""
    root = etree.parse(str(path)).getroot()
    out = {}
    for doc in root.iter("doc"):
        sides = {}
        for side in doc:
            label = {"src": "src", "ref": f"ref:{side.get('translator')}"}.get(
                side.tag, f"hyp:{side.get('system')}")
            sides[label] = {int(s.get("id")): s.text or "" for s in side.iter("seg")}
        out[doc.get("id")] = sides
    return out


def test_documents_systems_and_languages(corpus_file):
    name, _, corpus = corpus_file
    exp = EXPECTED[name]
    assert corpus.frame["doc_id"].unique().tolist() == exp["docs"]
    assert corpus.systems == exp["systems"]
    assert set(corpus.frame["src_lang"]) == {exp["langs"][0]}
    assert set(corpus.frame["tgt_lang"]) == {exp["langs"][1]}
    for doc in corpus.documents():
        assert 4 <= len(doc.frame) <= 14, doc.doc_id


def test_every_segment_read_and_ids_aligned(corpus_file):
    _, path, corpus = corpus_file
    raw = _raw_sides(path)
    assert len(corpus) == sum(len(sides["src"]) for sides in raw.values())
    for doc_id, sides in raw.items():
        n = len(sides["src"])
        assert sorted(sides["src"]) == list(range(1, n + 1)), doc_id
        rows = corpus.frame[corpus.frame["doc_id"] == doc_id]
        assert rows["seg_id"].tolist() == list(range(1, n + 1))
        assert rows["source"].tolist() == [sides["src"][i] for i in range(1, n + 1)]
        for label, segs in sides.items():
            if label.startswith("hyp:"):
                assert sorted(segs) == list(range(1, n + 1)), (doc_id, label)
                assert rows[label].tolist() == [segs[i] for i in range(1, n + 1)]
            elif label.startswith("ref:"):
                # A reference may leave a segment out (boilerplate); then the
                # row carries no reference at all.
                assert set(segs) <= set(range(1, n + 1))
                got = rows["references"].tolist()
                for i in range(1, n + 1):
                    assert got[i - 1] == ((segs[i],) if i in segs else ()), (doc_id, i)


def test_no_segment_has_stray_whitespace_and_refs_are_not_copies(corpus_file):
    _, _, corpus = corpus_file
    f = corpus.frame
    for col in ["source"] + [f"hyp:{s}" for s in corpus.systems]:
        for text in f[col]:
            assert text == text.strip() and "\n" not in text, (col, text)
    for system in corpus.systems:
        for hyp, refs in zip(f[f"hyp:{system}"], f["references"]):
            assert hyp not in refs, (system, hyp)


def test_unreferenced_rows_are_counted_not_dropped():
    corpus = mt_eval.load_corpus(str(CORPORA / "news-fr-en.xml"))
    f = corpus.frame
    unref = f[f["references"].map(len) == 0]
    assert list(zip(unref["doc_id"], unref["seg_id"])) == [
        ("mali-kidal", 14), ("vernolles-tram", 7), ("armorel-results", 5), ("armorel-results", 7)]
    last = f[(f["doc_id"] == "mali-kidal") & (f["seg_id"] == 14)].iloc[0]
    assert last["source"] == "" and last["hyp:scraped-mt"] == "Exit mobile version"
    assert last["hyp:careful-mt"] == ""
    result = mt_eval.score(corpus, metrics=["chrf"])
    assert set(result.corpus["n_segments"]) == {len(f)} == {40}
    assert set(result.corpus["n_scored"]) == {len(f) - len(unref)}


def test_scraped_mt_is_the_seed_verbatim():
    seed = need(SEED).read_text(encoding="utf-8")
    corpus = mt_eval.load_corpus(str(CORPORA / "news-fr-en.xml"))
    mali = corpus.frame[corpus.frame["doc_id"] == "mali-kidal"]
    assert mali["hyp:scraped-mt"].tolist() == seed.split("\n\n")
    assert "\n\n".join(mali["hyp:scraped-mt"]) == seed
