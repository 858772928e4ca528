"""--stream: block-by-block corpus scores equal the in-memory path's."""
from __future__ import annotations

import pandas as pd
import pytest

import mt_eval
from mt_eval.cli import main
from mt_eval.engine.stream import read_blocks, score_files
from mt_eval.errors import InputError
from mt_eval.readers.textfile import read_lines

HYP_A = "\ufeffThe cat sat on the mat.\r\nHello, world!\r\n\r\nA lone\rcarriage return.  \nsame\nx"
HYP_B = "The cat is on a mat.\nHello world\nnothing\nA lone\ncarriage return\nsame\ny\n"
REF_1 = "The cat sat on the mat .\nHello world!\n\nA lone\ncarriage return.\nsame\nz\n"
REF_2 = "A cat sat on the mat.\nHi, world!\nempty hypothesis\nalone\ncarriage\nsame\nx\n"


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in [("a", HYP_A), ("b", HYP_B), ("r1", REF_1), ("r2", REF_2)]:
        p = tmp_path / name
        p.write_bytes(text.encode("utf-8"))
        paths[name] = str(p)
    return paths


def test_lines_read_like_the_plain_reader(files):
    blocks = list(read_blocks([files["a"], files["r1"]], block=3))
    assert [len(b[0]) for b in blocks] == [3, 3, 1]
    assert sum((b[0] for b in blocks), []) == read_lines(files["a"])
    assert sum((b[1] for b in blocks), []) == read_lines(files["r1"])


@pytest.mark.parametrize("block", [2, 1000])
def test_stream_equals_in_memory(files, block):
    metrics = ["bleu", "chrf++", "ter"]
    streamed = score_files({"A": files["a"], "B": files["b"]}, [files["r1"], files["r2"]], metrics,
                           confidence=True, confidence_n=200, block=block, cache=False)
    corpus = mt_eval.read_parallel(hyps={"A": files["a"], "B": files["b"]}, refs=[files["r1"], files["r2"]])
    whole = mt_eval.score(corpus, metrics, confidence=True, confidence_n=200, sentence_level=False,
                          engine="sacrebleu")
    cols = ["system", "metric", "score", "signature", "bs_mean", "ci_halfwidth", "ci_low", "ci_high"]
    pd.testing.assert_frame_equal(streamed.corpus[cols], whole.corpus[cols])


def test_stream_input_errors(files, tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.write_bytes(b"ok\nok\nbroken \xff here\nok\nok\nok\nok\n")
    with pytest.raises(InputError) as err:
        score_files({"X": str(bad)}, [files["r1"]], ["chrf"], cache=False, block=2)
    assert (err.value.path, err.value.line, err.value.column) == (str(bad), 3, 8)
    short = tmp_path / "short"
    short.write_text("one\ntwo\n", encoding="utf-8")
    assert main(["score", "--stream", "--hyp", str(short), "--ref", files["r1"], "--no-cache"]) == 2
    assert "line-aligned" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.write_text("\n" * 7, encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        score_files({"E": str(empty)}, [files["r1"]], ["bleu"], cache=False)
    assert main(["score", "--stream", "--hyp", files["a"], "--ref", files["r1"], "--sentence-level"]) == 2
    assert main(["score", "--stream", "--hyp", files["a"], "--ref", files["r1"], "--engine", "sacrebleu"]) == 2


def test_stream_cli_output_matches(files, capsys):
    args = ["score", "--hyp", f"A={files['a']}", "--ref", files["r1"], "-m", "bleu", "chrf", "ter",
            "--format", "json", "--no-cache"]
    assert main(args) == 0
    normal = capsys.readouterr().out
    assert main(args + ["--stream"]) == 0
    streamed = capsys.readouterr().out
    import json
    strip = [{k: r[k] for k in ("system", "metric", "score", "signature")} for r in json.loads(normal)["corpus"]]
    assert strip == [{k: r[k] for k in ("system", "metric", "score", "signature")}
                     for r in json.loads(streamed)["corpus"]]
