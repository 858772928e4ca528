"""`mt-eval score` as a user runs it."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pandas as pd
import pytest


@pytest.fixture
def files(tmp_path):
    def w(name, lines):
        p = tmp_path / name
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(p)
    ref = w("ref.en", ["The army captured the town.", "It said it had taken steps.", "Calm returned."])
    a = w("a.en", ["The army captured the town.", "She said she had taken steps.", "Calm returned."])
    b = w("b.en", ["Army took the city.", "It said that steps were taken.", "The calm came back."])
    src = w("src.fr", ["L'armée a pris la ville.", "Elle a dit avoir pris des mesures.", "Le calme est revenu."])
    return {"ref": ref, "a": a, "b": b, "src": src, "dir": tmp_path}


def test_text_table_lists_systems_metrics_and_signatures(cli, files):
    code, out, err = cli("score", "--src", files["src"], "--hyp", f"A={files['a']}", "--hyp", f"B={files['b']}",
                         "--ref", files["ref"], "-m", "bleu", "chrf", "chrf++", "ter")
    assert code == 0, err
    assert out.splitlines()[0].split() == ["system", "BLEU", "chrF2", "chrF2++", "TER"]
    assert any(line.startswith("A ") for line in out.splitlines())
    assert "chrF2++: nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:" in out
    assert "TER: nrefs:1|case:lc|tok:tercom" in out and "lower is better" in out
    assert err == ""  # no progress bar when stderr is not a terminal


def test_json_csv_tsv_and_sentence_level(cli, files):
    code, out, _ = cli("score", "--hyp", files["a"], "--ref", files["ref"], "-f", "json", "-sl", "-m", "chrf")
    doc = json.loads(out)
    assert doc["corpus"][0]["metric"] == "chrF2" and len(doc["segments"]) == 3
    assert doc["segments"][0]["chrF2"] == 100.0
    assert doc["sentence_signatures"]["chrF2"].startswith("nrefs:1")
    code, out, _ = cli("score", "--hyp", files["a"], "--ref", files["ref"], "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["metric"] for r in rows] == ["BLEU", "chrF2", "TER"]
    code, out, _ = cli("score", "--hyp", files["a"], "--ref", files["ref"], "-f", "tsv", "-sl")
    rows = list(csv.DictReader(io.StringIO(out), delimiter="\t"))
    assert len(rows) == 3 and set(rows[0]) >= {"doc_id", "seg_id", "system", "BLEU", "chrF2", "TER"}


def test_confidence_and_paired_output(cli, files):
    code, out, err = cli("score", "--hyp", files["a"], "--ref", files["ref"], "-ci", "-cin", "200", "-m", "chrf")
    assert code == 0, err
    assert "μ = " in out and "bs:200|seed:12345" in out
    code, out, err = cli("score", "--hyp", files["a"], "--hyp", files["b"], "--ref", files["ref"],
                         "--paired-ar", "--paired-n", "500", "-m", "chrf", "--baseline", "b.en")
    assert code == 0, err
    assert "b.en (baseline)" in out and "p = " in out and "approximate randomization" in out
    assert "ar:500" in out


def test_output_file_is_written_atomically(cli, files):
    target = files["dir"] / "out" / "scores.json"
    code, out, err = cli("score", "--hyp", files["a"], "--ref", files["ref"], "-f", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["corpus"]
    assert [p.name for p in target.parent.iterdir()] == ["scores.json"]


@pytest.mark.parametrize("make_args,fragment", [
    (lambda f: ["--hyp", f["a"], "--ref", str(f["dir"] / "missing.en")], "missing.en: file not found"),
    (lambda f: ["--hyp", f["a"], "--ref", f["src"] + "x"], "file not found"),
    (lambda f: ["--hyp", f["a"]], "need references"),
    (lambda f: ["--hyp", f["a"], "--ref", f["ref"], "-m", "bleuu"], "unknown metric 'bleuu'"),
    (lambda f: ["--hyp", f["a"], "--ref", f["ref"], "--tokenize", "flores200"], "--spm-model PATH"),
    (lambda f: ["--hyp", f["a"], "--ref", f["ref"], "--seed", "x"], "--seed must be an integer"),
    (lambda f: [], "no input"),
    (lambda f: [str(f["dir"])], "is a directory; give a corpus file"),
    (lambda f: ["--hyp", "A=", "--ref", f["ref"]], "--hyp A=: give a file after '='"),
    (lambda f: ["--hyp", f["a"], "--ref", f["ref"], "-m", "chrf", "--model", "minilm"],
     "--model set a neural metric (bertscore, bertscore-p, sentsim), and -m selects none"),
    (lambda f: [f["a"]], "use --input-format"),
])
def test_errors_are_one_line_with_exit_code_2(cli, files, make_args, fragment):
    code, out, err = cli("score", *make_args(files))
    assert code == 2
    assert fragment in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_misaligned_input_is_refused(cli, files, tmp_path):
    short = tmp_path / "short.en"
    short.write_text("Only one line.\n")
    code, _, err = cli("score", "--hyp", files["a"], "--ref", str(short))
    assert code == 2 and "short.en" in err and "a.en has 3" in err


def test_python_dash_m_and_console_entry(files):
    proc = subprocess.run([sys.executable, "-m", "mt_eval", "score", "--hyp", files["a"], "--ref", files["ref"],
                           "-m", "chrf", "-f", "json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["corpus"][0]["metric"] == "chrF2"
    proc = subprocess.run([sys.executable, "-m", "mt_eval", "score", "--hyp", "/nonexistent"],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.strip().endswith("/nonexistent: file not found")


def test_spbleu_with_a_local_sentencepiece_model(cli, files, tmp_path, monkeypatch):
    """spBLEU from a model file on disk equals sacrebleu's flores tokenizer
    reading the same model from its cache (which it would otherwise download)."""
    import sentencepiece as spm
    text = tmp_path / "train.txt"
    lines = [l for f in ("ref", "a", "b", "src") for l in open(files[f], encoding="utf-8")] * 20
    text.write_text("".join(lines), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(text), model_prefix=str(tmp_path / "m"), vocab_size=50,
                                   character_coverage=1.0, minloglevel=2)
    model = tmp_path / "m.model"
    code, out, err = cli("score", "--hyp", files["b"], "--ref", files["ref"], "-m", "bleu",
                         "--tokenize", "flores200", "--spm-model", str(model), "-f", "json")
    assert code == 0, err
    mine = json.loads(out)["corpus"][0]
    # sacrebleu with the same model placed where it looks for it.
    import sacrebleu.tokenizers.tokenizer_spm as tspm
    cache = tmp_path / "sacrebleu"
    (cache / "models").mkdir(parents=True)
    (cache / "models" / "flores200sacrebleuspm").write_bytes(model.read_bytes())
    monkeypatch.setattr(tspm, "SACREBLEU_DIR", str(cache))
    from sacrebleu.metrics import BLEU
    m = BLEU(tokenize="flores200")
    refs = [open(files["ref"], encoding="utf-8").read().splitlines()]
    s = m.corpus_score(open(files["b"], encoding="utf-8").read().splitlines(), refs)
    assert mine["score"] == s.score
    assert mine["signature"] == m.get_signature().format()


@pytest.mark.parametrize("args,message", [
    (["--confidence", "-cin", "0"], "-cin/--confidence-n: a whole number of at least 1 is needed; got '0'"),
    (["-w", "-1"], "-w/--width: a whole number of at least 0 is needed; got '-1'"),
    (["--paired-bs", "--paired-n", "-1"], "--paired-n: a whole number of at least 1 is needed; got '-1'"),
    (["--max-ngram-order", "x"], "--max-ngram-order: a whole number of at least 1 is needed; got 'x'"),
])
def test_bad_numbers_are_one_line_errors(tmp_path, cli, args, message):
    hyp, ref = tmp_path / "h.txt", tmp_path / "r.txt"
    hyp.write_text("a b c\n", encoding="utf-8")
    ref.write_text("a b d\n", encoding="utf-8")
    code, out, err = cli("score", "--hyp", str(hyp), "--ref", str(ref), *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_api_rejects_resample_counts_below_one():
    import mt_eval
    from mt_eval.errors import UsageError
    df = pd.DataFrame({"hyp:A": ["a b"], "hyp:B": ["a c"], "reference": ["a b"]})
    with pytest.raises(UsageError, match="confidence_n must be a whole number of at least 1, got 0"):
        mt_eval.score(df, ["bleu"], confidence=True, confidence_n=0)
    with pytest.raises(UsageError, match="paired_n must be"):
        mt_eval.score(df, ["bleu"], paired="bs", paired_n=0)


def test_table_keeps_the_scoring_order():
    import mt_eval
    df = pd.DataFrame({"hyp:zeta": ["a b c", "d e"], "hyp:alpha": ["a b", "d e f"], "reference": ["a b c", "d e f"]})
    t = mt_eval.score(df, ["ter", "bleu", "chrf"]).table()
    assert list(t.index) == ["zeta", "alpha"] and list(t.columns) == ["TER", "BLEU", "chrF2"]


@pytest.mark.parametrize("engine", ["fast", "sacrebleu"])
def test_chrf_interval_when_a_resample_matches_nothing(engine):
    # sacrebleu 2.6 raises TypeError here (float 0.0 among float32 scores)
    import mt_eval
    df = pd.DataFrame({"hypothesis": ["The cat.", "5", "It rains."],
                       "reference": ["The cat.", "The dog.", "It rains."]})
    row = mt_eval.score(df, ["chrf"], confidence=True, engine=engine, cache=False).corpus.iloc[0]
    assert row["ci_low"] == 0.0 and row["ci_low"] <= row["bs_mean"] <= row["ci_high"]
    assert row["score"] == pytest.approx(73.7508, abs=1e-4)


def test_a_single_metric_name_is_one_metric():
    import mt_eval
    df = pd.DataFrame({"hypothesis": ["a b c"], "reference": ["a b d"]})
    assert mt_eval.score(df, "chrf").corpus["metric"].tolist() == ["chrF2"]
