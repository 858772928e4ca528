"""Start-up stays cheap: the command line imports only the module of the
command it runs, ``import mt_eval`` and scoring plain files never import
pandas, and the list path gives the corpus path's numbers."""
from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mt_eval
from mt_eval.cli import COMMANDS, build_parser, command_modules
from mt_eval.scoring import score, score_texts

ROOT = Path(__file__).resolve().parents[1]


def test_command_table_matches_the_modules():
    """Every command module is listed with the help its parser shows."""
    assert set(COMMANDS) == set(command_modules())
    for name in command_modules():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"mt_eval.cli.{name}").register(sub)
        (action,) = sub._choices_actions
        assert (action.dest, action.help) == (name, COMMANDS[name])


def test_lazy_parser_knows_every_command_and_full_parser_parses_them():
    lazy = build_parser("score")
    args = lazy.parse_args(["score", "--hyp", "h", "--ref", "r", "-m", "chrf"])
    assert args.metrics == ["chrf"]
    with pytest.raises(SystemExit):
        lazy.parse_args(["nosuchcommand"])
    full = build_parser()
    assert full.parse_args(["detectors", "--brief"]).brief


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, cwd=ROOT, check=True,
                         env={"PYTHONPATH": str(ROOT), "MT_EVAL_CACHE": "0", "PATH": "/usr/bin:/bin"})
    return set(out.stdout.split())


def test_import_and_plain_scoring_do_not_import_pandas(tmp_path):
    assert "pandas" not in _modules_after("import mt_eval")
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("the cat sat on the mat\na dog\n", encoding="utf-8")
    ref.write_text("the cat is on the mat\nthe dog\n", encoding="utf-8")
    mods = _modules_after("from mt_eval.cli import main\n"
                          f"main(['score', '--hyp', {str(hyp)!r}, '--ref', {str(ref)!r}, '-m', 'chrf', 'bleu', '-ci'])")
    assert "pandas" not in mods and "mt_eval.corpus" not in mods
    assert "mt_eval.detectors" not in mods


def test_score_texts_equals_score_on_a_corpus():
    hyps = {"a": ["the cat sat on the mat", "a dog", "x"], "b": ["the cat is on a mat", "the dog", "y"]}
    refs = [("the cat is on the mat", "a cat on the mat"), ("the dog",), ()]
    corpus = mt_eval.Corpus(pd.DataFrame({"references": refs, "hyp:a": hyps["a"], "hyp:b": hyps["b"]}))
    for kwargs in ({}, {"confidence": True, "confidence_n": 50}, {"paired": "bs", "paired_n": 50},
                   {"paired": "ar", "paired_n": 50, "baseline": "b"}):
        ours = score_texts(hyps, refs, ["bleu", "chrf", "ter"], sentence_level=True, engine="fast",
                           cache=False, **kwargs)
        theirs = score(corpus, ["bleu", "chrf", "ter"], engine="fast", cache=False, **kwargs)
        pd.testing.assert_frame_equal(ours.corpus, theirs.corpus)
        pd.testing.assert_frame_equal(ours.segments, theirs.segments)
        assert np.array_equal(ours.scored_mask, theirs.scored_mask)
