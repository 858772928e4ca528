"""Every reader gives the same segment table; bad input gets one clear line."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import mt_eval
from mt_eval.corpus import Corpus
from mt_eval.errors import InputError, UsageError
from mt_eval.readers import load_corpus, read_parallel


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


# -- plain parallel files ----------------------------------------------------

def test_plain_files_with_systems_references_and_docids(tmp_path):
    src = write(tmp_path / "src.fr", "Bonjour.\nMerci.\nAu revoir.\n")
    a = write(tmp_path / "a.en", "Hello.\nThanks.\nBye.\n")
    b = write(tmp_path / "b.en", "Hi.\nThank you.\nGoodbye.\n")
    r1 = write(tmp_path / "r1.en", "Hello.\nThank you.\nGoodbye.\n")
    r2 = write(tmp_path / "r2.en", "Good day.\nThanks.\nSee you.\n")
    ids = write(tmp_path / "docids", "d1\nd1\nd2\n")
    c = read_parallel(src=src, hyps={"A": a, "B": b}, refs=[r1, r2], docids=ids,
                      src_lang="fr", tgt_lang="en")
    f = c.frame
    assert c.systems == ["A", "B"]
    assert f["doc_id"].tolist() == ["d1", "d1", "d2"]
    assert f["seg_id"].tolist() == [1, 2, 1]
    assert f["references"].tolist()[1] == ("Thank you.", "Thanks.")
    assert f["src_lang"].unique().tolist() == ["fr"]
    assert c.location(2, "hyp:B") == (b, 3)
    assert [d.doc_id for d in c.documents()] == ["d1", "d2"]
    long = c.long()
    assert len(long) == 6 and set(long["system"]) == {"A", "B"}


def test_bom_and_crlf_are_handled_silently(tmp_path):
    hyp = write(tmp_path / "h", b"\xef\xbb\xbfOne.\r\nTwo.  \r\n")
    ref = write(tmp_path / "r", "One.\nTwo.\n")
    c = read_parallel(hyps=[hyp], refs=[ref])
    assert c.hypotheses("h") == ["One.", "Two."]
    assert mt_eval.score(c, ["chrf"]).corpus["score"].iloc[0] == 100.0


def test_misaligned_files_name_both_files_and_counts(tmp_path):
    hyp = write(tmp_path / "hyp.txt", "a\nb\nc\n")
    ref = write(tmp_path / "ref.txt", "a\nb\n")
    with pytest.raises(InputError) as e:
        read_parallel(hyps=[hyp], refs=[ref])
    msg = str(e.value)
    assert "ref.txt" in msg and "hyp.txt" in msg and "2 lines" in msg and "has 3" in msg
    assert "\n" not in msg


def test_invalid_utf8_reports_line_and_column(tmp_path):
    hyp = write(tmp_path / "bad.txt", b"fine\nalso fine\nbro\xe9ken\n")
    with pytest.raises(InputError) as e:
        read_parallel(hyps=[hyp])
    assert e.value.line == 3 and e.value.column == 4
    assert str(e.value).startswith(f"{hyp}:3:4: invalid UTF-8")


@pytest.mark.parametrize("content,expected", [(None, "file not found"), ("", "file is empty")])
def test_missing_and_empty_files(tmp_path, content, expected):
    path = tmp_path / "x.txt"
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=expected):
        read_parallel(hyps=[str(path)])


def test_blank_lines_are_blank_segments_not_an_empty_file(tmp_path):
    hyp = write(tmp_path / "h.txt", "\n  \n")
    ref = write(tmp_path / "r.txt", "a b\nc d\n")
    c = read_parallel(hyps={"A": hyp}, refs=[ref])
    assert c.hypotheses("A") == ["", ""]
    for empty in ("", "\n \n"):   # tables and JSON lines need records
        for name in ("c.jsonl", "c.tsv"):
            with pytest.raises(InputError):
                load_corpus(write(tmp_path / name, empty))


def test_wmt_sgml_sides_carry_document_ids(wmt14):
    sgm = wmt14 / "sgm"
    c = read_parallel(src=str(sgm / "newstest2014-fren-src.fr.sgm"), refs=[str(sgm / "newstest2014-fren-ref.en.sgm")],
                      hyps={"ref-as-hyp": str(wmt14 / "fr-en" / "newstest2014-fren-ref.en")})
    txt = (wmt14 / "fr-en" / "newstest2014-fren-src.fr").read_text(encoding="utf-8").splitlines()
    docids = (wmt14 / "newstest2014-fren.docids").read_text().split()
    assert len(c) == 3003
    assert c.sources == [line.rstrip() for line in txt]
    assert c.frame["doc_id"].tolist() == docids


# -- TSV / CSV -------------------------------------------------------------

def test_tsv_long_shape_pivots_systems(tmp_path):
    path = write(tmp_path / "c.tsv", "doc_id\tseg_id\tsystem\tsource\treference\thypothesis\tdomain\n"
                                     "d\t1\tA\tun\tone\tone\tnews\n"
                                     "d\t1\tB\tun\tone\tuno\tnews\n"
                                     "d\t2\tA\tdeux\ttwo\ttwo\tnews\n"
                                     "d\t2\tB\tdeux\ttwo\tdos\tnews\n")
    c = load_corpus(path)
    assert c.systems == ["A", "B"]
    assert c.hypotheses("B") == ["uno", "dos"]
    assert c.frame["domain"].tolist() == ["news", "news"]
    assert c.location(1, "hyp:A") == (path, 4)


def test_csv_wide_shape_with_quoting_and_several_refs(tmp_path):
    path = write(tmp_path / "c.csv", 'src,ref:a,ref:b,hyp:X,lp\n'
                                     '"Bonjour, toi",Hello you,"Hi, you","Hello, you",fr-en\n')
    c = load_corpus(path)
    assert c.frame.loc[0, "references"] == ("Hello you", "Hi, you")
    assert c.hypotheses("X") == ["Hello, you"]
    assert (c.frame.loc[0, "src_lang"], c.frame.loc[0, "tgt_lang"]) == ("fr", "en")


def test_tsv_row_with_wrong_field_count(tmp_path):
    path = write(tmp_path / "c.tsv", "source\thypothesis\na\tb\nonly-one\n")
    with pytest.raises(InputError) as e:
        load_corpus(path)
    assert (e.value.line, "expected 2 fields") == (3, "expected 2 fields") and "found 1" in str(e.value)


def test_long_shape_with_a_system_missing_a_segment(tmp_path):
    path = write(tmp_path / "c.tsv", "seg_id\tsystem\thypothesis\n1\tA\tx\n2\tA\ty\n1\tB\tz\n")
    with pytest.raises(InputError, match="system 'B' has no hypothesis .* seg_id=2"):
        load_corpus(path)


def test_tsv_without_text_columns(tmp_path):
    path = write(tmp_path / "c.tsv", "foo\tbar\n1\t2\n")
    with pytest.raises(InputError, match="header names no text column"):
        load_corpus(path)


# -- JSONL -------------------------------------------------------------------

def test_jsonl_with_hypotheses_object_and_variable_references(tmp_path):
    lines = [{"doc_id": "a", "source": "x", "references": ["r1", "r2"], "hypotheses": {"S": "h1", "T": "t1"}},
             {"doc_id": "a", "source": "y", "references": ["r3"], "hypotheses": {"S": "h2", "T": "t2"}, "extra": 5}]
    path = write(tmp_path / "c.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    c = load_corpus(path)
    assert c.references == [("r1", "r2"), ("r3",)]
    assert c.systems == ["S", "T"]
    assert c.frame["extra"].tolist()[1] == 5


@pytest.mark.parametrize("second,line,missing", [
    ({"source": "y"}, 2, "S"),                               # no hypotheses at all
    ({"source": "y", "hypotheses": {"T": "t2"}}, 1, "T"),     # S on line 1 only, T on line 2 only
])
def test_jsonl_a_missing_system_is_an_error_not_an_empty_translation(tmp_path, second, line, missing):
    rows = [{"source": "x", "hypotheses": {"S": "h1"}}, second]
    path = write(tmp_path / "c.jsonl", "\n".join(json.dumps(x) for x in rows) + "\n")
    with pytest.raises(InputError, match=f":{line}: no hypothesis for system '{missing}'"):
        load_corpus(path)
    ok = write(tmp_path / "ok.jsonl", '{"source": "x", "hypotheses": {"S": "h"}}\n{"source": "y", "hypotheses": {"S": ""}}\n')
    assert load_corpus(ok).hypotheses("S") == ["h", ""]


def test_jsonl_null_hypothesis_is_named(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"source": "x", "hypotheses": {"A": null}}\n')
    with pytest.raises(InputError, match=r":1: 'hypotheses': system 'A' has null, not a string"):
        load_corpus(path)


def test_jsonl_syntax_error_has_line_and_column(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"source": "a", "hypothesis": "b"}\n{"source": "a", hypothesis}\n')
    with pytest.raises(InputError) as e:
        load_corpus(path)
    assert e.value.line == 2 and e.value.column is not None


def test_jsonl_wrong_types(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"source": "a", "references": [1, 2], "hypothesis": "b"}\n')
    with pytest.raises(InputError, match=":1: 'references' must be a string or a list of strings"):
        load_corpus(path)


# -- WMT XML -------------------------------------------------------------

WMT_XML = """<?xml version="1.0" encoding="utf-8"?>
<dataset id="t">
 <collection id="general">
  <doc id="d1" origlang="fr">
   <src lang="fr"><p><seg id="1">Un.</seg><seg id="2">Deux &amp; trois.</seg></p></src>
   <ref lang="en" translator="A"><p><seg id="1">One.</seg><seg id="2">Two &amp; three.</seg></p></ref>
   <ref lang="en" translator="B"><p><seg id="1">One!</seg></p></ref>
   <hyp system="S" lang="en"><p><seg id="1">One.</seg><seg id="2">Two and three.</seg></p></hyp>
  </doc>
  <doc id="d2" origlang="fr">
   <src lang="fr"><p><seg id="1">Sans référence.</seg></p></src>
   <hyp system="S" lang="en"><p><seg id="1">Without reference.</seg></p></hyp>
  </doc>
 </collection>
</dataset>
"""


def test_wmt_xml_keeps_every_segment(tmp_path):
    path = write(tmp_path / "t.xml", WMT_XML)
    c = load_corpus(path)
    assert len(c) == 3
    assert c.references == [("One.", "One!"), ("Two & three.",), ()]
    assert c.hypotheses("S")[1] == "Two and three."
    assert c.frame["src_lang"].tolist() == ["fr"] * 3 and c.frame["tgt_lang"].tolist() == ["en"] * 3
    assert c.location(1, "hyp:S") == (path, 8)
    r = mt_eval.score(c, ["bleu"])
    row = r.corpus.iloc[0]
    assert (row["n_segments"], row["n_scored"]) == (3, 2)
    assert r.segments["BLEU"].isna().tolist() == [False, False, True]
    assert "nrefs:var" in row["signature"]


@pytest.mark.parametrize("text,fragment", [
    (WMT_XML.replace("</dataset>", ""), "malformed XML"),
    (WMT_XML.replace('<seg id="2">Two and', '<seg id="9">Two and'), "system 'S' has segment 9"),
    (WMT_XML.replace('<hyp system="S" lang="en"><p><seg id="1">Without', '<hyp lang="en"><p><seg id="1">Without'),
     "without a system attribute"),
    ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><dataset/>', "entity declarations"),
])
def test_wmt_xml_errors(tmp_path, text, fragment):
    path = write(tmp_path / "t.xml", text)
    with pytest.raises(InputError, match=fragment) as e:
        load_corpus(path)
    assert e.value.path == path and e.value.line is not None


# -- the corpus model --------------------------------------------------------

def test_from_frame_accepts_users_dataframes():
    long = pd.DataFrame({"system": ["A", "B", "A", "B"], "seg_id": [1, 1, 2, 2],
                         "source": ["s1", "s1", "s2", "s2"], "reference": ["r1", "r1", "r2", "r2"],
                         "hypothesis": ["a1", "b1", "a2", "b2"]})
    c = Corpus.from_frame(long)
    assert c.systems == ["A", "B"] and c.references == [("r1",), ("r2",)]
    r = mt_eval.score(long, ["chrf"])
    assert set(r.corpus["system"]) == {"A", "B"}


def test_unknown_system_and_metric_are_usage_errors(tmp_path):
    c = Corpus.from_frame(pd.DataFrame({"hypothesis": ["a"], "reference": ["a"]}))
    with pytest.raises(UsageError, match="unknown system 'nope'"):
        mt_eval.score(c, systems=["nope"])
    with pytest.raises(UsageError, match="unknown metric 'blue'"):
        mt_eval.score(c, ["blue"])
    with pytest.raises(UsageError, match="^BLEU needs references"):
        mt_eval.score(Corpus.from_frame(pd.DataFrame({"hypothesis": ["a"]})), ["bleu"])
    with pytest.raises(UsageError, match="^BLEU, TER need references"):
        mt_eval.score(Corpus.from_frame(pd.DataFrame({"hypothesis": ["a"]})), ["bleu", "ter"])


def test_unknown_languages_are_none_whatever_the_frame_says():
    # A language column read from CSV has NaN (or "") where a page's language
    # was not identified; detectors must see None, not a float.
    frame = pd.DataFrame({"hypothesis": ["Exit mobile version", "Bonjour", "Hi"],
                          "src_lang": ["fr", float("nan"), " "],
                          "tgt_lang": [float("nan"), "fr", None]})
    c = Corpus.from_frame(frame)
    assert list(c.frame["src_lang"]) == ["fr", None, None]
    assert list(c.frame["tgt_lang"]) == [None, "fr", None]
    assert len(mt_eval.check(c)) >= 1


def test_dataframe_numbers_are_text_and_never_dropped():
    df = pd.DataFrame({"reference": ["The meeting is at noon", 2024, 12.0], "hypothesis": ["x", 2024, 12.0]})
    c = Corpus.from_frame(df)
    assert c.references == [("The meeting is at noon",), ("2024",), ("12",)]
    assert c.hypotheses("hyp") == ["x", "2024", "12"]
    assert mt_eval.score(c, ["chrf"]).corpus["n_scored"].tolist() == [3]


def test_long_dataframe_nan_is_an_empty_translation_and_rows_are_positions():
    long = pd.DataFrame({"doc_id": ["d"] * 4, "seg_id": [1, 2, 1, 2], "system": ["A", "A", "B", "B"],
                         "hypothesis": ["a b", float("nan"), "x", "y"]}, index=[7, 8, 9, 10])
    assert Corpus.from_frame(long).hypotheses("A") == ["a b", ""]
    dup = pd.DataFrame({"doc_id": ["d"] * 3, "seg_id": [1, 1, 2], "system": ["A"] * 3,
                        "hypothesis": ["a", "b", "c"]}, index=[100, 200, 300])
    with pytest.raises(InputError, match=r"^row 2: system 'A' has two hypotheses for doc_id='d' seg_id=1$"):
        Corpus.from_frame(dup)
