"""The detector runner on several processes finds what it finds on one, the
workers inherit what the parent loaded while checking the first chunk, and
a failing segment is reported, not lost, whichever process met it."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from mt_eval.corpus import Corpus
from mt_eval.detectors import Detector, all_detectors
from mt_eval.detectors.runner import check_corpus

SEED_LINES = [
    ("Elle a assuré avoir pris des mesures. .", "She assured that she had taken steps. ."),
    ("Lire aussi : la réforme des retraites", "Read also: the pension reform"),
    ("Le gouvernement en a profité pour renforcer sa position.",
     "The government took advantage of it. to strengthen its position."),
    ("Il y a 2 500 manifestants.", "There are 2,500 demonstrators demonstrators."),
    ("Version mobile", "Exit mobile version"),
    ("", "A line without a source."),
]


def _corpus(n_docs: int = 40) -> Corpus:
    rows = []
    for d in range(n_docs):
        for i, (src, hyp) in enumerate(SEED_LINES):
            # vary the text per document so that no two units are the same work
            rows.append({"doc_id": f"doc{d}", "seg_id": i + 1, "source": src and f"{src} ({d})",
                         "hyp:A": f"{hyp} ({d})", "hyp:B": hyp, "src_lang": "fr", "tgt_lang": "en"})
    return Corpus(pd.DataFrame(rows), name="parallel")


def _rows(frame: pd.DataFrame) -> list[str]:
    return [json.dumps(r, sort_keys=True, default=str) for r in frame.to_dict("records")]


# The detectors without an optional extra: the spaCy and encoder ones load
# models that would make this test slow (the spaCy ones have their own
# comparisons in test_parse_batching).
CODES = [d.code for d in all_detectors() if d.requires_extra is None]


def test_two_workers_find_what_one_finds():
    corpus = _corpus()
    one = check_corpus(corpus, select=CODES, show_progress=False, workers=1)
    two = check_corpus(corpus, select=CODES, show_progress=False, workers=2)
    assert len(one.findings) > 100, "the corpus should give findings, or the comparison proves nothing"
    assert _rows(two.findings) == _rows(one.findings)
    assert _rows(two.errors) == _rows(one.errors)
    assert set(two.timings) == set(one.timings)


_LOADED_IN: list[int] = []  # pids of the processes that "loaded the model"


class _Loads(Detector):
    """Test detector: loads a model on first use and says which process did."""
    code = "ZZ901"
    name = "loads-a-model"

    def check_segment(self, seg):
        if not _LOADED_IN:
            _LOADED_IN.append(os.getpid())
        if "2,500" in seg.hypothesis and "(7)" in seg.hypothesis:
            raise RuntimeError("boom")
        yield self.finding(seg, 0, 1, "seen", pid=os.getpid(), loader=_LOADED_IN[0])


def test_workers_inherit_what_the_parent_loaded_and_report_failures():
    _LOADED_IN.clear()
    result = check_corpus(_corpus(), detectors=[_Loads()], show_progress=False, workers=2)
    pids = {f.data["pid"] for f in result.finding_objects}
    assert os.getpid() in pids and len(pids) > 1, "the parent and its worker should both have checked"
    assert _LOADED_IN == [os.getpid()], "the parent should keep what it loaded"
    # every segment of both systems is accounted for: a finding or an error
    n_segments = len(_corpus()) * 2
    assert len(result.finding_objects) + len(result.errors) == n_segments
    assert result.errors[["doc_id", "seg_id", "system"]].values.tolist() == [["doc7", 4, "A"]]
    assert "RuntimeError: boom" in result.errors["error"].iloc[0]
    # the next call's worker starts with the parent's model: nobody loads again
    again = check_corpus(_corpus(), detectors=[_Loads()], show_progress=False, workers=2)
    assert len({f.data["pid"] for f in again.finding_objects}) > 1
    assert {f.data["loader"] for f in again.finding_objects} == {os.getpid()}


@pytest.mark.parametrize("workers", [1, 2])
def test_no_progress_bar_from_workers(workers, capfd, monkeypatch):
    monkeypatch.setenv("MT_EVAL_PROGRESS", "1")
    check_corpus(_corpus(4), select=["SG", "BP"], show_progress=False, workers=workers)
    assert capfd.readouterr().err == ""


def test_workers_flag(tmp_path, cli):
    path = tmp_path / "corpus.jsonl"
    _corpus(12).frame.rename(columns={"hyp:A": "hypothesis"}).drop(columns=["hyp:B"]).to_json(
        path, orient="records", lines=True, force_ascii=False)
    outs = []
    for n in ("1", "2"):
        code, out, err = cli("check", str(path), "--no-config", "--select", "BP,SG,RP", "-f", "jsonl", "--workers", n)
        assert code == 0, err
        outs.append(out)
    assert outs[0] == outs[1] and outs[0].count("\n") > 20
    for command in ("check", "report", "ci"):
        code, out, err = cli(command, str(path), "--workers", "0")
        assert code == 2
        assert "--workers: a whole number of at least 1 is needed; got '0'" in err


def test_findings_come_in_input_order():
    # documents named against the alphabet: the listing follows the input, not the names
    rows = [{"doc_id": d, "seg_id": 1, "source": "x", "hyp:zz": "It ended. . The the end.", "hyp:aa": "The the end. .",
             "src_lang": "fr", "tgt_lang": "en"} for d in ("z-doc", "m-doc", "a-doc")]
    for workers in (1, 2):
        res = check_corpus(Corpus(pd.DataFrame(rows)), select=["SG001", "RP001"], show_progress=False,
                           workers=workers)
        order = [(f.system, f.doc_id) for f in res.finding_objects]
        assert order == sorted(order, key=lambda p: (["zz", "aa"].index(p[0]), ["z-doc", "m-doc", "a-doc"].index(p[1])))
        assert order[0] == ("zz", "z-doc") and order[-1] == ("aa", "a-doc")
