"""`mt-eval report` on the command line: files, formats, errors, atomic writes."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pandas as pd
import pytest

from mt_eval.cli import main
from mt_eval.report import outputs

import report_fixtures as rf


def _write_plain(tmp_path: Path) -> dict[str, str]:
    src, a, b, ref = zip(*rf.SEED)
    files = {}
    for name, lines in (("src.fr", src), ("scraped.en", a), ("careful.en", b), ("ref.en", ref)):
        p = tmp_path / name
        p.write_text("\n".join(line.replace("\n", " ") for line in lines) + "\n", encoding="utf-8")
        files[name] = str(p)
    return files


def test_default_output_under_reports(tmp_path, monkeypatch, capsys):
    f = _write_plain(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(["report", "--src", f["src.fr"], "--hyp", f"scraped-mt={f['scraped.en']}",
                 "--hyp", f"careful-mt={f['careful.en']}", "--ref", f["ref.en"], "-l", "fr-en",
                 "--paired-n", "100"])
    assert code == 0
    written = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert written == ["src.html", "src.json", "src.md"]
    err = capsys.readouterr().err
    assert "wrote reports/src.html" in err
    assert "mt-eval report: 5 segments, 2 system(s)," in err and " findings" in err
    rep = json.loads((tmp_path / "reports" / "src.json").read_text(encoding="utf-8"))
    assert rep["corpus"]["systems"] == ["scraped-mt", "careful-mt"]
    assert rep["scores"]["test"] == "bs" and rep["scores"]["baseline"] == "scraped-mt"
    md = (tmp_path / "reports" / "src.md").read_text(encoding="utf-8")
    assert "### Scores" in md and "scraped-mt (baseline)" in md
    assert not list((tmp_path / "reports").glob(".*tmp"))


def test_formats_and_explicit_output(tmp_path):
    f = _write_plain(tmp_path)
    out = tmp_path / "out" / "seed.html"
    code = main(["report", "--src", f["src.fr"], "--hyp", f["scraped.en"], "--ref", f["ref.en"],
                 "-o", str(out), "-f", "csv", "parquet", "html", "--no-detectors", "-m", "bleu", "chrf"])
    assert code == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["seed.html", "seed.segments.csv", "seed.segments.parquet"]
    csv = pd.read_csv(out.parent / "seed.segments.csv")
    pq = pd.read_parquet(out.parent / "seed.segments.parquet")
    assert len(csv) == len(pq) == len(rf.SEED)
    assert list(csv.columns) == list(pq.columns)
    assert csv["chrF2"].round(9).tolist() == pq["chrF2"].round(9).tolist()
    assert "BLEU" in csv.columns and "TER" not in csv.columns


@pytest.mark.parametrize("existing", [True, False])
def test_output_directory_takes_the_report_inside(tmp_path, existing):
    f = _write_plain(tmp_path)
    target = tmp_path / "out"
    if existing:
        target.mkdir()
    arg = str(target) if existing else str(target) + "/"
    assert main(["report", "--hyp", f["scraped.en"], "--ref", f["ref.en"], "-o", arg, "-f", "md",
                 "--no-detectors", "-m", "bleu"]) == 0
    assert [p.name for p in target.iterdir()] == ["scraped.md"]


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("one\ntwo\n", encoding="utf-8")
    b.write_text("one\n", encoding="utf-8")
    assert main(["report", "--hyp", str(a), "--ref", str(b), "-o", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not aligned" in err[0] and "Traceback" not in err[0]
    assert not list(tmp_path.glob("r*"))
    assert main(["report", str(tmp_path / "missing.xml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_unknown_rank_metric_is_a_usage_error(tmp_path, capsys):
    f = _write_plain(tmp_path)
    code = main(["report", "--hyp", f["scraped.en"], "--ref", f["ref.en"], "-m", "bleu",
                 "--rank-metric", "ter", "--no-detectors", "-o", str(tmp_path / "r")])
    assert code == 2 and "not computed" in capsys.readouterr().err


def test_an_interrupted_write_keeps_the_old_file_whole(tmp_path, monkeypatch, seed_corpus):
    from mt_eval.report import build_report, write_report
    rep = build_report(seed_corpus, None, None)
    stem = tmp_path / "r"
    write_report(rep, stem, ["html"])
    before = (tmp_path / "r.html").read_bytes()
    real = outputs.atomic_write

    @contextlib.contextmanager
    def interrupted(path, mode="w"):
        with real(path, mode) as fh:
            class Half:
                def write(self, text):
                    fh.write(text[: len(text) // 2])
                    raise KeyboardInterrupt  # Ctrl-C half-way through the file

            yield Half()

    monkeypatch.setattr(outputs, "atomic_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report(build_report(seed_corpus, None, None, title="changed"), stem, ["html", "json"])
    assert (tmp_path / "r.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_mqm_export_is_the_check_formatter_output(tmp_path, seed_corpus, seed_checks):
    """The report's MQM TSV is byte for byte what `mt-eval check -f mqm` writes."""
    import io

    from mt_eval.formatters.mqm import MqmFormatter
    from mt_eval.report import build_report, write_report
    rep = build_report(seed_corpus, None, seed_checks)
    paths = write_report(rep, tmp_path / "seed", ["mqm"])
    direct = io.StringIO()
    MqmFormatter().write(seed_checks, direct)
    text = paths["mqm"].read_text(encoding="utf-8")
    assert text == direct.getvalue()
    rows = [line.split("\t") for line in text.splitlines()]
    assert rows[0][:3] == ["system", "doc", "doc_id"]
    leak = [r for r in rows if r[0] == "scraped-mt" and "<v>She</v>" in r[6]]
    assert leak and leak[0][8] == "Critical"


def test_mqm_without_detectors_is_refused(tmp_path, seed_corpus, capsys):
    from mt_eval.errors import UsageError
    from mt_eval.report import build_report, write_report
    with pytest.raises(UsageError, match="no detector was run"):
        write_report(build_report(seed_corpus, None, None), tmp_path / "x", ["mqm"])
    assert not list(tmp_path.iterdir())


def test_detector_selection_flags_and_config(tmp_path, capsys):
    f = _write_plain(tmp_path)
    (tmp_path / "mt_eval.toml").write_text('select = ["SG"]\n', encoding="utf-8")
    out = tmp_path / "r"
    args = ["report", "--src", f["src.fr"], "--hyp", f"scraped-mt={f['scraped.en']}", "--ref", f["ref.en"],
            "-l", "fr-en", "-f", "json", "-o", str(out)]
    assert main(args) == 0  # mt_eval.toml beside the input selects the SG detectors
    rep = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    ran = {d["code"] for d in rep["findings"]["detectors"]}
    assert ran and all(c.startswith("SG") for c in ran)
    assert {i["code"] for i in rep["findings"]["items"]} >= {"SG001", "SG002"}
    assert main(args + ["--select", "BP", "--no-config"]) == 0
    rep = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {d["code"][:2] for d in rep["findings"]["detectors"]} == {"BP"}
    assert [i["span_text"] for i in rep["findings"]["items"] if i["code"] == "BP001"] == ["Exit mobile version"]
    assert main(args + ["--select", "NOPE"]) == 2
    assert "NOPE" in capsys.readouterr().err
