"""Findings formatters: text, JSON, JSONL, CSV and Google-MQM TSV."""
import csv
import io
import json

import pandas as pd
import pytest

from mt_eval.corpus import Corpus
from mt_eval.detectors.runner import check_corpus
from mt_eval.formatters import findings_formatters, get_formatter
from mt_eval.formatters.terminal import excerpt

from shared_data import DATA



@pytest.fixture(scope="module")
def result():
    frame = pd.DataFrame([
        {"doc_id": "a", "seg_id": 1, "source": "L'armée a pris Kidal le 14 novembre.",
         "hyp:mt": "The army took Kidal on November 14. . It was Tuesday.", "src_lang": "fr", "tgt_lang": "en"},
        {"doc_id": "a", "seg_id": 2, "source": "Aucun commentaire.", "hyp:mt": "No comment.",
         "src_lang": "fr", "tgt_lang": "en"},
        {"doc_id": "a", "seg_id": 3, "source": "Quitter la version mobile", "hyp:mt": "Exit mobile version",
         "src_lang": "fr", "tgt_lang": "en"},
    ])
    return check_corpus(Corpus(frame), select=["SG001", "BP"])


def render(result, name, color=False):
    out = io.StringIO()
    get_formatter(name).write(result, out, color=color)
    return out.getvalue()


def test_registry_lists_the_formats():
    assert {"text", "json", "jsonl", "csv", "mqm"} <= set(findings_formatters())


def test_text_marks_the_span(result):
    text = render(result, "text")
    lines = text.splitlines()
    i = next(k for k, l in enumerate(lines) if "SG001" in l)
    shown, carets = lines[i + 1], lines[i + 2]
    col = carets.index("^")
    assert shown[col:col + 3] == ". ." and carets.count("^") == 3
    assert "\x1b[" not in text
    assert "\x1b[" in render(result, "text", color=True)
    assert "BP002" in text and "(source)" in text
    assert "2 findings" in text


def test_carets_sit_under_the_span_after_wide_characters():
    frame = pd.DataFrame([{"doc_id": "a", "seg_id": 1, "hyp:mt": "東京 e\u0301 🎉 It ended. . Next."}])
    out = render(check_corpus(Corpus(frame), select=["SG001"]), "text").splitlines()
    i = next(k for k, l in enumerate(out) if "SG001" in l)
    shown, carets = out[i + 1][5:], out[i + 2][5:]
    # 東京 and 🎉 take two columns each, the combining accent none
    assert carets.index("^") == shown.index(". .") + 3 - 1 and carets.count("^") == 3


def test_excerpt_windows_long_lines():
    text = "x" * 500 + "SPAN" + "y" * 500
    line, s, e = excerpt(text, 500, 504, width=60)
    assert line[s:e] == "SPAN" and len(line) <= 64 and line.startswith("…") and line.endswith("…")


def test_json_and_jsonl_agree(result):
    doc = json.loads(render(result, "json"))
    assert doc["summary"]["findings"] == 2
    rows = [json.loads(l) for l in render(result, "jsonl").splitlines()]
    assert [r["code"] for r in rows] == [f["code"] for f in doc["findings"]]
    sg = next(f for f in doc["findings"] if f["code"] == "SG001")
    assert sg["span_text"] == ". ." and sg["start"] == 34 and sg["severity"] == "minor"


def test_csv_round_trips(result):
    rows = list(csv.DictReader(io.StringIO(render(result, "csv"))))
    assert {r["code"] for r in rows} == {"SG001", "BP002"}
    assert all(r["type"] == "finding" for r in rows)


def test_mqm_tsv_matches_google_format(result):
    text = render(result, "mqm")
    lines = text.rstrip("\n").split("\n")
    header = lines[0].split("\t")
    google = DATA / "mqm-ted-ende" / "mqm_ted_ende.tsv"
    if google.exists():
        with open(google, encoding="utf-8") as fh:
            assert header == fh.readline().rstrip("\n").split("\t")
    rows = [dict(zip(header, l.split("\t"))) for l in lines[1:]]
    assert all(len(l.split("\t")) == len(header) for l in lines[1:])
    sg = next(r for r in rows if r["comment"].startswith("SG001"))
    assert "November 14<v>. .</v> It was" in sg["target"]
    assert sg["category"] == "Fluency/Punctuation" and sg["severity"] == "Minor"
    bp = next(r for r in rows if r["comment"].startswith("BP002"))
    assert bp["source"] == "<v>Quitter la version mobile</v>" and bp["target"] == "Exit mobile version"
    clean = [r for r in rows if r["category"] == "No-error"]
    assert [r["seg_id"] for r in clean] == ["2"] and clean[0]["doc_id"] == "2"


def _written(path, rec):
    from mt_eval.formatters.base import _ESCAPES
    line = path.read_text(encoding="utf-8").split("\n")[rec["line"] - 1][rec["column"] - 1:]
    return any(line.startswith(e(rec["span_text"])) for e in _ESCAPES)


@pytest.mark.parametrize("name,content", [
    ("c.jsonl", '{"doc_id": "a", "source": "Quitter", "hypothesis": "A \\"quoted\\" line\\nThe the end. . x"}\n'
                '{"doc_id": "a", "source": "x", "hypothesis": "Exit mobile version"}\n'),
    ("c.tsv", "doc_id\tsource\thypothesis\na\tthe end. . x\tA & b < c: the the end. . x\n"
              "a\tx\tExit mobile version\n"),
    ("c.csv", 'doc_id,source,hypothesis\na,"Le ""mot""","He said ""yes"". . The the end"\na,x,Exit mobile version\n'),
    ("c.xml", '<?xml version="1.0" encoding="utf-8"?>\n<dataset id="t"><collection id="c"><doc id="a">\n'
              '<src lang="fr"><p><seg id="1">x</seg><seg id="2">y</seg></p></src>\n'
              '<hyp system="mt" language="en"><p>\n  <seg id="1">A &amp; b &lt; c: the the end. . x</seg>\n'
              '  <seg id="2">Exit mobile version</seg></p></hyp></doc></collection></dataset>\n'),
])
def test_file_columns_point_at_the_span_as_written(tmp_path, name, content):
    from mt_eval.formatters.base import records
    from mt_eval.readers import load_corpus
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    res = check_corpus(load_corpus(str(path)), select=["SG001", "RP001", "BP001"], show_progress=False)
    recs = [r for r in records(res) if r["type"] == "finding" and r["side"] == "hypothesis"]
    assert {r["code"] for r in recs} >= {"SG001", "RP001"}
    for r in recs:
        assert r["file"] == str(path) and r["column"] is not None, r
        assert _written(path, r), r
        if name == "c.tsv":     # the source column holds the same ". ." before it
            row = content.split("\n")[r["line"] - 1]
            assert r["column"] > row.rindex("\t") + 1, r
