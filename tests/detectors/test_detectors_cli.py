"""`mt-eval check` and `mt-eval detectors` end to end."""
import json

import pytest

SEED_TEXT = ("The Malian army has captured the town of Kidal, the junta announced on Tuesday, November 14. . "
             "The capture is a success.\n\nThe army called for calm.\n\nExit mobile version\n")


@pytest.fixture
def seed_file(tmp_path):
    p = tmp_path / "article.en"
    p.write_text(SEED_TEXT, encoding="utf-8")
    return p


def test_check_plain_hypothesis_file(seed_file, cli):
    code, out, err = cli("check", "--hyp", str(seed_file))
    assert code == 0, err
    assert f"{seed_file}:5:1: BP001 [major]" in out
    assert f"{seed_file}:1:" in out and "SG001" in out
    assert "languages guessed" in out


def test_check_json_to_file(seed_file, tmp_path, cli):
    target = tmp_path / "out" / "findings.json"
    code, out, err = cli("check", "--hyp", str(seed_file), "-f", "json", "-o", str(target), "--select", "BP")
    assert code == 0, err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [f["code"] for f in doc["findings"]] == ["BP001"]
    assert doc["findings"][0]["line"] == 5 and doc["findings"][0]["file"] == str(seed_file)
    assert "1 finding" in err


def test_config_file_and_overrides(seed_file, tmp_path, cli):
    (tmp_path / "mt_eval.toml").write_text('select = ["SG"]\nseverity = { SG001 = "major" }\n', encoding="utf-8")
    code, out, _ = cli("check", "--hyp", str(seed_file), "-f", "jsonl")
    rows = [json.loads(l) for l in out.splitlines()]
    assert {r["code"] for r in rows} == {"SG001"} and rows[0]["severity"] == "major"
    code, out, _ = cli("check", "--hyp", str(seed_file), "-f", "jsonl", "--select", "BP001",
                           "--severity", "BP001=info")
    rows = [json.loads(l) for l in out.splitlines()]
    assert [(r["code"], r["severity"]) for r in rows] == [("BP001", "info")]
    code, out, _ = cli("check", "--hyp", str(seed_file), "-f", "jsonl", "--no-config", "--select", "BP,SG")
    assert {json.loads(l)["code"] for l in out.splitlines()} == {"BP001", "SG001"}


@pytest.mark.parametrize("argv, needle", [
    (["--select", "XYZ"], "matches no detector"),
    (["--option", "LR001.nope=1"], "no option 'nope'"),
    (["--severity", "BP001=loud"], "unknown severity"),
    (["--config", "/nonexistent/mt_eval.toml"], "configuration file not found"),
])
def test_usage_errors_exit_2(seed_file, argv, needle, cli):
    code, out, err = cli("check", "--hyp", str(seed_file), *argv)
    assert code == 2 and needle in err and "Traceback" not in err


def test_bad_input_exit_2(tmp_path, cli):
    bad = tmp_path / "bad.en"
    bad.write_bytes(b"ok\n\xff\xfe broken\n")
    code, _, err = cli("check", "--hyp", str(bad))
    assert code == 2 and f"{bad}:2:" in err


def test_detectors_listing(cli):
    code, out, _ = cli("detectors")
    assert code == 0
    for c in ("BP001", "SG002", "NM001", "UT003", "LR001", "RP002", "EM001", "MK002"):
        assert c in out
    code, out, _ = cli("detectors", "BP001")
    assert code == 0 and out.startswith("BP001  boilerplate.addition") and "Why:" in out and "option threshold" in out
    code, out, _ = cli("detectors", "-f", "json", "numbers")
    assert [d["code"] for d in json.loads(out)] == ["NM001", "NM002"]
    assert cli("detectors", "ZZ")[0] == 2
    code, out, _ = cli("detectors", "-f", "json", "bp001,SG001")   # a comma list, a code in lower case
    assert [d["code"] for d in json.loads(out)] == ["BP001", "SG001"]


def test_missing_extra_is_reported_as_skipped():
    import pandas as pd
    from mt_eval.corpus import Corpus
    from mt_eval.detectors.base import Category, Detector, Severity
    from mt_eval.detectors.runner import run

    class NeedsModel(Detector):
        """Test double that needs a module nobody has."""
        code = "ZZ999"
        name = "test.needs-extra"
        severity = Severity.MAJOR
        category = Category.GRAMMAR
        requires_extra = "nlp"
        requires_modules = ("mt_eval_no_such_module",)

        def check_segment(self, seg):
            raise AssertionError("must not run")

    corpus = Corpus(pd.DataFrame({"hyp:x": ["The army."]}))
    result = run(corpus, [NeedsModel()])
    assert "pip install 'mt_eval[nlp]'" in result.skipped["ZZ999"]
    assert result.errors.empty and result.findings.empty
