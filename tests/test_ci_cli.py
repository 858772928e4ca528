"""``mt-eval ci`` on the command line: exit codes, configuration, outputs,
and the issue's done-when sequence on the bundled feeds."""
from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from mt_eval.cli import main

from ci_helpers import rss, write

FEEDS = Path("corpora/feeds")


def run(capsys, *argv):
    code = main(["ci", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


# -- errors: exit 2, one line, no traceback ----------------------------------------------
@pytest.mark.parametrize("make,match", [
    (lambda d: str(d / "missing.rss"), "file not found"),
    (lambda d: write(d / "cut.rss", '<?xml version="1.0"?>\n<rss><channel><item><title>x</ti'), "malformed XML"),
    (lambda d: write(d / "notes.txt", "hello"), "not a feed"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, make, match):
    code, out, err = run(capsys, make(tmp_path))
    assert code == 2 and match in err
    assert len(err.strip().split("\n")) == 1 and "Traceback" not in err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert run(capsys, FEEDS, "--format", "pdf")[0] == 2
    assert run(capsys, FEEDS, "--baseline", "a.json", "--write-baseline", "b.json")[0] == 2
    assert run(capsys)[0] == 2
    cfg = write(tmp_path / "mt_eval.toml", '[gate]\nfail-on = "fatal"\n')
    code, _, err = run(capsys, "--config", cfg, FEEDS)
    assert code == 2 and "fail-on" in err
    code, _, err = run(capsys, FEEDS, "--baseline", tmp_path / "none.json")
    assert code == 2 and "baseline file not found" in err


@pytest.mark.parametrize("body,line,message", [
    ('langpair = "fr-en"\nfail-on = "huge"\n', 3, "[tool.mt_eval.gate] fail-on: unknown severity 'huge'"),
    ('langpair = "french"\n', 2, "[tool.mt_eval.gate] langpair must look like fr-en, got 'french'"),
    ('\npair-by = "bogus"\n', 3, "[tool.mt_eval.gate] pair-by must be one of"),
    ('fail-on = false\n', 2, "[tool.mt_eval.gate] fail-on must be a string"),
    ('fail-on = "major"\n\n[tool.mt_eval.gate.feeds."*.atom"]\nfail-on = "huge"\n', 5,
     '[tool.mt_eval.gate.feeds."*.atom"] fail-on: unknown severity'),
])
def test_config_errors_name_the_line_of_the_key(tmp_path, capsys, body, line, message):
    cfg = write(tmp_path / "pyproject.toml", "[tool.mt_eval.gate]\n" + body)
    code, _, err = run(capsys, "--config", cfg, FEEDS)
    assert code == 2 and len(err.strip().split("\n")) == 1
    assert f"{cfg}:{line}: {message}" in err


def test_show_config_prints_the_effective_toml(tmp_path, capsys):
    cfg = write(tmp_path / "pyproject.toml", "[project]\nname='x'\n\n[tool.mt_eval.gate]\n"
                "fail-on = 'minor'\nmetrics = { chrf = 55 }\n\n[tool.mt_eval.gate.feeds.'*-en.atom']\n"
                "fail-on = 'critical'\n")
    code, out, _ = run(capsys, "--config", cfg, "--show-config", "--langpair", "fr-en")
    assert code == 0
    data = tomllib.loads(out)["tool"]["mt_eval"]["gate"]
    assert data["fail-on"] == "minor" and data["metrics"] == {"chrf": 55.0} and data["langpair"] == "fr-en"
    assert data["feeds"]["*-en.atom"] == {"fail-on": "critical"}
    assert cfg in out.split("\n")[0]


def test_formats_to_files_and_github_only_under_actions(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    junit, sarif = tmp_path / "j.xml", tmp_path / "s.sarif"
    code, out, _ = run(capsys, FEEDS, "-f", f"junit={junit}", "-f", f"sarif={sarif}", "-f", "text")
    assert code == 1 and junit.exists() and json.loads(sarif.read_text())["version"] == "2.1.0"
    assert "::" not in "".join(line[:2] for line in out.split("\n"))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code2, out, _ = run(capsys, FEEDS)
    assert code2 == code
    assert out.split("\n")[-2] == "::endgroup::"          # annotations follow the text summary
    assert summary.read_text().startswith("## mt-eval ci: ❌ **failed**")


# -- the done-when sequence ----------------------------------------------------------------
def _needs_real_detectors(*needed: str):
    from mt_eval.detectors.registry import all_detectors
    groups = {g for d in all_detectors() for g in d.groups} | {d.code[:2] for d in all_detectors()}
    missing = [g for g in needed if g not in groups]
    if missing:
        pytest.skip(f"needs detectors not installed or landed: {', '.join(missing)}")


def test_done_when_fail_baseline_pass_new_finding_fail(tmp_path, capsys):
    _needs_real_detectors("boilerplate", "GN")
    feeds = tmp_path / "feeds"
    shutil.copytree(FEEDS, feeds, ignore=shutil.ignore_patterns("fixed"))
    report = tmp_path / "r.json"
    code, _, err = run(capsys, feeds, "-f", f"json={report}")
    assert code == 1, err
    doc = json.loads(report.read_text())
    seed = next(i for i in doc["items"] if i["doc_id"] == "mali-kidal")
    blocking = {(f["span_text"], f["category"]) for f in seed["findings"] if f["blocking"]}
    assert ("Exit mobile version", "Accuracy/Addition") in blocking                # the boilerplate
    assert {"She", "she"} <= {span for span, cat in blocking if cat == "Accuracy/Mistranslation"}  # the leak
    baseline = tmp_path / "baseline.json"
    assert run(capsys, feeds, "--write-baseline", baseline)[0] == 0
    assert run(capsys, feeds, "--baseline", baseline)[0] == 0
    # A new problem in another item: a boilerplate line scraped into the jazz item.
    atom = feeds / "journal-en.atom"
    text = atom.read_text(encoding="utf-8")
    marker = "The free concerts on the market square will continue every late afternoon."
    assert marker in text
    atom.write_text(text.replace(marker, marker + "&lt;/p&gt;&lt;p&gt;Exit mobile version"), encoding="utf-8")
    code, out, _ = run(capsys, feeds, "--baseline", baseline)
    assert code == 1 and "jazz-en-vezenne" in out and "Exit mobile version" in out


def test_project_selection_with_per_feed_override(tmp_path, capsys):
    _needs_real_detectors("BP", "NM")
    cfg = write(tmp_path / "mt_eval.toml", 'select = ["BP", "NM"]\n\n[gate.feeds."*journal-en.atom"]\n'
                                             'ignore = ["BP"]\n')
    report = tmp_path / "r.json"
    code, out, _ = run(capsys, "--config", cfg, FEEDS, "-f", f"json={report}")
    doc = json.loads(report.read_text())
    assert code == 1 and doc["reasons"] == ["corpora/feeds/journal-en.atom: 1 new major finding (limit 0): NM001"]
    assert {f["code"] for i in doc["items"] for f in i["findings"]} == {"NM001"}
    code, out, _ = run(capsys, "--config", cfg, "--show-config")
    assert code == 0 and tomllib.loads(out)["tool"]["mt_eval"]["select"] == ["BP", "NM"]


def test_fixed_feeds_pass(capsys):
    _needs_real_detectors("boilerplate")
    code, out, _ = run(capsys, FEEDS / "fixed")
    assert code == 0, out


# -- documentation: the README's workflow and the pre-commit hook ---------------------------
def _yaml_blocks(text: str) -> list[str]:
    import re
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_readme_workflow_and_hook_are_valid():
    import shlex

    import yaml

    from mt_eval.cli import build_parser
    readme = Path("README.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in _yaml_blocks(readme)]
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    runs = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "mt-eval ci" in s.get("run", "")]
    assert runs
    for cmd in runs:
        args = build_parser().parse_args(shlex.split(cmd)[1:])   # every flag exists
        assert args.command == "ci"
    hooks = yaml.safe_load(Path(".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "mt-eval-ci" and hook["entry"] == "mt-eval ci" and hook["language"] == "python"
    config = next(b for b in blocks if isinstance(b, dict) and "repos" in b)
    used = config["repos"][0]["hooks"][0]
    assert used["id"] == hook["id"]
    build_parser().parse_args(["ci", *used["args"]])


def test_a_directory_passes_over_files_that_are_not_feeds(tmp_path, capsys):
    for f in FEEDS.glob("journal-*"):
        shutil.copy(f, tmp_path / f.name)
    write(tmp_path / "package.json", '{"name": "site", "version": "1.0.0"}\n')
    write(tmp_path / "sitemap.xml", '<?xml version="1.0"?>\n<urlset><url><loc>x</loc></url></urlset>\n')
    code, out, err = run(capsys, tmp_path, "-l", "fr-en", "-f", "json")
    assert code in (0, 1), err
    assert {u["name"] for u in json.loads(out)["units"]} == {str(tmp_path / "journal-en.atom")}
    # named on the command line, the same file is an error that says why
    code, _, err = run(capsys, tmp_path / "package.json")
    assert code == 2 and "not a JSON Feed" in err
